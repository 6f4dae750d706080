// Figures derived once from a scenario's replications: contract splits, the merged histogram, the monthly band
// and the warm-up check.
#include <gtest/gtest.h>

#include <cmath>

#include "batch/figures.hpp"
#include "batch/plan.hpp"
#include "fixtures.hpp"

namespace dasim::batch {
namespace {

TEST(Figures, AContractIsSplitByTheWorkersOfItsPools) {
  const model::Scenario s = testing::small_scenario("a", 4);  // advice: 4 + 2 workers, refuge: 3
  const std::vector<ContractSplit> splits = contract_splits(s);
  ASSERT_EQ(splits.size(), 1u);
  EXPECT_DOUBLE_EQ(splits[0].annual_cost, 700000);
  EXPECT_EQ(splits[0].funder_share.size(), s.funders.size());
  ASSERT_EQ(s.services, (std::vector<std::string>{"advice", "refuge"}));
  EXPECT_DOUBLE_EQ(splits[0].service_share[0], 6.0 / 9);
  EXPECT_DOUBLE_EQ(splits[0].service_share[1], 3.0 / 9);
}

TEST(Figures, TheHistogramAndTheBandUseFinishedReplicationsOnly) {
  const std::vector<model::Scenario> scenarios{testing::small_scenario()};
  RunRecord record = new_record(scenarios, 1, 3, false);
  for (std::uint64_t r : {0, 2}) {
    record.scenarios[0].replications[r] = testing::fabricated(scenarios[0], r, false);
    record.scenarios[0].done[r] = true;
  }
  record.scenarios[0].replications[1] = testing::fabricated(scenarios[0], 500, false);  // not done: must not count
  const ScenarioFigures f = scenario_figures(record.scenarios[0]);
  const auto& h0 = record.scenarios[0].replications[0].histogram;
  const auto& h2 = record.scenarios[0].replications[2].histogram;
  ASSERT_EQ(f.wait_histogram.size(), h0.size());
  for (std::size_t i = 0; i < h0.size(); ++i) {
    if (std::isnan(h0[i])) continue;
    ASSERT_DOUBLE_EQ(f.wait_histogram[i], h0[i] + h2[i]) << i;
  }

  const std::size_t cells = monthly_group().shape(scenarios[0]).size();
  ASSERT_EQ(f.monthly_band.size(), cells * kBandStatistics.size());
  const auto& m0 = record.scenarios[0].replications[0].monthly;
  const auto& m2 = record.scenarios[0].replications[2].monthly;
  for (std::size_t i = 0; i < cells; ++i) {
    const stats::Summary s = stats::summarize({m0[i], m2[i]});
    if (std::isnan(s.mean)) {
      EXPECT_TRUE(std::isnan(f.monthly_band[3 * i])) << i;
      continue;
    }
    EXPECT_DOUBLE_EQ(f.monthly_band[3 * i], s.mean) << i;
    EXPECT_DOUBLE_EQ(f.monthly_band[3 * i + 1], s.ci_low) << i;
    EXPECT_DOUBLE_EQ(f.monthly_band[3 * i + 2], s.ci_high) << i;
  }
}

TEST(Figures, TheWarmupCheckFindsASeriesThatSettlesLate) {
  model::Scenario s = testing::small_scenario();
  s.simulation.years = 3;
  s.simulation.warmup_days = 30.4375;  // one month
  const std::vector<model::Scenario> scenarios{s};
  RunRecord record = new_record(scenarios, 1, 1, false);
  ReplicationResult r = testing::fabricated(s, 0, false);
  const Shape shape = monthly_group().shape(s);
  const std::size_t months = shape.dims[1];
  // Advice's busy places rise for ten months, then stay level: a warm-up of one month is too short for it. Refuge's
  // alternate about a level from the start.
  for (std::size_t sv = 0; sv < 2; ++sv)
    for (std::size_t m = 0; m < months; ++m) {
      r.monthly[shape.at({sv, m, monthly_group().metric("mean_queue")})] = 0;
      r.monthly[shape.at({sv, m, monthly_group().metric("mean_busy")})] = sv == 0 ? std::min<double>(m, 10) : 5.0 + m % 2;
    }
  record.scenarios[0].replications[0] = r;
  record.scenarios[0].done[0] = true;
  const std::vector<WarmupCheck> checks = warmup_checks(record.scenarios[0]);
  ASSERT_EQ(checks.size(), 2u);
  EXPECT_EQ(checks[0].warmup_months, 1);
  EXPECT_GE(checks[0].mser_months, 9);
  EXPECT_FALSE(checks[0].long_enough());
  EXPECT_TRUE(checks[1].long_enough()) << checks[1].mser_months;
}

}  // namespace
}  // namespace dasim::batch
