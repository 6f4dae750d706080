#pragma once
// What a pool records in one replication: counts and waits by home area, time averages of the queue, the
// occupied places and the capacity, and the same by calendar month. Memory does not grow with the number of
// people: waits go into a fixed log-scale histogram.
#include <array>
#include <cstdint>
#include <vector>

namespace dasim::model {

/// Waits on a log scale from 1e-4 to 1e4 days (bin ratio about 1.075); bin 0 holds waits under 1e-4 days.
struct WaitHistogram {
  static constexpr int kBins = 256;
  static constexpr double kLow = 1e-4, kHigh = 1e4;
  std::array<std::uint64_t, kBins> counts{};

  void add(double wait);
  std::uint64_t total() const;
  /// The q-quantile, interpolated geometrically within its bin; 0 when empty.
  double quantile(double q) const;
  static double lower_edge(int bin);
  void merge(const WaitHistogram& other);
};

/// Counts of people by home area, after the warm-up.
struct AreaTally {
  double entered = 0;      // arrived at the pool (including those then declined)
  double declined = 0;     // full, ineligible or queue cap reached
  double started = 0;      // began service
  double within_target = 0;
  double wait_sum = 0;     // days, over those who began service
  double disengaged = 0;   // left the queue, or dropped out of a programme, before completing
  double completed = 0;
  WaitHistogram waits;
};

/// One calendar month of the whole horizon, warm-up included, so that warm-up can be judged.
struct MonthBin {
  double entered = 0, declined = 0, started = 0, within_target = 0, wait_sum = 0, disengaged = 0, completed = 0;
  double queue_area = 0, busy_area = 0, capacity_area = 0, days = 0;  // integrals over the month (× days)
};

class PoolStats {
 public:
  PoolStats(int areas, int months, int capacity);

  void entered(double now, int area);
  void declined(int area);
  void joined_queue(double now);
  /// Left the queue by starting service (`served`, and `on_time` if within the pool's target) or by disengaging;
  /// `wait` is the time queued.
  void left_queue(double now, int area, double wait, bool served, bool on_time);
  void started_without_queue(int area);
  void occupy(double now, int places);
  void release(double now, int places, double held_days);
  void disengaged_in_service(int area);
  void completed(int area);
  void set_capacity(double now, int capacity);

  /// Ends the warm-up: totals restart from here (monthly bins keep everything).
  void end_warmup(double now);
  /// Closes the current month at its boundary `now`.
  void next_month(double now);
  /// Brings the time integrals up to the end of the run.
  void close(double now);

  // results
  std::vector<AreaTally> by_area;
  std::vector<MonthBin> monthly;
  double observed_days = 0;
  double queue_area = 0, busy_area = 0, capacity_area = 0;  // integrals after the warm-up
  double queue_exits = 0, queue_time = 0;                   // Little's law on the queue
  double releases = 0, held_time = 0;                       // Little's law on the places
  int queue_length = 0, busy = 0, capacity = 0;

  double mean_queue() const { return observed_days > 0 ? queue_area / observed_days : 0; }
  double mean_busy() const { return observed_days > 0 ? busy_area / observed_days : 0; }
  double mean_capacity() const { return observed_days > 0 ? capacity_area / observed_days : 0; }
  AreaTally total() const;

 private:
  void advance(double now);
  double last_ = 0, window_start_ = 0;
  int month_ = 0;
};

}  // namespace dasim::model
