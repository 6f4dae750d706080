#include "model/pool_stats.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace dasim::model {

namespace {
const double kLogLow = std::log(WaitHistogram::kLow);
const double kBinsPerLog = (WaitHistogram::kBins - 1) / (std::log(WaitHistogram::kHigh) - std::log(WaitHistogram::kLow));
}  // namespace

int WaitHistogram::bin_of(double wait) {
  return wait >= kLow ? std::min(kBins - 1, 1 + static_cast<int>((std::log(wait) - kLogLow) * kBinsPerLog)) : 0;
}

std::uint64_t WaitHistogram::total() const { return std::accumulate(counts.begin(), counts.end(), std::uint64_t{0}); }

double WaitHistogram::lower_edge(int bin) { return bin == 0 ? 0.0 : std::exp(kLogLow + (bin - 1) / kBinsPerLog); }

double WaitHistogram::quantile(double q) const {
  const std::uint64_t n = total();
  if (n == 0) return 0;
  const double rank = q * static_cast<double>(n);
  double below = 0;
  for (int bin = 0; bin < kBins; ++bin) {
    const double here = static_cast<double>(counts[bin]);
    if (below + here >= rank && here > 0) {
      if (bin == 0) return 0;
      const double fraction = std::clamp((rank - below) / here, 0.0, 1.0);
      const double lo = lower_edge(bin), hi = bin + 1 < kBins ? lower_edge(bin + 1) : lower_edge(bin) * kRatio;
      return lo * std::pow(hi / lo, fraction);
    }
    below += here;
  }
  return lower_edge(kBins - 1);
}

void WaitHistogram::merge(const WaitHistogram& other) {
  for (int i = 0; i < kBins; ++i) counts[i] += other.counts[i];
}

void AreaTally::add(const AreaTally& a) {
  entered += a.entered, declined += a.declined, started += a.started, within_target += a.within_target;
  wait_sum += a.wait_sum, disengaged += a.disengaged, completed += a.completed;
  waits.merge(a.waits);
}

void MonthBin::add(const MonthBin& m) {
  entered += m.entered, declined += m.declined, started += m.started, within_target += m.within_target;
  wait_sum += m.wait_sum, disengaged += m.disengaged, completed += m.completed;
  queue_area += m.queue_area, busy_area += m.busy_area, capacity_area += m.capacity_area;
  days = m.days;
}

PoolStats::PoolStats(int areas, int months, int risks, int sources)
    : by_area(areas), by_risk(risks), by_source(sources), monthly(months) {}

void PoolStats::advance(double now) {
  const double dt = now - last_;
  if (dt <= 0) return;
  queue_area += queue_length_ * dt;
  busy_area += busy_ * dt;
  capacity_area += capacity_ * dt;
  if (busy_ > capacity_) over_area += (busy_ - capacity_) * dt, over_time += dt;
  MonthBin& m = this_month();
  m.queue_area += queue_length_ * dt;
  m.busy_area += busy_ * dt;
  m.capacity_area += capacity_ * dt;
  m.days += dt;
  last_ = now;
}

void PoolStats::count(Who who, double AreaTally::*tally, double MonthBin::*month) {
  by_area[who.area].*tally += 1;
  by_risk[who.risk].*tally += 1;
  by_source[who.source].*tally += 1;
  this_month().*month += 1;
}

void PoolStats::add_wait(Who who, double wait) {
  const int bin = WaitHistogram::bin_of(wait);
  for (AreaTally* a : {&by_area[who.area], &by_risk[who.risk], &by_source[who.source]}) {
    a->wait_sum += wait;
    ++a->waits.counts[bin];
  }
}

void PoolStats::entered(double, Who who) { count(who, &AreaTally::entered, &MonthBin::entered); }

void PoolStats::declined(double, Who who) { count(who, &AreaTally::declined, &MonthBin::declined); }

void PoolStats::joined_queue(double now) {
  advance(now);
  ++queue_length_;
  if (now >= window_start_) longest_queue = std::max(longest_queue, queue_length_);
}

void PoolStats::started_after_wait(double now, Who who, double wait, bool on_time) {
  advance(now);
  --queue_length_;
  queue_time += std::min(wait, now - window_start_);  // only the part inside the observed window
  count(who, &AreaTally::started, &MonthBin::started);
  add_wait(who, wait);
  this_month().wait_sum += wait;
  if (on_time) count(who, &AreaTally::within_target, &MonthBin::within_target);
}

void PoolStats::gave_up_waiting(double now, Who who, double wait) {
  advance(now);
  --queue_length_;
  queue_time += std::min(wait, now - window_start_);
  count(who, &AreaTally::disengaged, &MonthBin::disengaged);
}

void PoolStats::started_without_wait(double, Who who) {
  count(who, &AreaTally::started, &MonthBin::started);
  count(who, &AreaTally::within_target, &MonthBin::within_target);
  add_wait(who, 0);
}

void PoolStats::disengaged_in_service(double, Who who) { count(who, &AreaTally::disengaged, &MonthBin::disengaged); }

void PoolStats::completed(double, Who who) { count(who, &AreaTally::completed, &MonthBin::completed); }

void PoolStats::occupied(double now, int places) {
  advance(now);
  busy_ += places;
}

void PoolStats::released(double now, int places) {
  advance(now);
  busy_ -= places;
}

void PoolStats::capacity_changed(double now, int places) {
  advance(now);
  capacity_ = places;
}

void PoolStats::warmup_ended(double now) {
  advance(now);
  for (auto* tallies : {&by_area, &by_risk, &by_source})
    for (AreaTally& a : *tallies) a = AreaTally{};
  queue_area = busy_area = capacity_area = queue_time = over_area = over_time = 0;
  longest_queue = queue_length_;
  window_start_ = now;
}

void PoolStats::month_ended(double now) {
  advance(now);
  ++month_;
}

void PoolStats::closed(double now) {
  advance(now);
  observed_days = now - window_start_;
}

AreaTally PoolStats::total() const {
  AreaTally t;
  for (const AreaTally& a : by_area) t.add(a);
  return t;
}

}  // namespace dasim::model
