#pragma once
// What a pool records in one replication: counts and waits by home area (and again by risk level and by referral
// source), time averages of the queue, the
// occupied places and the capacity, and the same by calendar month. Memory does not grow with the number of
// people: waits go into a fixed log-scale histogram.
#include <array>
#include <cstdint>
#include <vector>

#include "model/recorder.hpp"

namespace dasim::model {

/// Waits on a log scale from 1e-4 to 1e4 days (bin ratio about 1.075); bin 0 holds waits under 1e-4 days.
struct WaitHistogram {
  static constexpr int kBins = 256;
  static constexpr double kLow = 1e-4, kHigh = 1e4;
  /// Upper edge over lower edge of a bin, rounded: it closes the top bin, which has no next bin to end it.
  static constexpr double kRatio = 1.075;
  std::array<std::uint64_t, kBins> counts{};

  void add(double wait) { ++counts[bin_of(wait)]; }
  /// The bin a wait falls in (a logarithm: find it once for a wait counted in several tallies).
  static int bin_of(double wait);
  std::uint64_t total() const;
  /// The q-quantile, interpolated geometrically within its bin; 0 when empty.
  double quantile(double q) const;
  static double lower_edge(int bin);
  void merge(const WaitHistogram& other);
};

/// Counts of people in one cell (a home area, a risk level or a referral source), after the warm-up.
struct AreaTally {
  double entered = 0;      // arrived at the pool (including those then declined)
  double declined = 0;     // full, ineligible or queue cap reached
  double started = 0;      // began service
  double within_target = 0;
  double wait_sum = 0;     // days, over those who began service
  double disengaged = 0;   // left the queue, or dropped out of a programme, before completing
  double completed = 0;
  WaitHistogram waits;
  /// Adds another tally (another area, or another pool of the same service).
  void add(const AreaTally& other);
};

/// One calendar month of the whole horizon, warm-up included, so that warm-up can be judged.
struct MonthBin {
  double entered = 0, declined = 0, started = 0, within_target = 0, wait_sum = 0, disengaged = 0, completed = 0;
  double queue_area = 0, busy_area = 0, capacity_area = 0, days = 0;  // integrals over the month (× days)
  /// Adds another pool's month: counts and integrals add; `days` is the month's length, the same for every pool.
  void add(const MonthBin& other);
};

/// The statistics of one pool in one replication, filled in by what the pool reports.
class PoolStats final : public Recorder {
 public:
  /// Tallies by `areas` home areas, `risks` risk levels and `sources` referral sources; `months` monthly bins.
  PoolStats(int areas, int months, int risks = 1, int sources = 1);

  void entered(double now, Who who) override;
  void declined(double now, Who who) override;
  void joined_queue(double now) override;
  void started_after_wait(double now, Who who, double wait, bool on_time) override;
  void gave_up_waiting(double now, Who who, double wait) override;
  void started_without_wait(double now, Who who) override;
  void disengaged_in_service(double now, Who who) override;
  void completed(double now, Who who) override;
  void occupied(double now, int places) override;
  void released(double now, int places) override;
  void capacity_changed(double now, int places) override;
  /// Totals restart from here (monthly bins keep everything).
  void warmup_ended(double now) override;
  void month_ended(double now) override;
  /// Brings the time integrals up to the end of the run.
  void closed(double now) override;

  // results
  std::vector<AreaTally> by_area;
  // The same people again, split by risk level and by referral source: each adds up to by_area's total.
  std::vector<AreaTally> by_risk, by_source;
  std::vector<MonthBin> monthly;
  double observed_days = 0;
  double queue_area = 0, busy_area = 0, capacity_area = 0;  // integrals after the warm-up
  double queue_time = 0;  // days spent queued inside the observed window: Little's law on the queue
  int longest_queue = 0;  // the most people waiting at once after the warm-up: the longest waiting list
  double over_area = 0;   // integral of places held above the recommended ones (a stretched caseload)
  double over_time = 0;   // days with more places held than recommended

  double mean_queue() const { return observed_days > 0 ? queue_area / observed_days : 0; }
  double mean_busy() const { return observed_days > 0 ? busy_area / observed_days : 0; }
  double mean_capacity() const { return observed_days > 0 ? capacity_area / observed_days : 0; }
  AreaTally total() const;

 private:
  /// Brings the time integrals up to `now`: every change of queue, occupancy or capacity comes here first.
  void advance(double now);
  /// The bin of the current month; past the horizon's last month, a bin that nobody reads.
  MonthBin& this_month() { return month_ < monthly.size() ? monthly[month_] : past_horizon_; }
  /// One more person in the tallies of their area, risk and source, and in this month's.
  void count(Who who, double AreaTally::*tally, double MonthBin::*month);
  /// A wait of those who started, in the tallies of their area, risk and source.
  void add_wait(Who who, double wait);

  int queue_length_ = 0, busy_ = 0, capacity_ = 0;
  double last_ = 0, window_start_ = 0;
  std::size_t month_ = 0;
  MonthBin past_horizon_;
};

}  // namespace dasim::model
