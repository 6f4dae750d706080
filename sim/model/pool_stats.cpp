#include "model/pool_stats.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace dasim::model {

namespace {
const double kLogLow = std::log(WaitHistogram::kLow);
const double kBinsPerLog = (WaitHistogram::kBins - 1) / (std::log(WaitHistogram::kHigh) - std::log(WaitHistogram::kLow));
}  // namespace

void WaitHistogram::add(double wait) {
  int bin = 0;
  if (wait >= kLow) bin = std::min(kBins - 1, 1 + static_cast<int>((std::log(wait) - kLogLow) * kBinsPerLog));
  ++counts[bin];
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
      const double lo = lower_edge(bin), hi = bin + 1 < kBins ? lower_edge(bin + 1) : lower_edge(bin) * 1.075;
      return lo * std::pow(hi / lo, fraction);
    }
    below += here;
  }
  return lower_edge(kBins - 1);
}

void WaitHistogram::merge(const WaitHistogram& other) {
  for (int i = 0; i < kBins; ++i) counts[i] += other.counts[i];
}

PoolStats::PoolStats(int areas, int months, int initial_capacity)
    : by_area(areas), monthly(months), capacity(initial_capacity) {}

// Every change of queue, occupancy or capacity first brings the integrals up to `now`.
void PoolStats::advance(double now) {
  const double dt = now - last_;
  if (dt <= 0) return;
  queue_area += queue_length * dt;
  busy_area += busy * dt;
  capacity_area += capacity * dt;
  if (month_ < static_cast<int>(monthly.size())) {
    MonthBin& m = monthly[month_];
    m.queue_area += queue_length * dt;
    m.busy_area += busy * dt;
    m.capacity_area += capacity * dt;
    m.days += dt;
  }
  last_ = now;
}

void PoolStats::entered(double, int area) {
  by_area[area].entered += 1;
  if (month_ < static_cast<int>(monthly.size())) monthly[month_].entered += 1;
}

void PoolStats::declined(int area) {
  by_area[area].declined += 1;
  if (month_ < static_cast<int>(monthly.size())) monthly[month_].declined += 1;
}

void PoolStats::joined_queue(double now) {
  advance(now);
  ++queue_length;
}

void PoolStats::left_queue(double now, int area, double wait, bool served, bool on_time) {
  advance(now);
  --queue_length;
  queue_exits += 1;
  queue_time += std::min(wait, now - window_start_);  // only the part inside the observed window
  AreaTally& a = by_area[area];
  MonthBin* m = month_ < static_cast<int>(monthly.size()) ? &monthly[month_] : nullptr;
  if (served) {
    a.started += 1;
    a.wait_sum += wait;
    a.waits.add(wait);
    if (on_time) a.within_target += 1;
    if (m) m->started += 1, m->wait_sum += wait, m->within_target += on_time;
  } else {
    a.disengaged += 1;
    if (m) m->disengaged += 1;
  }
}

void PoolStats::started_without_queue(int area) {
  AreaTally& a = by_area[area];
  a.started += 1;
  a.within_target += 1;
  a.waits.add(0);
  queue_exits += 1;  // a zero wait counts towards the queue's throughput for Little's law
  if (month_ < static_cast<int>(monthly.size())) monthly[month_].started += 1, monthly[month_].within_target += 1;
}

void PoolStats::occupy(double now, int places) {
  advance(now);
  busy += places;
}

void PoolStats::release(double now, int places, double held_days) {
  advance(now);
  busy -= places;
  releases += places;
  held_time += places * std::min(held_days, now - window_start_);
}

void PoolStats::disengaged_in_service(int area) {
  by_area[area].disengaged += 1;
  if (month_ < static_cast<int>(monthly.size())) monthly[month_].disengaged += 1;
}

void PoolStats::completed(int area) {
  by_area[area].completed += 1;
  if (month_ < static_cast<int>(monthly.size())) monthly[month_].completed += 1;
}

void PoolStats::set_capacity(double now, int new_capacity) {
  advance(now);
  capacity = new_capacity;
}

void PoolStats::end_warmup(double now) {
  advance(now);
  for (AreaTally& a : by_area) a = AreaTally{};
  queue_area = busy_area = capacity_area = 0;
  queue_exits = queue_time = releases = held_time = 0;
  window_start_ = now;
}

void PoolStats::next_month(double now) {
  advance(now);
  ++month_;
}

void PoolStats::close(double now) {
  advance(now);
  observed_days = now - window_start_;
}

AreaTally PoolStats::total() const {
  AreaTally t;
  for (const AreaTally& a : by_area) {
    t.entered += a.entered;
    t.declined += a.declined;
    t.started += a.started;
    t.within_target += a.within_target;
    t.wait_sum += a.wait_sum;
    t.disengaged += a.disengaged;
    t.completed += a.completed;
    t.waits.merge(a.waits);
  }
  return t;
}

}  // namespace dasim::model
