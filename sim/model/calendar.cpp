#include "model/calendar.hpp"

#include <algorithm>
#include <cmath>

namespace dasim::model {

long days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_from_days(long z, int& year, int& month, int& day) {
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const long doe = z - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  year = static_cast<int>(yoe + era * 400 + (month <= 2));
}

bool valid_civil(int y, int m, int d) {
  if (m < 1 || m > 12 || d < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap);
}

Calendar::Calendar(const SimulationSpec& spec)
    : start_(days_from_civil(spec.start_year, spec.start_month, spec.start_day)),
      first_month_(spec.start_month - 1),
      start_weekday_(((start_ + 3) % 7 + 7) % 7),  // 1970-01-01 was a Thursday
      horizon_days_(spec.horizon_days()) {
  // Month starts far enough past the horizon for any lookup within it.
  int year = spec.start_year, month = spec.start_month;
  for (;;) {
    const long offset = days_from_civil(year, month, 1) - start_;
    month_starts_.push_back(std::max(0L, offset));
    if (offset > horizon_days_ + 1) break;
    if (++month > 12) month = 1, ++year;
  }
}

int Calendar::month_of_day(int day) const {
  const auto it = std::upper_bound(month_starts_.begin(), month_starts_.end(), static_cast<long>(day));
  return static_cast<int>(it - month_starts_.begin()) - 1;
}

double Calendar::first_day_of_month(int month_index) const {
  return static_cast<double>(month_starts_[std::min<std::size_t>(month_index, month_starts_.size() - 1)]);
}

double Calendar::add_working_days(double t, double days) const {
  auto weekend = [&](double x) { return weekday(static_cast<int>(std::floor(x))) >= 5; };
  while (weekend(t)) t = std::floor(t) + 1;
  while (days >= 1) {
    t += 1;
    while (weekend(t)) t += 1;
    days -= 1;
  }
  t += days;
  while (weekend(t)) t += 1;
  return t;
}

bool is_open(const OpeningHours& hours, const Calendar& calendar, double t) {
  if (hours.always) return true;
  const double day = std::floor(t);
  if (!(hours.days >> calendar.weekday(static_cast<int>(day)) & 1)) return false;
  // The opening event fires at day + from/24, which converts back to an hour a rounding error below `from`.
  const double hour = (t - day) * 24 + 1e-9;
  return hour >= hours.from_hour && hour < hours.to_hour;
}

double next_opening(const OpeningHours& hours, const Calendar& calendar, double t) {
  if (is_open(hours, calendar, t)) return t;
  double day = std::floor(t);
  for (int i = 0; i < 8; ++i, day += 1) {
    const double opening = day + hours.from_hour / 24;
    if ((hours.days >> calendar.weekday(static_cast<int>(day)) & 1) && opening >= t) return opening;
  }
  return t + 7;  // unreachable with at least one open day, which the loader guarantees
}

}  // namespace dasim::model
