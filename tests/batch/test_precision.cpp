// The sequential rule that chooses the number of replications (Hoad, Robinson and Davies 2010).
#include <gtest/gtest.h>

#include <cmath>

#include "batch/plan.hpp"
#include "batch/precision.hpp"
#include "fixtures.hpp"
#include "stats/summary.hpp"

namespace dasim::batch {
namespace {

/// A run of `n` replications of one scenario whose only key measure reads totals[0] = values[r].
struct Synthetic {
  explicit Synthetic(const std::vector<double>& values)
      : scenarios{testing::small_scenario("a")}, record(new_record(scenarios, 1, static_cast<int>(values.size()), false)) {
    for (std::size_t r = 0; r < values.size(); ++r) {
      record.scenarios[0].replications[r].totals = {values[r]};
      record.scenarios[0].done[r] = true;
    }
    keys.push_back({"x", 0, false, [](const ReplicationResult& r) { return r.totals[0]; }, {}});
  }
  std::vector<model::Scenario> scenarios;
  RunRecord record;
  std::vector<KeyMeasure> keys;
};

/// The relative half-width after n values, computed the textbook way (two passes), independently of decide().
double relative_half_width(const std::vector<double>& v, int n) {
  double mean = 0, ss = 0;
  for (int i = 0; i < n; ++i) mean += v[i] / n;
  for (int i = 0; i < n; ++i) ss += (v[i] - mean) * (v[i] - mean);
  return stats::t_critical(n - 1) * std::sqrt(ss / (n - 1)) / std::sqrt(static_cast<double>(n)) / std::abs(mean);
}

TEST(Precision, StopsWhereTheIntervalFirstFallsWithinThePrecisionOnAKnownVariance) {
  // 100 ± 10 alternately: the sample variance is known in closed form, and the half-width shrinks steadily, so the
  // rule stops at the first n where t s / sqrt(n) <= 2% of 100, the look-ahead confirming it.
  std::vector<double> v;
  for (int i = 0; i < 400; ++i) v.push_back(100 + (i % 2 ? -10.0 : 10.0));
  Synthetic run(v);
  int expected = 0;
  for (int n = 3; n <= 400 && !expected; ++n)
    if (relative_half_width(v, n) <= 0.02) expected = n;
  ASSERT_GT(expected, 50) << "the case must need many replications to be a test";
  const PrecisionRule rule{0.02, 0.95, 3, 5, 400};
  // Too few replications to confirm: undecided, whatever the count reached.
  EXPECT_FALSE(decide(run.record, run.keys, expected + 2, rule).decided);
  const PrecisionDecision d = decide(run.record, run.keys, 400, rule);
  ASSERT_TRUE(d.decided);
  EXPECT_TRUE(d.met);
  // An alternating series meets the bound at odd n a little before even n: the first n that stays within it.
  int stays = expected;
  for (int n = expected; n <= 400; ++n)
    if (relative_half_width(v, n) > 0.02) stays = n + 1;
  EXPECT_EQ(d.replications, stays);
  EXPECT_LE(stays - expected, 2);
}

TEST(Precision, AChanceAgreementIsNotTakenWhenTheLookAheadBreaksIt) {
  // Tight at first, then a wild value at replication 6: within 2% at n = 5, but not over the look-ahead.
  std::vector<double> v{100, 100.5, 99.5, 100, 100.2, 160, 100, 100, 100, 100, 100, 100};
  for (int i = 0; i < 300; ++i) v.push_back(100 + (i % 2 ? -1.0 : 1.0));
  Synthetic run(v);
  const PrecisionRule rule{0.02, 0.95, 3, 5, static_cast<int>(v.size())};
  ASSERT_LE(relative_half_width(v, 5), 0.02);
  const PrecisionDecision d = decide(run.record, run.keys, static_cast<int>(v.size()), rule);
  ASSERT_TRUE(d.met);
  EXPECT_GT(d.replications, 6);
  for (int n = d.replications; n <= d.replications + look_ahead(d.replications, rule); ++n)
    EXPECT_LE(relative_half_width(v, n), 0.02) << n;
}

TEST(Precision, AtTheMaximumItSaysWhichMeasuresFellShort) {
  std::vector<double> v;
  for (int i = 0; i < 20; ++i) v.push_back(100 + (i % 2 ? -50.0 : 50.0));
  Synthetic run(v);
  const PrecisionDecision d = decide(run.record, run.keys, 20, {0.02, 0.95, 3, 5, 20});
  ASSERT_TRUE(d.decided);
  EXPECT_FALSE(d.met);
  EXPECT_EQ(d.replications, 20);
  ASSERT_EQ(d.short_of.size(), 1u);
  EXPECT_NE(d.reason.find("x ("), std::string::npos) << d.reason;
}

TEST(Precision, LookAheadGrowsBeyondAHundredReplications) {
  const PrecisionRule rule;
  EXPECT_EQ(look_ahead(50, rule), 5);
  EXPECT_EQ(look_ahead(100, rule), 5);
  EXPECT_EQ(look_ahead(400, rule), 20);
}

}  // namespace
}  // namespace dasim::batch
