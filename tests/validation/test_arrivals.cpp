// Referral streams: a non-homogeneous Poisson process whose rate has a seasonal profile, a compound trend and a
// yearly dated factor. Its count over any window is Poisson with mean the integral of the rate, and counts over
// disjoint windows are independent.
#include <gtest/gtest.h>

#include <array>
#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>
#include <cstdio>

#include "model/arrivals.hpp"
#include "model/calendar.hpp"
#include "random/rng.hpp"
#include "replications.hpp"
#include "scenario/loader.hpp"

using namespace dasim;
using namespace dasim::validation;

namespace {

double chi_squared_quantile(double degrees_of_freedom, double p) {
  return boost::math::quantile(boost::math::chi_squared(degrees_of_freedom), p);
}

struct Stream {
  model::Scenario scenario = scenario::load(scenario_path("arrivals.toml"));
  model::Calendar calendar{scenario.simulation};
  double horizon = scenario.simulation.horizon_days();
  double warmup = scenario.simulation.warmup_days;
  model::ArrivalRate rate{scenario.arrivals.at(0), calendar, horizon};
};

/// Civil date of each day of the run, by stepping through a month-length table from the start date: a
/// deliberately plain calendar, independent of model::Calendar's arithmetic.
struct CivilDate {
  int year, month, day;  // month 1..12
};
std::vector<CivilDate> civil_dates(int first_year, int first_month, int first_day, int days) {
  const auto leap = [](int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; };
  static constexpr int kLength[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  std::vector<CivilDate> dates;
  CivilDate d{first_year, first_month, first_day};
  for (int i = 0; i < days; ++i) {
    dates.push_back(d);
    if (++d.day > kLength[d.month - 1] + (d.month == 2 && leap(d.year))) {
      d.day = 1;
      if (++d.month > 12) d.month = 1, ++d.year;
    }
  }
  return dates;
}

/// The rate of day `d` from the civil calendar, independently of ArrivalRate's day table: base x seasonal[month]
/// x (1 + trend)^(d / 365.25) x dated factors, constant within a day. A yearly factor applies on the same
/// calendar dates every year. (ArrivalRate repeats it every 365 days, which moves it a day after a 29 February;
/// in this scenario every festive period comes before the leap day, so the two must agree exactly.)
double civil_rate(int d) {
  static const std::vector<CivilDate> dates = civil_dates(2025, 4, 1, 1200);
  static constexpr double kSeasonal[12] = {0.9, 0.8, 1.0, 1.1, 1.2, 1.3, 1.25, 1.15, 1.0, 0.95, 0.85, 1.5};
  const CivilDate& date = dates.at(d);
  double rate = 20000.0 / 365.25 * kSeasonal[date.month - 1] * std::pow(1.08, d / 365.25);
  // The festive period, 20 December to 3 January, every year.
  if ((date.month == 12 && date.day >= 20) || (date.month == 1 && date.day <= 3)) rate *= 1.6;
  return rate;
}

double civil_integral(double from, double to) {
  double total = 0;
  for (int d = static_cast<int>(std::floor(from)); d < to; ++d)
    total += civil_rate(d) * (std::min<double>(to, d + 1) - std::max<double>(from, d));
  return total;
}

TEST(Arrivals, RateIntegralMatchesTheCivilCalendar) {
  const Stream s;
  // civil_rate() restates the scenario by hand; make sure it still says the same.
  ASSERT_EQ(s.scenario.arrivals.size(), 1u);
  const model::ArrivalSpec& spec = s.scenario.arrivals[0];
  ASSERT_EQ(s.scenario.simulation.start_year * 10000 + s.scenario.simulation.start_month * 100 +
                s.scenario.simulation.start_day, 20250401);
  ASSERT_EQ(spec.rate_per_year, 20000.0);
  ASSERT_EQ(spec.seasonal, (std::array<double, 12>{0.9, 0.8, 1.0, 1.1, 1.2, 1.3, 1.25, 1.15, 1.0, 0.95, 0.85, 1.5}));
  ASSERT_EQ(spec.trend_per_year, 0.08);
  ASSERT_EQ(spec.dated.size(), 1u);
  ASSERT_EQ(spec.dated[0].first_day, 263);  // 2025-12-20
  ASSERT_EQ(spec.dated[0].last_day, 277);   // 2026-01-03
  ASSERT_EQ(spec.dated[0].factor, 1.6);
  ASSERT_TRUE(spec.dated[0].yearly);
  const double windows[][2] = {{0, s.horizon},                   // the whole run, ending mid-day
                               {s.warmup, s.horizon},            // the observed window, starting mid-day
                               {263, 294},                       // 20 December 2025 to 19 January 2026
                               {1005, 1036},                     // January 2028
                               {1063.5, 1065.5}};                // noon 28 February to noon 1 March 2028
  for (const auto& w : windows) {
    const double expected = civil_integral(w[0], w[1]);
    EXPECT_NEAR(s.rate.integral(w[0], w[1]), expected, 1e-12 * expected) << "[" << w[0] << ", " << w[1] << ")";
  }
}

TEST(Arrivals, ThinningGivesPoissonCountsWithTheIntegralAsMean) {
  const Stream s;
  // Bins: the calendar months of the run (the first starts at day 0, the last ends at the horizon).
  std::vector<double> edges;
  for (int m = 0; m < s.calendar.months_in_horizon(); ++m) edges.push_back(s.calendar.first_day_of_month(m));
  edges.push_back(s.horizon);
  const int bins = static_cast<int>(edges.size()) - 1;
  const int streams = 200;
  std::vector<double> observed(bins, 0), totals;
  for (int k = 0; k < streams; ++k) {
    random::Rng rng(random::stream_seed(seed(2024), k, "arrivals/referrals"));
    double total = 0;
    int bin = 0;
    for (double t = s.rate.next_after(0.0, rng); t < s.horizon; t = s.rate.next_after(t, rng)) {
      while (t >= edges[bin + 1]) ++bin;
      observed[bin] += 1;
      total += 1;
    }
    totals.push_back(total);
  }
  // Pearson's statistic over the monthly bins; with every expected count in the hundreds of thousands it is
  // chi-squared with `bins` degrees of freedom (no parameter is estimated).
  double pearson = 0;
  for (int b = 0; b < bins; ++b) {
    const double expected = streams * s.rate.integral(edges[b], edges[b + 1]);
    pearson += (observed[b] - expected) * (observed[b] - expected) / expected;
  }
  const double limit = chi_squared_quantile(bins, kConfidence);
  std::printf("monthly counts of %d streams: Pearson chi-squared %.1f on %d degrees of freedom, %.1f%% point %.1f\n",
              streams, pearson, bins, kConfidence * 100, limit);
  EXPECT_LT(pearson, limit);

  const double mean = s.rate.integral(0, s.horizon);
  EXPECT_TRUE(inside_interval("referrals over the whole run (in-process thinning)", totals, mean, 0.002 * mean));
  // Poisson: variance equal to the mean. (n - 1) s^2 / mean is chi-squared with n - 1 degrees of freedom, the
  // counts being normal to a very good approximation at this mean.
  const double sd = stats::summarize(totals).sd, dispersion = (streams - 1) * sd * sd / mean;
  EXPECT_GT(dispersion, chi_squared_quantile(streams - 1, (1 - kConfidence) / 2));
  EXPECT_LT(dispersion, chi_squared_quantile(streams - 1, (1 + kConfidence) / 2));
}

TEST(Arrivals, SimulatedReferralsMatchTheRateIntegral) {
  const Replications run("arrivals.toml", 24);
  const Stream s;
  const double mean = s.rate.integral(s.warmup, s.horizon);
  std::vector<double> counts;
  const std::vector<double> entered = run.area("intake", "", "entered"), people = run.total("people");
  for (int r = 0; r < run.count(); ++r) {
    // Counts are reported a year: times the observed years they are whole numbers again.
    const double count = entered[r] * run.observed_years();
    EXPECT_NEAR(count, std::round(count), 1e-6);
    EXPECT_NEAR(people[r] * run.observed_years(), count, 1e-6) << "everyone referred enters the intake";
    counts.push_back(std::round(count));
  }
  EXPECT_TRUE(inside_interval("referrals after the warm-up (simulated)", counts, mean, 0.004 * mean));
  const double sd = stats::summarize(counts).sd, dispersion = (run.count() - 1) * sd * sd / mean;
  EXPECT_GT(dispersion, chi_squared_quantile(run.count() - 1, (1 - kConfidence) / 2));
  EXPECT_LT(dispersion, chi_squared_quantile(run.count() - 1, (1 + kConfidence) / 2));
}

}  // namespace
