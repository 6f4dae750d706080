#pragma once
// A plain event list for testing the model in-process, without SimGrid (which allows one run per process).
#include <queue>
#include <tuple>
#include <unordered_set>
#include <vector>

#include "model/scheduler.hpp"

namespace dasim::test_support {

class ManualScheduler final : public model::Scheduler {
 public:
  double now() const override { return now_; }
  model::EventHandle schedule(double date, const model::Event& event) override {
    events_.push({date, sequence_, event});
    pending_.insert(sequence_);
    ++scheduled;
    return {0, sequence_++};
  }
  bool cancel(const model::EventHandle& handle) override { return honour_cancel && pending_.erase(handle.sequence) > 0; }
  /// False: cancel does nothing, as before the model cancelled timers (to show results do not depend on it).
  bool honour_cancel = true;
  /// Events scheduled so far, cancelled or not.
  unsigned long long scheduled = 0;
  void run_until(double horizon) {
    while (!events_.empty() && events_.top().date <= horizon) {
      const Entry e = events_.top();
      events_.pop();
      if (!pending_.erase(e.sequence)) continue;  // cancelled
      now_ = e.date;
      e.event.target->on_event(e.event);
    }
    now_ = horizon;
  }

 private:
  struct Entry {
    double date;
    unsigned long long sequence;
    model::Event event;
    bool operator>(const Entry& o) const { return std::tie(date, sequence) > std::tie(o.date, o.sequence); }
  };
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> events_;
  std::unordered_set<unsigned long long> pending_;
  double now_ = 0;
  unsigned long long sequence_ = 0;
};

}  // namespace dasim::test_support
