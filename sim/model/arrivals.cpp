#include "model/arrivals.hpp"

#include <algorithm>
#include <boost/random/exponential_distribution.hpp>
#include <cmath>
#include <limits>

namespace dasim::model {

ArrivalRate::ArrivalRate(const ArrivalSpec& spec, const Calendar& calendar, double horizon_days) {
  const int days = static_cast<int>(std::ceil(horizon_days)) + 1;
  per_day_.resize(days);
  for (int d = 0; d < days; ++d) {
    double rate = spec.rate_per_year / kDaysPerYear * spec.seasonal[calendar.calendar_month(d)] *
                  std::pow(1 + spec.trend_per_year, d / kDaysPerYear);
    for (const DatedFactor& f : spec.dated) {
      const long period = std::lround(kDaysPerYear);
      // A yearly factor recurs on the same dates each year; 365.25 rounds to 365, so it may drift a day in
      // leap years, which is well inside the precision of the published uplifts.
      const long shift = f.yearly && d >= f.first_day ? (d - f.first_day) / period * period : 0;
      if (d - shift >= f.first_day && d - shift <= f.last_day) rate *= f.factor;
    }
    per_day_[d] = rate;
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
