#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "random/distribution.hpp"
#include "random/rng.hpp"
#include "stats/summary.hpp"

using namespace dasim::random;

TEST(StreamSeed, IsAPureFunctionOfItsCoordinates) {
  EXPECT_EQ(stream_seed(7, 3, "arrivals/x", 2), stream_seed(7, 3, "arrivals/x", 2));
  std::set<std::uint64_t> seeds;
  for (std::uint64_t master : {1, 2})
    for (std::uint64_t rep : {0, 1})
      for (const char* name : {"a", "b"})
        for (std::uint64_t index : {0, 1}) seeds.insert(stream_seed(master, rep, name, index));
  EXPECT_EQ(seeds.size(), 16u) << "every coordinate must change the seed";
}

TEST(SplitMix64, UniformIsInUnitIntervalWithMeanHalf) {
  Rng rng(42);
  double sum = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / n, 0.5, 4 * std::sqrt(1.0 / 12 / n));
}

// Each distribution's sample mean must fall inside the 99.9% CI around its analytic mean.
class DistributionMean : public ::testing::TestWithParam<std::pair<const char*, Distribution>> {};

TEST_P(DistributionMean, SampleMeanMatchesTheory) {
  const Distribution& d = GetParam().second;
  Rng rng(stream_seed(1, 0, GetParam().first));
  std::vector<double> draws(100000);
  for (double& x : draws) {
    x = d.sample(rng);
    ASSERT_GE(x, 0.0);
  }
  const auto s = dasim::stats::summarize(draws, 0.999);
  EXPECT_LE(s.ci_low, d.mean()) << d.describe();
  EXPECT_GE(s.ci_high, d.mean()) << d.describe();
}

INSTANTIATE_TEST_SUITE_P(
    All, DistributionMean,
    ::testing::Values(std::pair{"exponential", Distribution::exponential(3.0)},
                      std::pair{"lognormal", Distribution::lognormal(10.0, 1.8)},
                      std::pair{"gamma", Distribution::gamma(5.0, 2.5)},
                      std::pair{"uniform", Distribution::uniform(2.0, 6.0)},
                      std::pair{"triangular", Distribution::triangular(1.0, 2.0, 9.0)},
                      std::pair{"empirical", Distribution::empirical({1, 5, 20}, {0.5, 0.3, 0.2})}));

TEST(Distribution, FixedIsFixedAndLognormalMedianIsTheMedian) {
  Rng rng(1);
  EXPECT_EQ(Distribution::fixed(4.5).sample(rng), 4.5);
  const Distribution d = Distribution::lognormal(30.0, 2.0);
  int below = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) below += d.sample(rng) < 30.0;
  EXPECT_NEAR(static_cast<double>(below) / n, 0.5, 4 * std::sqrt(0.25 / n));
}
