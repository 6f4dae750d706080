// Single pools and a tandem against exact queueing theory: Erlang C, Erlang B, M/M/inf, a Jackson tandem,
// non-preemptive priority and Erlang A. Every comparison is a theory value inside a Monte Carlo interval over
// independent replications (see kConfidence); each replication's figure is itself a long-run average after a
// warm-up of several relaxation times, so the start-up bias is far below the interval's width.
#include <gtest/gtest.h>

#include <cmath>

#include "queueing_theory.hpp"
#include "replications.hpp"

using namespace dasim::validation;

namespace {

constexpr double kDay = 365.25;  // rates in the scenario files are a year; theory here is a day

// The helpers themselves, on values known by hand, so that a wrong formula is not mistaken for a simulator bug.
TEST(QueueingTheory, KnownValues) {
  EXPECT_NEAR(erlang_b(1, 2.0), 2.0 / 3.0, 1e-15);
  EXPECT_NEAR(erlang_b(2, 1.0), 0.2, 1e-15);  // (1/2) / (1 + 1 + 1/2)
  EXPECT_NEAR(erlang_c(1, 0.7), 0.7, 1e-15);  // M/M/1: P(wait) = rho
  EXPECT_NEAR(erlang_c(2, 1.0), 1.0 / 3.0, 1e-15);
  EXPECT_NEAR(mmc_mean_wait(1, 0.8, 1.0), 0.8 / (1.0 - 0.8), 1e-12);  // M/M/1: rho / (mu - lambda)

  // One priority class is FIFO; with several, the load-weighted mean wait is FIFO's (a conservation law for
  // work-conserving disciplines when every class has the same service time).
  EXPECT_NEAR(priority_mean_waits(3, {2.4}, 1)[0], mmc_mean_wait(3, 2.4, 1), 1e-12);
  const std::vector<double> lambdas{1.0, 1.4};
  const std::vector<double> w = priority_mean_waits(3, lambdas, 1);
  EXPECT_NEAR((lambdas[0] * w[0] + lambdas[1] * w[1]) / 2.4, mmc_mean_wait(3, 2.4, 1), 1e-12);

  // Erlang A: the abandonment share by rate balance and by the waiting time law agree, Little's law links the
  // mean queue to the mean time in queue, and with a patience rate equal to the service rate the number in the
  // system is Poisson(a) as in M/M/inf.
  const ErlangA a = erlang_a(5, 5.5, 1.0, 0.5);
  EXPECT_NEAR(a.abandon_share, 1 - a.served_share, 1e-12);
  EXPECT_NEAR(a.mean_wait, a.mean_queue / 5.5, 1e-12);
  EXPECT_NEAR(a.mean_busy, 5.5 * (1 - a.abandon_share), 1e-12);  // carried load
  const ErlangA poisson = erlang_a(4, 3.0, 1.0, 1.0);
  double mean_min = 0, pn = std::exp(-3.0);
  for (int n = 0; n < 60; ++n, pn *= 3.0 / n) mean_min += std::min(n, 4) * pn;
  EXPECT_NEAR(poisson.mean_busy, mean_min, 1e-12);
  // Patience so long that nobody leaves: Erlang C.
  const ErlangA patient = erlang_a(10, 9.0, 1.0, 1e-9);
  EXPECT_NEAR(patient.served_mean_wait, mmc_mean_wait(10, 9.0, 1.0), 1e-6);
}

TEST(ErlangC, MMcMeanWaitAndShareWithinTarget) {
  const Replications run("mmc.toml", 60);
  const int c = 10;
  const double lambda = 3287.25 / kDay, mu = 1.0, target = 0.5;
  ASSERT_DOUBLE_EQ(run.scenario().pools[0].target_days, target);
  const double wait = mmc_mean_wait(c, lambda, mu);
  // At rho = 0.9 the mean wait is noisy (a replication of 45 years still varies by about 8%), but it is also
  // steep in the load (an elasticity of about 10): an interval of +-6% pins lambda / (c mu) to within 0.6%.
  EXPECT_TRUE(inside_interval("M/M/10 mean wait (d)", run.area("server", "", "wait_mean"), wait, 0.06 * wait));
  const double within = mmc_wait_within(c, lambda, mu, target);
  EXPECT_TRUE(inside_interval("M/M/10 share waiting <= 0.5 d", run.area("server", "", "within_target"), within, 0.012));
  // The median and 90th percentile, which results report from a wait histogram with bins 7.5% wide.
  constexpr double kBinRatio = 1.075;
  for (const auto& [metric, q] : {std::pair{"wait_p50", 0.5}, std::pair{"wait_p90", 0.9}}) {
    const double quantile = mmc_wait_quantile(c, lambda, mu, q);
    EXPECT_TRUE(inside_interval(std::string("M/M/10 ") + metric + " (d)", run.area("server", "", metric), quantile,
                                0.06 * quantile, kBinRatio));
  }
  // Little: the mean queue is lambda times the mean wait; any G/G/c keeps lambda / mu servers busy on average.
  EXPECT_TRUE(inside_interval("M/M/10 mean queue", run.pool("server", "mean_queue"), lambda * wait, 0.06 * lambda * wait));
  EXPECT_TRUE(inside_interval("M/M/10 mean busy", run.pool("server", "mean_busy"), lambda / mu, 0.005 * lambda / mu));
}

TEST(ErlangB, LossSystemsDeclineTheErlangBShare) {
  const Replications run("erlang_b.toml", 30);
  const int c = 10;
  const double offered = 8.0, b = erlang_b(c, offered);
  for (const std::string pool : {"beds_exponential", "beds_general"}) {
    const std::vector<double> share = ratio(run.area(pool, "", "declined"), run.area(pool, "", "entered"));
    EXPECT_TRUE(inside_interval(pool + " declined / entered", share, b, 0.04 * b));
    // Carried load: the mean number of beds taken (support plus move-on) is a (1 - B).
    EXPECT_TRUE(inside_interval(pool + " mean beds taken", run.pool(pool, "mean_busy"), offered * (1 - b),
                                0.01 * offered * (1 - b)));
  }
}

TEST(InfiniteServer, MeanBusyIsOfferedLoadAndNobodyWaits) {
  const Replications run("infinite_server.toml", 20);
  const double lognormal_mean = 2.0 * std::exp(std::pow(std::log(2.0), 2) / 2);
  const std::vector<std::pair<std::string, double>> pools{{"unlimited_exponential", 7305.0 / kDay * 1.0},
                                                          {"unlimited_lognormal", 3652.5 / kDay * lognormal_mean}};
  for (const auto& [pool, load] : pools) {
    EXPECT_TRUE(inside_interval(pool + " mean busy", run.pool(pool, "mean_busy"), load, 0.015 * load));
    // Exact, not statistical: with room for everyone, no case ever queues or is declined.
    for (int r = 0; r < run.count(); ++r) {
      EXPECT_EQ(run.area(pool, "", "wait_mean")[r], 0.0) << pool << " replication " << r;
      EXPECT_EQ(run.area(pool, "", "declined")[r], 0.0) << pool << " replication " << r;
      EXPECT_EQ(run.pool(pool, "mean_queue")[r], 0.0) << pool << " replication " << r;
    }
  }
}

TEST(JacksonTandem, EachStageIsAnMMcQueue) {
  const Replications run("tandem.toml", 30);
  const double lambda = 1461.0 / kDay;
  const struct {
    const char* pool;
    int c;
    double mu;
  } stages[] = {{"stage1", 5, 1.0}, {"stage2", 3, 2.0}};
  for (const auto& s : stages) {
    const double wait = mmc_mean_wait(s.c, lambda, s.mu);
    EXPECT_TRUE(inside_interval(std::string(s.pool) + " mean wait (d)", run.area(s.pool, "", "wait_mean"), wait, 0.07 * wait));
    EXPECT_TRUE(inside_interval(std::string(s.pool) + " mean busy", run.pool(s.pool, "mean_busy"), lambda / s.mu,
                                0.01 * lambda / s.mu));
  }
}

TEST(Priority, NonPreemptiveClassWaits) {
  const Replications run("priority.toml", 30);
  const double mu = 10.0;  // services take 0.1 day
  const struct {
    const char* pool;
    int c;
    double urgent, routine;  // a day
  } pools[] = {{"single", 1, 730.5 / kDay, 1461.0 / kDay}, {"triple", 3, 3287.25 / kDay, 4383.0 / kDay}};
  for (const auto& p : pools) {
    const std::vector<double> w = priority_mean_waits(p.c, {p.urgent, p.routine}, mu);
    const std::vector<double> urgent = run.area(p.pool, "urgent", "wait_mean");
    const std::vector<double> routine = run.area(p.pool, "routine", "wait_mean");
    EXPECT_TRUE(inside_interval(std::string(p.pool) + " urgent mean wait (d)", urgent, w[0], 0.05 * w[0]));
    EXPECT_TRUE(inside_interval(std::string(p.pool) + " routine mean wait (d)", routine, w[1], 0.05 * w[1]));
    // The ordering itself, paired by replication: urgent cases wait less than routine ones.
    const dasim::stats::Summary gap = dasim::stats::summarize(dasim::stats::paired_differences(routine, urgent), kConfidence);
    EXPECT_GT(gap.ci_low, 0) << p.pool << ": routine minus urgent mean wait " << gap.mean;
  }
}

TEST(ErlangA, MMcPlusExponentialPatience) {
  const Replications run("erlang_a.toml", 40);
  const int c = 5;
  const double lambda = 2008.875 / kDay, mu = 1.0, theta = 1.0 / 2.0;
  const ErlangA a = erlang_a(c, lambda, mu, theta);
  const std::vector<double> left = ratio(run.area("impatient", "", "disengaged"), run.area("impatient", "", "entered"));
  EXPECT_TRUE(inside_interval("M/M/5+M share leaving the queue", left, a.abandon_share, 0.03 * a.abandon_share));
  EXPECT_TRUE(inside_interval("M/M/5+M mean wait of those served (d)", run.area("impatient", "", "wait_mean"),
                              a.served_mean_wait, 0.03 * a.served_mean_wait));
  EXPECT_TRUE(inside_interval("M/M/5+M mean queue", run.pool("impatient", "mean_queue"), a.mean_queue, 0.03 * a.mean_queue));
  EXPECT_TRUE(inside_interval("M/M/5+M mean busy", run.pool("impatient", "mean_busy"), a.mean_busy, 0.01 * a.mean_busy));
}

}  // namespace
