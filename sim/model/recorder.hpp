#pragma once
// What a pool saw, as it happened: the one way the model reports to statistics. PoolStats implements it; a test
// can stand in its own to check what a pool reports and in what order. `now` is in days from the start; `who` says
// which person's home area, risk level and referral source the report counts under; `places` count cases held (a
// caseload's open cases, occupied beds, seats in groups).
namespace dasim::model {

/// The cells a person is counted in: indices of their home area, risk level and referral source in the scenario.
/// Made from an area alone (risk and source 0) where only the area matters, as in a pool watched by a test.
struct Who {
  int area = 0, risk = 0, source = 0;
  Who(int area_in = 0, int risk_in = 0, int source_in = 0) : area(area_in), risk(risk_in), source(source_in) {}  // NOLINT: implicit from an area
};

class Recorder {
 public:
  virtual ~Recorder() = default;

  // people
  virtual void entered(double now, Who who) = 0;  // arrived at the pool, whatever happens next
  virtual void declined(double now, Who who) = 0;  // full, ineligible or queue cap reached
  virtual void joined_queue(double now) = 0;
  /// Left the queue to start service after `wait` days; `on_time` if within the pool's target.
  virtual void started_after_wait(double now, Who who, double wait, bool on_time) = 0;
  /// Left the queue without starting, after `wait` days.
  virtual void gave_up_waiting(double now, Who who, double wait) = 0;
  virtual void started_without_wait(double now, Who who) = 0;
  virtual void disengaged_in_service(double now, Who who) = 0;  // left a programme before its end
  virtual void completed(double now, Who who) = 0;

  // places
  virtual void occupied(double now, int places) = 0;
  virtual void released(double now, int places) = 0;
  virtual void capacity_changed(double now, int places) = 0;

  // the clock
  virtual void warmup_ended(double now) = 0;
  virtual void month_ended(double now) = 0;  // a calendar month closed at `now`
  virtual void closed(double now) = 0;       // the end of the run
};

}  // namespace dasim::model
