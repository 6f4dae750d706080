// The absolute limit: M/M/c on a hand-written event list (a binary heap of (time, sequence, kind)), with the
// same generator and distribution as the model. No engine, no model, no statistics beyond the mean wait.
#include <boost/random/exponential_distribution.hpp>
#include <deque>
#include <queue>
#include <vector>

#include "common.hpp"
#include "random/rng.hpp"

namespace {

using namespace dasim;

struct Event {
  double time;
  std::uint64_t sequence;  // ties at the same time run in the order scheduled
  enum Kind : std::uint8_t { arrival, departure } kind;
  bool operator>(const Event& other) const {
    return time != other.time ? time > other.time : sequence > other.sequence;
  }
};

struct Waiting {
  double arrived;
  double service;  // drawn at arrival, so the draws do not depend on the order of events
};

}  // namespace

int main(int argc, char** argv) {
  const bench::Options options = bench::parse(argc, argv);
  random::Rng arrivals(random::stream_seed(options.seed, 0, "bench/arrivals"));
  random::Rng services(random::stream_seed(options.seed, 0, "bench/services"));
  boost::random::exponential_distribution<double> gap(bench::kArrivalsPerDay), service(bench::kServicesPerDay);

  std::priority_queue<Event, std::vector<Event>, std::greater<>> events;
  std::deque<Waiting> queue;
  std::uint64_t sequence = 0, arrived = 0, executed = 0;
  int busy = 0;
  double wait_sum = 0;

  const double seconds = bench::timed_section([&] {
    events.push({gap(arrivals), sequence++, Event::arrival});
    while (!events.empty()) {
      const Event e = events.top();
      events.pop();
      ++executed;
      if (e.kind == Event::arrival) {
        const double duration = service(services);
        if (++arrived < options.customers) events.push({e.time + gap(arrivals), sequence++, Event::arrival});
        if (busy < bench::kServers) {
          ++busy;
          events.push({e.time + duration, sequence++, Event::departure});
        } else {
          queue.push_back({e.time, duration});
        }
      } else if (!queue.empty()) {  // a departure hands its server straight to the head of the queue
        const Waiting next = queue.front();
        queue.pop_front();
        wait_sum += e.time - next.arrived;
        events.push({e.time + next.service, sequence++, Event::departure});
      } else {
        --busy;
      }
    }
  });
  bench::report("reference", static_cast<double>(arrived), seconds, wait_sum / static_cast<double>(arrived),
                static_cast<double>(executed));
}
