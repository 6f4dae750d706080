#pragma once
// What the model needs of a discrete-event engine, and nothing more. The SimGrid adapter in sim/engine/
// implements it; tests may use any other.
#include <cstdint>

namespace dasim::model {

class EventTarget;

/// A scheduled happening: small, copyable, no allocation. `epoch` lets a target ignore an event that a later
/// state change has made stale (a patience timer for a case already in service), without cancelling timers.
struct Event {
  EventTarget* target = nullptr;
  std::uint32_t kind = 0;
  std::uint32_t id = 0;
  std::uint32_t epoch = 0;
};

class EventTarget {
 public:
  virtual void on_event(const Event& event) = 0;

 protected:
  ~EventTarget() = default;
};

class Scheduler {
 public:
  virtual ~Scheduler() = default;
  /// Current simulated time in days since the start of the replication.
  virtual double now() const = 0;
  /// Events at the same date run in the order they were scheduled.
  virtual void schedule(double date, const Event& event) = 0;
};

}  // namespace dasim::model
