// A run flat in replications: the summary from running moments and values read back from the results file is the
// summary of every replication's values held at once (mean, CI, SD, p05/p50/p95, differences, returns), bit for bit;
// and what the parent holds does not grow with the number of replications.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
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
