#pragma once
// Time-varying Poisson referrals: base rate × monthly seasonal profile × compound annual trend × dated factors.
// The rate is constant within a day, so its integral (the expected count) is an exact sum over days.
#include <vector>

#include "model/calendar.hpp"
#include "model/spec.hpp"
#include "random/rng.hpp"

namespace dasim::model {

class ArrivalRate {
 public:
  ArrivalRate(const ArrivalSpec& spec, const Calendar& calendar, double horizon_days);
  /// Referrals per day at time t.
  double at(double t) const;
  /// Expected referrals over [from, to).
  double integral(double from, double to) const;
  /// The next arrival after t, by thinning (Lewis & Shedler) against the largest daily rate; +inf if none.
  double next_after(double t, random::Rng& rng) const;

 private:
  std::vector<double> per_day_;  // referrals per day, for each day of the horizon
  double max_per_day_ = 0;
  bool constant_ = true;
};

}  // namespace dasim::model
