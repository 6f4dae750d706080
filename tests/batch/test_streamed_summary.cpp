// A run flat in replications: the summary from running moments and values read back from the results file is the
// summary of every replication's values held at once (mean, CI, SD, p05/p50/p95, differences, returns), bit for bit;
// and what the parent holds does not grow with the number of replications.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <unistd.h>

#include "batch/collector.hpp"
#include "batch/plan.hpp"
#include "batch/precision.hpp"
#include "batch/schema.hpp"
#include "fixtures.hpp"
#include "output/writers.hpp"
#include "stats/summary.hpp"

namespace fs = std::filesystem;

namespace dasim::batch {
namespace {

bool same_bits(const stats::Summary& x, const stats::Summary& y) {
  const double a[] = {x.mean, x.sd, x.ci_low, x.ci_high, x.p05, x.p50, x.p95};
  const double b[] = {y.mean, y.sd, y.ci_low, y.ci_high, y.p05, y.p50, y.p95};
  return x.n == y.n && std::memcmp(a, b, sizeof a) == 0;
}

/// Replication r of scenario s: the fixtures' values, in an order that differs between the options, so that the
/// paired differences vary from one replication to the next (a pairing off by one replication would show).
ReplicationResult result_of(const model::Scenario& scenario, std::size_t s, std::uint64_t r) {
  ReplicationResult out = testing::fabricated(scenario, s == 0 ? (r * 37) % 11 : 100 + (r * 53) % 13, false);
  out.replication = r;
  return out;
}

class StreamedSummary : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("dasim-streamed-summary-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  /// Every replication's every array, held at once, as the run kept them before.
  RunRecord whole(int replications) {
    RunRecord record = new_record(scenarios_, 5, replications, false);
    for (std::size_t s = 0; s < scenarios_.size(); ++s)
      for (int r = 0; r < replications; ++r) {
        record.scenarios[s].replications[r] = result_of(scenarios_[s], s, r);
        record.scenarios[s].done[r] = true;
      }
    return record;
  }

  /// Replications 0 .. R-1, arriving in a jumbled order (neighbours swapped, scenarios reversed), into a collector
  /// that keeps `keep` of them and streams every result to a results file.
  template <class Check>
  RunSummary streamed(int R, std::size_t keep, std::size_t budget, const Check& after_each) {
    RunRecord record = new_record(scenarios_, 5, R, false);
    output::ResultsStream stream(record, dir_ / "run.h5");
    Collector collector(record, [&](int s, const ReplicationResult& r) { stream.write(s, r); }, keep);
    for (int pair = 0; pair < R; pair += 2)
      for (int r : {pair + 1, pair})
        for (std::size_t s : {1, 0})
          if (r < R) {
            collector.add(static_cast<int>(s), result_of(scenarios_[s], s, static_cast<std::uint64_t>(r)));
            after_each(collector, record);
          }
    return collector.summarise(&stream, budget);
  }

  std::vector<model::Scenario> scenarios_{testing::small_scenario("a"), testing::small_scenario("b", 3)};
  fs::path dir_;
};

/// The values of row `row` as the run computed them before: each replication's value read straight from the arrays
/// (measure() by its identity, a pool's cell from the schema), and stats::summarize over the vector of all of them.
stats::Summary all_values_summary(const RunRecord& run, const Row& row) {
  auto index = [&](const std::string& name) {
    for (std::size_t k = 0; k < run.scenarios.size(); ++k)
      if (run.scenarios[k].scenario->name == name) return k;
    throw std::logic_error("no scenario " + name);
  };
  auto series = [&](std::size_t k, const std::function<double(const ReplicationResult&)>& value) {
    std::vector<double> v;
    for (const ReplicationResult& r : run.scenarios[k].replications) v.push_back(value(r));
    return v;
  };
  const std::size_t own = index(row.scenario);
  const model::Scenario& s = *run.scenarios[own].scenario;
  if (!row.pool.empty()) {
    std::size_t p = 0;
    while (s.pools[p].name != row.pool) ++p;
    const std::size_t at = pool_group().shape(s).at({p, pool_group().metric(row.metric)});
    return stats::summarize(series(own, [at](const ReplicationResult& r) { return r.pool_metrics[at]; }));
  }
  const Group& totals = totals_group();
  auto total = [&](std::size_t k, const char* metric) {
    const std::size_t at = totals.metric(metric);
    return series(k, [at](const ReplicationResult& r) { return r.totals[at]; });
  };
  const std::pair<const char*, const char*> avoided[] = {
      {"cost_avoided", "outcome_cost"}, {"cashable_cost_avoided", "cashable_outcome_cost"},
      {"societal_cost_avoided", "societal_outcome_cost"}, {"return_per_pound", "outcome_cost"},
      {"cashable_return_per_pound", "cashable_outcome_cost"}, {"societal_return_per_pound", "societal_outcome_cost"}};
  for (const auto& [metric, outcome] : avoided) {
    if (row.metric != metric) continue;
    std::vector<double> v = stats::paired_differences(total(0, outcome), total(own, outcome));
    if (row.metric.find("return") == std::string::npos) return stats::summarize(v);
    const std::vector<double> extra = stats::paired_differences(total(own, "service_cost"), total(0, "service_cost"));
    for (std::size_t i = 0; i < v.size(); ++i) v[i] /= extra[i];
    return stats::summarize(v);
  }
  const std::vector<double> mine = series(own, measure(s, row.service, row.area, row.metric));
  if (row.kind == "summary") return stats::summarize(mine);
  return stats::summarize(stats::paired_differences(mine, series(0, measure(*run.scenarios[0].scenario, row.service, row.area, row.metric))));
}

TEST_F(StreamedSummary, EqualsTheSummaryOfEveryValueHeldAtOnce) {
  const int R = 23;
  const RunRecord reference = whole(R);
  // A budget of 50 values: a block of two rows, and replications read back two or three at a time, so block edges
  // fall everywhere.
  const RunSummary summary = streamed(R, 1, 50, [](const Collector&, const RunRecord&) {});
  ASSERT_EQ(summary.rows.size(), summary_rows(reference).size());
  std::size_t differences = 0, returns = 0;
  for (const Row& row : summary.rows) {
    const stats::Summary expected = all_values_summary(reference, row);
    EXPECT_TRUE(same_bits(row.summary, expected)) << row.kind << " " << row.scenario << " " << row.service << " "
                                                   << row.pool << " " << row.area << " " << row.metric;
    differences += row.kind == "difference";
    returns += row.metric == "return_per_pound";
  }
  EXPECT_GT(differences, 20u);
  EXPECT_EQ(returns, 1u);
  // The differences do vary from replication to replication (a test of the pairing) and the percentiles are not the
  // mean (a test of the read-back).
  const auto waits = std::find_if(summary.rows.begin(), summary.rows.end(), [](const Row& r) {
    return r.kind == "difference" && r.metric == "cost_avoided";
  });
  ASSERT_NE(waits, summary.rows.end());
  EXPECT_LT(waits->summary.p05, waits->summary.p95);
  EXPECT_NE(waits->summary.p50, waits->summary.mean);
  // And the same with a budget that reads everything at once.
  const RunSummary at_once = streamed(R, 1, kReadbackBudget, [](const Collector&, const RunRecord&) {});
  for (std::size_t i = 0; i < at_once.rows.size(); ++i) EXPECT_TRUE(same_bits(at_once.rows[i].summary, summary.rows[i].summary)) << i;
}

/// Rows whose values are given, one per replication, in the run's totals (row k reads totals[k]): the percentile
/// selection meets what the model rarely makes (ties, every value equal, outliers many orders of magnitude away),
/// compared with stats::summarize over every value held at once.
class Selection : public ::testing::Test {
 protected:
  /// A record of R replications of one scenario whose row k has the values columns[k] (NaN: undefined there).
  RunRecord record_of(const std::vector<std::vector<double>>& columns) {
    const std::size_t R = columns.front().size(), cells = totals_group().shape(scenarios_[0]).size();
    EXPECT_LE(columns.size(), cells);
    RunRecord run = new_record(scenarios_, 5, static_cast<int>(R), false);
    for (std::size_t r = 0; r < R; ++r) {
      ReplicationResult& result = run.scenarios[0].replications[r];
      result.replication = r;
      result.totals.assign(cells, 0.0);
      for (std::size_t k = 0; k < columns.size(); ++k) result.totals[k] = columns[k][r];
      run.scenarios[0].done[r] = true;
    }
    return run;
  }
  /// Row k: totals[k] (times `scale`, plus `shift`).
  static RowSpec row_reading(std::size_t k, double scale = 1, double shift = 0) {
    RowSpec spec;
    spec.row.metric = "column " + std::to_string(k);
    spec.reads = {&ReplicationResult::totals};
    spec.value = [k, scale, shift](const ReplicationResult& own, const ReplicationResult&) {
      return own.totals.at(k) * scale + shift;
    };
    return spec;
  }
  static std::vector<stats::Moments> moments_of(const std::vector<RowSpec>& specs, const RunRecord& run) {
    std::vector<stats::Moments> out(specs.size());
    for (const ReplicationResult& r : run.scenarios[0].replications)
      for (std::size_t i = 0; i < specs.size(); ++i) out[i].add(specs[i].value(r, r));
    return out;
  }
  std::vector<model::Scenario> scenarios_{testing::small_scenario("a")};
};

/// Counts the passes over the results: a pass reads replication 0 first.
class CountingReader : public RecordReader {
 public:
  using RecordReader::RecordReader;
  std::vector<double> read(std::size_t scenario, const Group& group, std::size_t first, std::size_t count) const override {
    passes += first == 0;
    return RecordReader::read(scenario, group, first, count);
  }
  mutable int passes = 0;
};

TEST_F(Selection, TiesEqualRowsAndOutliersGiveThePercentilesOfEveryValue) {
  const std::size_t R = 301;
  std::vector<std::vector<double>> columns(7, std::vector<double>(R));
  const double inf = std::numeric_limits<double>::infinity();
  for (std::size_t r = 0; r < R; ++r) {
    const double u = static_cast<double>((r * 7919) % R) / static_cast<double>(R);  // a shuffled 0 .. 1
    columns[0][r] = 42.5;                                                       // every value equal
    columns[1][r] = u < 0.8 ? 2.0 : (u < 0.9 ? 1.0 : 3.0);                       // three values, mostly ties
    columns[2][r] = u < 0.97 ? 1000.0 + u : 1e300 * u;                           // a few outliers far away
    columns[3][r] = u < 0.01 ? -inf : (u > 0.99 ? inf : std::pow(10.0, 40 * u - 20) * (u < 0.5 ? -1 : 1));
    columns[4][r] = r % 3 == 0 ? std::nan("") : u * 1e6;                         // undefined in a third
    columns[5][r] = u < 0.93 ? 0.0 : 5e5 * u;                                    // mostly nothing, a long tail
    columns[6][r] = r % 2 ? 7.0 : std::nextafter(7.0, 8.0);                      // two adjacent doubles
  }
  const RunRecord run = record_of(columns);
  std::vector<RowSpec> specs;
  for (std::size_t k = 0; k < columns.size(); ++k) specs.push_back(row_reading(k));
  const std::vector<stats::Moments> moments = moments_of(specs, run);
  // Budgets from one value a pass (every window narrowed bin by bin, two bins at a time) to all at once.
  for (std::size_t budget : {std::size_t{1}, std::size_t{3}, std::size_t{8}, std::size_t{50}, kReadbackBudget}) {
    CountingReader reader(run);
    const std::vector<stats::Summary> got = summaries(specs, moments, run, reader, budget);
    for (std::size_t k = 0; k < columns.size(); ++k)
      EXPECT_TRUE(same_bits(got[k], stats::summarize(columns[k]))) << "column " << k << ", budget " << budget;
    if (budget == 1) {
      EXPECT_GT(reader.passes, 10);  // the tiny budget did force refinement
    }
  }
  // The selection found something other than the mean, and the ties: p50 of the mostly-2 row is 2.
  const std::vector<stats::Summary> got = summaries(specs, moments, run, RecordReader(run), 8);
  EXPECT_EQ(got[0].p05, 42.5);
  EXPECT_EQ(got[0].p95, 42.5);
  EXPECT_EQ(got[1].p50, 2.0);
  EXPECT_EQ(got[5].p50, 0.0);
  EXPECT_GT(got[5].p95, 0.0);
  EXPECT_EQ(got[4].n, 200);
}

TEST_F(Selection, ThePassesOverTheResultsDoNotGrowWithReplications) {
  // 200 rows with a budget of 4,096 values: reading every row's values back a block of rows at a time would take
  // 200 x R / 4,096 passes (25 at 500 replications, 245 at 5,000); selection takes a few whatever R.
  auto passes = [&](std::size_t R) {
    std::vector<std::vector<double>> columns(1, std::vector<double>(R));
    for (std::size_t r = 0; r < R; ++r) columns[0][r] = std::sin(static_cast<double>(r)) * 1e4 + static_cast<double>(r % 17);
    const RunRecord run = record_of(columns);
    std::vector<RowSpec> specs;
    for (int k = 0; k < 200; ++k) specs.push_back(row_reading(0, 1 + k * 0.01, k));
    const std::vector<stats::Moments> moments = moments_of(specs, run);
    CountingReader reader(run);
    const std::vector<stats::Summary> got = summaries(specs, moments, run, reader, 4096);
    for (std::size_t k = 0; k < specs.size(); k += 37) {
      std::vector<double> values;
      for (const ReplicationResult& r : run.scenarios[0].replications) values.push_back(specs[k].value(r, r));
      EXPECT_TRUE(same_bits(got[k], stats::summarize(values))) << "row " << k << " of " << R;
    }
    return reader.passes;
  };
  const int at_500 = passes(500), at_5000 = passes(5000);
  EXPECT_LE(at_500, 6);
  EXPECT_LE(at_5000, 6);
  EXPECT_GE(at_5000, 2);  // a histogram, then the values of the wanted bins
}

TEST_F(StreamedSummary, WhatTheParentHoldsDoesNotGrowWithReplications) {
  auto largest = [&](int R, std::size_t keep) {
    std::size_t most = 0, kept = 0;
    streamed(R, keep, kReadbackBudget, [&](const Collector& c, const RunRecord& record) {
      most = std::max(most, c.values_held());
      kept = record.scenarios[1].replications.size();
    });
    EXPECT_EQ(kept, std::min<std::size_t>(keep, static_cast<std::size_t>(R)));
    return most;
  };
  const std::size_t small = largest(8, 2), large = largest(64, 2);
  EXPECT_GT(small, 0u);  // the two kept, and a result or two waiting for its neighbour
  EXPECT_EQ(small, large);
  // The measure can see growth: a collector that keeps every replication (a run without a results file) grows.
  EXPECT_GT(largest(64, Collector::kKeepAll), 2 * largest(8, Collector::kKeepAll));
}

TEST_F(StreamedSummary, TheCollectorJudgesPrecisionAsTheWholeRecordDoes) {
  // The key measures judged as results arrive out of order give the decision of the whole record, in order.
  const int R = 40;
  const RunRecord reference = whole(R);
  RunRecord record = new_record(scenarios_, 5, R, false);
  Collector collector(record, {}, 1);
  const PrecisionRule rule{0.5, 0.95, 3, 5, R};
  collector.track(key_measures(record), rule);
  for (int r = R - 1; r >= 0; --r)
    for (std::size_t s : {0, 1}) collector.add(static_cast<int>(s), result_of(scenarios_[s], s, static_cast<std::uint64_t>(r)));
  for (int available : {5, 12, R}) {
    const PrecisionDecision a = collector.decide(available), b = decide(reference, key_measures(reference), available, rule);
    EXPECT_EQ(a.decided, b.decided) << available;
    EXPECT_EQ(a.replications, b.replications) << available;
    EXPECT_EQ(a.settled, b.settled) << available;
    EXPECT_EQ(a.reason, b.reason) << available;
  }
}

}  // namespace
}  // namespace dasim::batch
