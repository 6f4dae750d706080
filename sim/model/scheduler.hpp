#pragma once
// What the model needs of a discrete-event engine, and nothing more. The SimGrid adapter in sim/engine/
// implements it; tests may use any other.
#include <cstdint>

namespace dasim::model {

class EventTarget;

/// A scheduled happening: small, copyable, no allocation. `epoch` lets a target ignore an event that a later
/// state change has made stale; where a timer is often made stale (a pool's patience timer, set for a case that
/// then starts service), the model cancels it instead, so that the engine never steps to its date.
struct Event {
  EventTarget* target = nullptr;
  std::uint32_t kind = 0;
  std::uint32_t id = 0;
  std::uint32_t epoch = 0;
};

/// Names one scheduled event so it can be cancelled. A handle outlives its event harmlessly: cancelling an event
/// that has fired, or was cancelled already, does nothing (the sequence number no longer matches).
struct EventHandle {
  std::uint32_t slot = ~0u;
  std::uint64_t sequence = 0;
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
  virtual EventHandle schedule(double date, const Event& event) = 0;
  /// Removes a pending event from the future-event set and returns true; returns false, doing nothing, for one
  /// that has fired (or been taken out to run in a batch of its date) or was cancelled.
  virtual bool cancel(const EventHandle& handle) = 0;
};

}  // namespace dasim::model
