// The collector that keeps a run flat in replications: whatever order results arrive in, the summary and the
// figures are bit for bit those of the whole record, while the record keeps no monthly series or histograms.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "batch/collector.hpp"
#include "batch/plan.hpp"
#include "batch/precision.hpp"
#include "batch/schema.hpp"
#include "fixtures.hpp"
#include "stats/summary.hpp"

namespace dasim::batch {
namespace {

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

void expect_same(const RunSummary& a, const RunSummary& b) {
  ASSERT_EQ(a.rows.size(), b.rows.size());
  for (std::size_t i = 0; i < a.rows.size(); ++i) {
    const stats::Summary &x = a.rows[i].summary, &y = b.rows[i].summary;
    EXPECT_TRUE(same_bits({x.mean, x.sd, x.ci_low, x.ci_high, x.p05, x.p50, x.p95}, {y.mean, y.sd, y.ci_low, y.ci_high, y.p05, y.p50, y.p95}))
        << a.rows[i].scenario << " " << a.rows[i].metric;
  }
  ASSERT_EQ(a.scenarios.size(), b.scenarios.size());
  for (std::size_t s = 0; s < a.scenarios.size(); ++s) {
    EXPECT_TRUE(same_bits(a.scenarios[s].monthly_band, b.scenarios[s].monthly_band)) << s;
    EXPECT_TRUE(same_bits(a.scenarios[s].wait_histogram, b.scenarios[s].wait_histogram)) << s;
    ASSERT_EQ(a.scenarios[s].warmup.size(), b.scenarios[s].warmup.size());
    for (std::size_t k = 0; k < a.scenarios[s].warmup.size(); ++k)
      EXPECT_EQ(a.scenarios[s].warmup[k].mser_months, b.scenarios[s].warmup[k].mser_months);
  }
}

class CollectorTest : public ::testing::Test {
 protected:
  std::vector<model::Scenario> scenarios_{testing::small_scenario("a"), testing::small_scenario("b", 3)};
  /// The whole record, as the run kept it before: every replication's every array.
  RunRecord whole(int replications) {
    RunRecord record = new_record(scenarios_, 5, replications, false);
    for (std::size_t s = 0; s < scenarios_.size(); ++s)
      for (int r = 0; r < replications; ++r) {
        record.scenarios[s].replications[r] = testing::fabricated(scenarios_[s], r + 100 * s, false);
        record.scenarios[s].replications[r].replication = static_cast<std::uint64_t>(r);
        record.scenarios[s].done[r] = true;
      }
    return record;
  }
};

TEST_F(CollectorTest, ResultsInAnyOrderGiveTheWholeRecordsSummaryBitForBit) {
  const RunRecord reference = whole(7);
  RunRecord record = new_record(scenarios_, 5, 7, false);
  int sunk = 0;
  Collector collector(record, [&](int, const ReplicationResult& r) {
    ++sunk;
    EXPECT_FALSE(r.monthly.empty());  // the sink (the file) sees the whole result
  });
  for (std::uint64_t r : {3, 0, 6, 1, 2, 5, 4})
    for (int s : {1, 0}) {
      ReplicationResult copy = reference.scenarios[s].replications[r];
      collector.add(s, std::move(copy));
    }
  EXPECT_EQ(sunk, 14);
  for (const auto& s : record.scenarios)
    for (const auto& r : s.replications) {
      EXPECT_TRUE(r.monthly.empty());  // folded into the figures, not kept
      EXPECT_TRUE(r.histogram.empty());
      EXPECT_FALSE(r.area_metrics.empty());  // kept: the summary rows read it
    }
  expect_same(collector.summarise(), summarise(reference));
  // And the band is stats::summarize of each cell, as the figures always were.
  std::vector<double> cell;
  for (const auto& r : reference.scenarios[0].replications) cell.push_back(r.monthly[5]);
  const stats::Summary s = stats::summarize(cell);
  const RunSummary again = summarise(reference);
  EXPECT_TRUE(same_bits({again.scenarios[0].monthly_band[15], again.scenarios[0].monthly_band[16]}, {s.mean, s.ci_low}));
}

TEST_F(CollectorTest, AnInterruptedRunsGapsAreLeftOutInOrder) {
  RunRecord reference = whole(5);
  reference.scenarios[0].done[1] = reference.scenarios[1].done[3] = false;
  RunRecord record = new_record(scenarios_, 5, 5, false);
  Collector collector(record, {});
  for (std::uint64_t r : {4, 2, 0, 3, 1})
    for (int s : {0, 1})
      if (reference.scenarios[s].done[r]) {
        ReplicationResult copy = reference.scenarios[s].replications[r];
        collector.add(s, std::move(copy));
      }
  EXPECT_FALSE(record.scenarios[0].done[1]);
  expect_same(collector.summarise(), summarise(reference));
}

TEST_F(CollectorTest, HeldReplicationsBeyondASequentialRunsCountAreDropped) {
  RunRecord reference = whole(8);
  RunRecord record = new_record(scenarios_, 5, 8, false);
  Collector collector(record, {});
  collector.hold_from(0);
  for (std::uint64_t r : {1, 0, 2, 7, 3, 6, 5, 4})
    for (int s : {0, 1}) {
      ReplicationResult copy = reference.scenarios[s].replications[r];
      collector.add(s, std::move(copy));
    }
  collector.hold_from(3);  // a decision rules out fewer than 3 replications
  keep_first(record, 5);   // and the rule settles on 5
  keep_first(reference, 5);
  expect_same(collector.summarise(), summarise(reference));
}

}  // namespace
}  // namespace dasim::batch
