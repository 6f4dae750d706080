#include <gtest/gtest.h>

#include <cmath>

#include "model/arrivals.hpp"
#include "model/calendar.hpp"
#include "random/rng.hpp"

using namespace dasim::model;

SimulationSpec april_2025(double years = 2) {
  SimulationSpec s;
  s.start_year = 2025, s.start_month = 4, s.start_day = 1, s.years = years;
  return s;
}

TEST(Calendar, CivilDates) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
  EXPECT_TRUE(valid_civil(2024, 2, 29));
  EXPECT_FALSE(valid_civil(2025, 2, 29));
  EXPECT_FALSE(valid_civil(2025, 13, 1));
}

TEST(Calendar, MonthsAndWeekdaysFromTheStartDate) {
  const Calendar c(april_2025());
  EXPECT_EQ(c.weekday(0), 1);  // 1 April 2025 was a Tuesday
  EXPECT_EQ(c.calendar_month(0), 3);
  EXPECT_EQ(c.calendar_month(30), 4);   // 1 May
  EXPECT_EQ(c.month_of_day(29), 0);
  EXPECT_EQ(c.month_of_day(30), 1);
  EXPECT_EQ(c.calendar_month(275), 0);  // 1 January 2026
  EXPECT_EQ(c.offset_of(2025, 12, 25), 268);
  EXPECT_DOUBLE_EQ(c.first_day_of_month(1), 30.0);
}

TEST(Calendar, OpeningHours) {
  const Calendar c(april_2025());
  OpeningHours office;
  office.always = false;
  office.days = 0b0011111;  // Monday to Friday
  office.from_hour = 8, office.to_hour = 18;
  EXPECT_FALSE(is_open(office, c, 0.0));            // Tuesday 00:00
  EXPECT_TRUE(is_open(office, c, 0.5));             // Tuesday noon
  EXPECT_DOUBLE_EQ(next_opening(office, c, 0.0), 8.0 / 24);
  EXPECT_DOUBLE_EQ(next_opening(office, c, 3.9), 6 + 8.0 / 24);  // Friday 21:36 -> Monday 08:00
  EXPECT_FALSE(is_open(office, c, 4.5));            // Saturday
}

TEST(ArrivalRate, SeasonalTrendAndDatedFactors) {
  const Calendar c(april_2025());
  ArrivalSpec a;
  a.rate_per_year = kDaysPerYear * 10;  // 10 a day
  a.seasonal = {2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};  // January doubled
  a.dated.push_back({268, 268, 3.0, true});           // Christmas Day, every year
  const ArrivalRate r(a, c, 2 * kDaysPerYear);
  EXPECT_DOUBLE_EQ(r.at(0.5), 10.0);
  EXPECT_DOUBLE_EQ(r.at(268.5), 30.0);
  EXPECT_DOUBLE_EQ(r.at(275.5), 20.0);  // 1 January 2026
  EXPECT_DOUBLE_EQ(r.at(268 + 365 + 0.5), 30.0);
  EXPECT_DOUBLE_EQ(r.integral(0, 10), 100.0);
  ArrivalSpec growing = a;
  growing.seasonal.fill(1);
  growing.dated.clear();
  growing.trend_per_year = 0.1;
  const ArrivalRate g(growing, c, 2 * kDaysPerYear);
  EXPECT_NEAR(g.at(kDaysPerYear + 0.5) / g.at(0.5), 1.1, 0.001);
}

TEST(ArrivalRate, ThinningReproducesTheIntegral) {
  const Calendar c(april_2025());
  ArrivalSpec a;
  a.rate_per_year = 2000;
  a.seasonal = {1.3, 1.1, 1, 0.9, 0.8, 0.8, 1.2, 1.2, 0.9, 0.9, 1, 1.3};
  a.trend_per_year = 0.05;
  const ArrivalRate r(a, c, 2 * kDaysPerYear);
  const double expected = r.integral(0, 2 * kDaysPerYear);
  dasim::random::Rng rng(99);
  double total = 0;
  const int runs = 200;
  for (int i = 0; i < runs; ++i)
    for (double t = r.next_after(0, rng); t < 2 * kDaysPerYear; t = r.next_after(t, rng)) total += 1;
  // Poisson: the mean of `runs` counts has standard deviation sqrt(expected / runs).
  EXPECT_NEAR(total / runs, expected, 4 * std::sqrt(expected / runs));
}

TEST(Calendar, WorkingDays) {
  const Calendar c(april_2025());  // day 0 is Tuesday 1 April 2025
  EXPECT_DOUBLE_EQ(c.add_working_days(0.5, 1), 1.5);    // Tuesday noon -> Wednesday noon
  EXPECT_DOUBLE_EQ(c.add_working_days(3.5, 1), 6.5);    // Friday noon -> Monday noon
  EXPECT_DOUBLE_EQ(c.add_working_days(4.5, 1), 7.0);    // Saturday -> from Monday 00:00, one day: Tuesday 00:00
  EXPECT_DOUBLE_EQ(c.add_working_days(0.5, 0.5), 1.0);  // half a working day
}

TEST(Calendar, CivilFromDaysInvertsDaysFromCivil) {
  for (long z = -800000; z < 800000; z += 997) {
    int y, m, d;
    civil_from_days(z, y, m, d);
    ASSERT_TRUE(valid_civil(y, m, d));
    ASSERT_EQ(days_from_civil(y, m, d), z);
  }
}

TEST(ArrivalRate, YearlyFactorsStayOnTheirDatesThroughLeapYears) {
  const Calendar c(april_2025(6));
  ArrivalSpec a;
  a.rate_per_year = kDaysPerYear;  // 1 a day
  a.dated.push_back({static_cast<int>(c.offset_of(2025, 12, 25)), static_cast<int>(c.offset_of(2025, 12, 25)), 2.0, true});
  const ArrivalRate r(a, c, 6 * kDaysPerYear);
  for (int year = 2025; year <= 2030; ++year) {
    const double christmas = static_cast<double>(c.offset_of(year, 12, 25));
    EXPECT_DOUBLE_EQ(r.at(christmas + 0.5), 2.0) << year;
    EXPECT_DOUBLE_EQ(r.at(christmas - 0.5), 1.0) << year;
    EXPECT_DOUBLE_EQ(r.at(christmas + 1.5), 1.0) << year;
  }
}
