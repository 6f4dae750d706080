#pragma once
// Civil dates for a replication that starts on a given day: months for seasonality and monthly results,
// weekdays and hours for opening times.
#include <string>
#include <vector>

#include "model/spec.hpp"

namespace dasim::model {

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
long days_from_civil(int year, int month, int day);
/// The civil date of a day count since 1970-01-01 (the inverse of days_from_civil).
void civil_from_days(long days, int& year, int& month, int& day);
/// True when year-month-day is a real date.
bool valid_civil(int year, int month, int day);

class Calendar {
 public:
  explicit Calendar(const SimulationSpec& spec);
  /// Calendar month 0..11 (January = 0) of day `d` since the start.
  int calendar_month(int day) const { return (first_month_ + month_of_day(day)) % 12; }
  /// Months since the start month (0 for the first, partial or not).
  int month_of_day(int day) const;
  /// Day of the week, Monday = 0.
  int weekday(int day) const { return static_cast<int>((start_weekday_ + day) % 7); }
  /// Offset in days of a civil date from the start date (negative before it).
  long offset_of(int year, int month, int day) const { return days_from_civil(year, month, day) - start_; }
  /// The civil date of a day offset from the start date.
  void civil_of(long offset, int& year, int& month, int& day) const { civil_from_days(start_ + offset, year, month, day); }
  int months_in_horizon() const { return month_of_day(static_cast<int>(horizon_days_)) + 1; }
  double first_day_of_month(int month_index) const;
  /// The time `days` working days (Monday to Friday) after `t`; from a weekend, counting starts on Monday 00:00.
  /// Fractions of a day count as a fraction of the last working day.
  double add_working_days(double t, double days) const;

 private:
  long start_;
  int first_month_;  // 0..11
  long start_weekday_;
  double horizon_days_;
  std::vector<long> month_starts_;  // offsets of the first day of each month since the start month
};

/// Whether service may start at time `t` (days) under these opening hours.
bool is_open(const OpeningHours& hours, const Calendar& calendar, double t);
/// The earliest time >= t at which the hours open (t itself when open).
double next_opening(const OpeningHours& hours, const Calendar& calendar, double t);

}  // namespace dasim::model
