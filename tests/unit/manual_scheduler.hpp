#pragma once
// A plain event list for testing the model in-process, without SimGrid (which allows one run per process).
#include <queue>
#include <tuple>
#include <vector>

#include "model/scheduler.hpp"

namespace dasim::test_support {

class ManualScheduler final : public model::Scheduler {
 public:
  double now() const override { return now_; }
  void schedule(double date, const model::Event& event) override { events_.push({date, sequence_++, event}); }
  void run_until(double horizon) {
    while (!events_.empty() && events_.top().date <= horizon) {
      const Entry e = events_.top();
      events_.pop();
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
  double now_ = 0;
  unsigned long long sequence_ = 0;
};

}  // namespace dasim::test_support
