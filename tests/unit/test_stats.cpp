#include <gtest/gtest.h>

#include <cmath>

#include "model/pool_stats.hpp"
#include "stats/summary.hpp"

using namespace dasim;

TEST(Summary, MeanSdAndStudentInterval) {
  const auto s = stats::summarize({2, 4, 4, 4, 5, 5, 7, 9});
  EXPECT_DOUBLE_EQ(s.mean, 5.0);
  EXPECT_NEAR(s.sd, 2.138089935, 1e-9);
  const double half = 2.364624252 * s.sd / std::sqrt(8.0);  // t(7, 0.975)
  EXPECT_NEAR(s.ci_low, 5 - half, 1e-6);
  EXPECT_NEAR(s.ci_high, 5 + half, 1e-6);
  EXPECT_EQ(s.n, 8);
  EXPECT_DOUBLE_EQ(s.p50, 4.5);
}

TEST(Summary, LeavesOutNaNAndHandlesEmpty) {
  const auto s = stats::summarize({1, NAN, 3});
  EXPECT_EQ(s.n, 2);
  EXPECT_DOUBLE_EQ(s.mean, 2);
  EXPECT_TRUE(std::isnan(stats::summarize({}).mean));
  EXPECT_TRUE(std::isnan(stats::summarize({1.0}).ci_low)) << "one replication has no interval";
}

TEST(Summary, TCriticalValues) {
  EXPECT_NEAR(stats::t_critical(9), 2.262157, 1e-5);
  EXPECT_NEAR(stats::t_critical(1000), 1.962339, 1e-5);
}

TEST(PairedDifferences, ArePerReplication) {
  EXPECT_EQ(stats::paired_differences({5, 7}, {1, 2}), (std::vector<double>{4, 5}));
}

TEST(WaitHistogram, QuantilesWithinABinOfTheTruth) {
  model::WaitHistogram h;
  for (int i = 1; i <= 1000; ++i) h.add(i * 0.01);  // uniform 0.01..10 days
  EXPECT_NEAR(h.quantile(0.5), 5.0, 5.0 * 0.08);
  EXPECT_NEAR(h.quantile(0.9), 9.0, 9.0 * 0.08);
  model::WaitHistogram zeros;
  for (int i = 0; i < 10; ++i) zeros.add(0.0);
  EXPECT_EQ(zeros.quantile(0.5), 0.0);
  EXPECT_EQ(zeros.total(), 10u);
}
