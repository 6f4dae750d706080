#include "model/arrivals.hpp"

#include <algorithm>
#include <boost/random/exponential_distribution.hpp>
#include <cmath>
#include <limits>

namespace dasim::model {

ArrivalRate::ArrivalRate(const ArrivalSpec& spec, const Calendar& calendar, double horizon_days) {
  const int days = static_cast<int>(std::ceil(horizon_days)) + 1;
  per_day_.resize(days);
  for (int d = 0; d < days; ++d)
    per_day_[d] = spec.rate_per_year / kDaysPerYear * spec.seasonal[calendar.calendar_month(d)] *
                  std::pow(1 + spec.trend_per_year, d / kDaysPerYear);
  for (const DatedFactor& f : spec.dated) {
    // A yearly factor recurs on the same calendar dates every year (Christmas stays on 25 December).
    int y1, m1, d1, y2, m2, d2;
    calendar.civil_of(f.first_day, y1, m1, d1);
    calendar.civil_of(f.last_day, y2, m2, d2);
    const int repeats = f.yearly ? static_cast<int>(horizon_days / kDaysPerYear) + 2 : 1;
    for (int k = 0; k < repeats; ++k) {
      const long first = std::max(0L, calendar.offset_of(y1 + k, m1, d1));
      const long last = std::min<long>(days - 1, calendar.offset_of(y2 + k, m2, d2));
      for (long d = first; d <= last; ++d) per_day_[d] *= f.factor;
    }
  }
  max_per_day_ = *std::max_element(per_day_.begin(), per_day_.end());
  constant_ = std::all_of(per_day_.begin(), per_day_.end(), [&](double r) { return r == max_per_day_; });
}

double ArrivalRate::at(double t) const {
  const auto d = static_cast<std::size_t>(std::max(0.0, t));
  return d < per_day_.size() ? per_day_[d] : 0.0;
}

double ArrivalRate::integral(double from, double to) const {
  double total = 0;
  for (double t = from; t < to;) {
    const double day_end = std::min(to, std::floor(t) + 1);
    total += at(t) * (day_end - t);
    t = day_end;
  }
  return total;
}

double ArrivalRate::next_after(double t, random::Rng& rng) const {
  if (max_per_day_ <= 0) return std::numeric_limits<double>::infinity();
  boost::random::exponential_distribution<double> gap(max_per_day_);
  for (;;) {
    t += gap(rng);
    if (t >= static_cast<double>(per_day_.size())) return std::numeric_limits<double>::infinity();
    if (constant_ || rng.uniform() * max_per_day_ < at(t)) return t;
  }
}

}  // namespace dasim::model
