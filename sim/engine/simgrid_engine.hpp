#pragma once
// The SimGrid adapter: the only code in dasim that includes SimGrid.
//
// Every model event is a SimGrid kernel timer, so the simulation's future-event set is SimGrid's own. SimGrid
// does not run timers of the same date in the order they were set, so the adapter restores that order: each
// event carries a sequence number, and when a timer fires while others of the same date are still pending, it
// is held back and the whole batch runs in sequence order once the last of them fires.
//
// SimGrid keeps one clock per process and cannot reset it, so a process runs one replication (the batch layer
// forks a fresh worker for each). Constructing a second engine in a process is refused.
#include <cstdint>
#include <exception>
#include <utility>
#include <vector>

#include "model/scheduler.hpp"

namespace simgrid::kernel::timer {
class Timer;
}

namespace dasim::engine {

class SimGridEngine final : public model::Scheduler {
 public:
  SimGridEngine();
  double now() const override;
  model::EventHandle schedule(double date, const model::Event& event) override;
  /// Takes the timer out of SimGrid's heap (Timer::remove), so the engine never steps to its date.
  bool cancel(const model::EventHandle& handle) override;
  /// The event behind `handle` while it is still pending, else null (for tools that count what is cancelled).
  const model::Event* pending(const model::EventHandle& handle) const;
  /// Runs every event up to `horizon` (days). Rethrows the first exception a handler raised.
  void run_until(double horizon);

 private:
  void fire(std::uint32_t slot);
  struct Pending {
    std::uint64_t sequence;
    model::Event event;
    simgrid::kernel::timer::Timer* timer;  // null once fired or cancelled
  };
  // Events wait here, not in the timer's callback: SimGrid stores a callback of up to 24 bytes in place and
  // allocates for anything larger, so the callback carries only a slot number.
  std::vector<Pending> pending_;
  std::vector<std::uint32_t> free_slots_;
  double now_ = 0;  // SimGrid's clock, read once per event
  std::uint64_t next_sequence_ = 0;
  std::vector<std::pair<std::uint64_t, model::Event>> same_date_;
  std::exception_ptr failure_;
};

}  // namespace dasim::engine
