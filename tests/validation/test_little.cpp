// Little's law, L = lambda W, on the queue of every pool.
//
// Part of it is exact by construction, part is not, and the tests assert each accordingly. A pool reports the
// mean queue L = (integral of the queue length over the observed window) / T, and lambda W = (sum, over cases
// that left the queue inside the window, of the part of their wait inside it) / T; the model clips each wait at
// the end of the warm-up. Both count the same case-days in the queue, except those of cases still waiting when
// the run ends, so in every replication
//     L - lambda W = R / T >= 0,   R = total time already spent in the window by the final queue.
// That is exact, and R = 0 exactly when nobody is waiting at the end; where every queue has emptied before the
// end, L = lambda W to rounding, whatever the queue discipline.
//
// R itself is random: one snapshot per replication, 0 in most and now and then large. Two things about it are
// known in steady state and checked without leaning on a normal approximation it does not satisfy:
//  - the number of replications that end with someone waiting is binomial with p = P(queue not empty), which
//    theory gives (C rho for M/M/c, whatever the order of service among classes with one service rate; the
//    birth-death chain for Erlang A);
//  - E[R] = lambda E[W^2] / 2 (the H = lambda G form of Little's law, applied to a case's age in the queue):
//    the gap must not be larger than that end-of-run term, i.e. the lower confidence limit of the mean of R must
//    not exceed it. (A right-skewed sample makes a Student-t interval miss on the high side, not this one.)
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/math/distributions/binomial.hpp>
#include <cmath>
#include <cstdio>
#include <fmt/format.h>
#include <limits>
#include <map>

#include "batch/schema.hpp"
#include "queueing_theory.hpp"
#include "replications.hpp"
#include "scenario/loader.hpp"

using namespace dasim;
using namespace dasim::validation;

namespace {

constexpr double kDay = 365.25;
constexpr double kRounding = 1e-9;  // relative: sums of a few hundred thousand doubles

/// What steady-state theory says about the end of the run for one pool.
struct EndOfRun {
  double queue_nonempty;  // P(someone is waiting)
  double final_age;       // E[R], case-days; NaN where there is no closed form
};

std::map<std::string, EndOfRun> end_of_run_theory(const std::string& file) {
  const double none = std::numeric_limits<double>::quiet_NaN();
  const auto mmc = [](int c, double lambda, double mu) {
    const double theta = c * mu - lambda, C = erlang_c(c, lambda / mu);
    return EndOfRun{C * lambda / (c * mu), lambda * C / (theta * theta)};  // E[W^2] = 2 C / theta^2
  };
  if (file == "mmc.toml") return {{"server", mmc(10, 3287.25 / kDay, 1.0)}};
  if (file == "tandem.toml") return {{"stage1", mmc(5, 1461.0 / kDay, 1.0)}, {"stage2", mmc(3, 1461.0 / kDay, 2.0)}};
  if (file == "priority.toml")
    return {{"single", {mmc(1, (730.5 + 1461.0) / kDay, 10.0).queue_nonempty, none}},
            {"triple", {mmc(3, (3287.25 + 4383.0) / kDay, 10.0).queue_nonempty, none}}};
  if (file == "erlang_a.toml") {
    const double lambda = 2008.875 / kDay;
    const ErlangA a = erlang_a(5, lambda, 1.0, 0.5);
    return {{"impatient", {a.queue_nonempty, lambda * a.mean_wait_squared / 2}}};
  }
  return {};
}

class SteadyState : public ::testing::TestWithParam<std::string> {};

TEST_P(SteadyState, OnlyTheFinalQueueIsMissing) {
  const std::string file = GetParam();
  model::Scenario scenario = scenario::load(scenario_path(file));
  // Little's law needs no long run: one year after the usual warm-up of half a year (many relaxation times of
  // every queue here). Pools with theory to check get many replications, the others a few.
  scenario.simulation.years = scenario.simulation.warmup_days / model::kDaysPerYear + 1;
  const std::map<std::string, EndOfRun> theory = end_of_run_theory(file);
  const int count = theory.empty() ? 10 : 100;
  const std::vector<batch::ReplicationResult> results = run(scenario, count, seed(3), 2);
  const double T = scenario.simulation.horizon_days() - scenario.simulation.warmup_days;
  const batch::Shape shape = batch::pool_group().shape(scenario);
  const std::size_t at_L = batch::pool_group().metric("little_L"), at_lambda_W = batch::pool_group().metric("little_lambda_W");
  for (std::size_t p = 0; p < scenario.pools.size(); ++p) {
    const std::string& pool = scenario.pools[p].name;
    std::vector<double> final_age;  // R = (L - lambda W) T, case-days
    int ended_with_queue = 0;
    bool queued = false;
    for (int r = 0; r < count; ++r) {
      const double L = results[r].pool_metrics[shape.at({p, at_L})];
      const double lambda_W = results[r].pool_metrics[shape.at({p, at_lambda_W})];
      EXPECT_GE(L - lambda_W, -kRounding * std::max(1.0, L)) << file << " " << pool << " replication " << r;
      queued |= L > 0;
      final_age.push_back((L - lambda_W) * T);
      ended_with_queue += L - lambda_W > kRounding * std::max(1.0, L);
    }
    if (!queued) {
      // Nobody ever queued: both sides are zero, not merely close.
      for (int r = 0; r < count; ++r) EXPECT_EQ(results[r].pool_metrics[shape.at({p, at_lambda_W})], 0.0) << pool;
      std::printf("%s %s: no queue, L = lambda W = 0 in every replication\n", file.c_str(), pool.c_str());
      continue;
    }
    const auto it = theory.find(pool);
    ASSERT_NE(it, theory.end()) << pool << " queues but has no theory in this test";
    const boost::math::binomial ends(count, it->second.queue_nonempty);
    const double tail = (1 - kConfidence) / 2;
    const double low = boost::math::quantile(ends, tail), high = boost::math::quantile(boost::math::complement(ends, tail));
    std::printf("%s %s: %d of %d replications end with a queue; theory %.4g, %.1f%% range [%g, %g]\n", file.c_str(),
                pool.c_str(), ended_with_queue, count, it->second.queue_nonempty * count, kConfidence * 100, low, high);
    EXPECT_GE(ended_with_queue, low) << file << " " << pool;
    EXPECT_LE(ended_with_queue, high) << file << " " << pool;
    const stats::Summary s = stats::summarize(final_age, kConfidence);
    const double expected = it->second.final_age;
    const std::string theory_text = std::isnan(expected) ? "no closed form" : fmt::format("theory {:.4g}", expected);
    std::printf("%s %s: case-days queued at the end %.4g, %.1f%% CI [%.4g, %.4g]; %s\n", file.c_str(), pool.c_str(),
                s.mean, kConfidence * 100, s.ci_low, s.ci_high, theory_text.c_str());
    if (!std::isnan(expected)) {
      EXPECT_LE(s.ci_low, expected) << file << " " << pool;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(LittlesLaw, SteadyState,
                         ::testing::Values("mmc.toml", "erlang_b.toml", "infinite_server.toml", "tandem.toml",
                                           "priority.toml", "erlang_a.toml", "arrivals.toml"),
                         [](const auto& info) { return info.param.substr(0, info.param.find('.')); });

TEST(LittlesLaw, ExactOnceEveryQueueHasDrained) {
  const Replications run("little.toml", 16);
  // The scenario stops referrals long enough before the end for every queue to empty (see its header). Check that
  // it did: a service's mean queue over the last month is zero only if none of its pools had anyone waiting.
  const int last_month = static_cast<int>(batch::month_labels(run.scenario()).size()) - 1;
  for (const std::string& service : run.scenario().services)
    for (double q : run.monthly(service, last_month, "mean_queue"))
      ASSERT_EQ(q, 0.0) << service << " still had a queue in the last month: the drain period is too short";

  for (const std::string& pool : run.pool_names()) {
    const std::vector<double> L = run.pool(pool, "little_L"), lambda_W = run.pool(pool, "little_lambda_W");
    double worst = 0;
    for (int r = 0; r < run.count(); ++r) {
      EXPECT_GT(L[r], 0) << pool << ": nobody queued, so this pool tests nothing";
      EXPECT_NEAR(L[r], lambda_W[r], kRounding * L[r]) << pool << " replication " << r;
      worst = std::max(worst, std::abs(L[r] - lambda_W[r]) / L[r]);
    }
    std::printf("little.toml %s: mean queue %.4g, largest relative |L - lambda W| %.2g over %d replications\n",
                pool.c_str(), stats::summarize(L).mean, worst, run.count());
  }

  // The features the scenario is there to exercise did happen.
  const auto sum = [](const std::vector<double>& v) { double s = 0; for (double x : v) s += x; return s; };
  EXPECT_GT(sum(run.area("idva", "", "disengaged")), 0) << "patience never ran out in the priority queue";
  EXPECT_GT(sum(run.area("outreach", "", "declined")), 0) << "the queue cap never declined anyone";
  EXPECT_GT(sum(run.area("refuge", "", "declined")), 0) << "the refuge never declined anyone";
  EXPECT_GT(sum(run.area("programme", "", "disengaged")), 0) << "nobody dropped out of or gave up on a programme";
  EXPECT_GT(sum(run.area("marac", "", "completed")), 0) << "no case was reviewed at a sitting";
  EXPECT_GT(sum(run.total("retriaged")), 0) << "nobody moved across the boundary to a different front door";
}

}  // namespace
