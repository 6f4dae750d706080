#pragma once
// The patience deadlines of a pool's queued cases, earliest first.
//
// A pool keeps one engine timer for patience, armed at the earliest deadline of a case still waiting, instead of
// one timer per queued case: nearly every case starts service before its patience runs out, and a timer per case
// cost the engine a schedule and a cancel each (bench/EVENTS.md). Deadlines of cases that have left the queue are
// dropped lazily, when they reach the front.
#include <cstdint>
#include <queue>
#include <vector>

namespace dasim::model {

struct PatienceDeadline {
  double date = 0;
  std::uint64_t order = 0;  // breaks ties in the order the cases joined, as timers of the same date would run
  std::uint32_t case_id = 0;
  std::uint32_t epoch = 0;  // the case's epoch when it joined: a later one means it has left the queue since
  bool operator>(const PatienceDeadline& o) const { return date != o.date ? date > o.date : order > o.order; }
};

class PatienceDeadlines {
 public:
  void add(double date, std::uint32_t case_id, std::uint32_t epoch) { heap_.push({date, next_order_++, case_id, epoch}); }
  /// The earliest deadline of a case for which `is_live(case_id, epoch)` holds, or null; drops the dead ones
  /// in front of it for good.
  template <class IsLive>
  const PatienceDeadline* earliest(IsLive is_live) {
    while (!heap_.empty() && !is_live(heap_.top().case_id, heap_.top().epoch)) heap_.pop();
    return heap_.empty() ? nullptr : &heap_.top();
  }
  /// Drops the front deadline (the one `earliest` returned).
  void pop() { heap_.pop(); }
  std::size_t size() const { return heap_.size(); }

 private:
  std::priority_queue<PatienceDeadline, std::vector<PatienceDeadline>, std::greater<>> heap_;
  std::uint64_t next_order_ = 0;
};

}  // namespace dasim::model
