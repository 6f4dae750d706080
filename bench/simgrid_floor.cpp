// The engine's own floor: M/M/c driven by bare SimGrid kernel timers (one timer per arrival and departure, a
// FIFO queue, nothing else). Whatever dasim adds on top of SimGrid is measured against this.
#include <boost/random/exponential_distribution.hpp>
#include <deque>
#include <limits>
#include <simgrid/kernel/Timer.hpp>
#include <simgrid/kernel/resource/Model.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/NetZone.hpp>
#include <xbt/log.h>

#include "common.hpp"
#include "random/rng.hpp"

namespace {

using namespace dasim;
using simgrid::kernel::timer::Timer;

struct Waiting {
  double arrived;
  double service;  // drawn at arrival, as in bench_reference, so both see the same numbers
};

class MMc {
 public:
  explicit MMc(const bench::Options& o)
      : customers_(o.customers),
        arrivals_(random::stream_seed(o.seed, 0, "bench/arrivals")),
        services_(random::stream_seed(o.seed, 0, "bench/services")) {}

  void start() { Timer::set(gap_(arrivals_), [this] { arrive(); }); }
  std::uint64_t arrived() const { return arrived_; }
  std::uint64_t events() const { return events_; }
  double mean_wait() const { return wait_sum_ / static_cast<double>(arrived_); }

 private:
  static double now() { return simgrid::s4u::Engine::get_clock(); }

  void arrive() {
    ++events_;
    const double t = now(), duration = service_(services_);
    if (++arrived_ < customers_) Timer::set(t + gap_(arrivals_), [this] { arrive(); });
    if (busy_ < bench::kServers) {
      ++busy_;
      Timer::set(t + duration, [this] { depart(); });
    } else {
      queue_.push_back({t, duration});
    }
  }

  void depart() {
    ++events_;
    if (queue_.empty()) {
      --busy_;
      return;
    }
    const double t = now();
    const Waiting next = queue_.front();
    queue_.pop_front();
    wait_sum_ += t - next.arrived;
    Timer::set(t + next.service, [this] { depart(); });
  }

  std::uint64_t customers_, arrived_ = 0, events_ = 0;
  random::Rng arrivals_, services_;
  boost::random::exponential_distribution<double> gap_{bench::kArrivalsPerDay}, service_{bench::kServicesPerDay};
  std::deque<Waiting> queue_;
  int busy_ = 0;
  double wait_sum_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  const bench::Options options = bench::parse(argc, argv);
  // The same set-up as sim/engine/simgrid_engine.cpp: quiet logs, one engine, a one-host platform.
  xbt_log_control_set("root.thresh:critical");
  int engine_argc = 1;
  char name[] = "bench_simgrid_floor";
  char* engine_argv[] = {name, nullptr};
  simgrid::s4u::Engine engine(&engine_argc, engine_argv);
  auto* zone = simgrid::s4u::create_full_zone("world");
  zone->create_host("services", 1.0);
  zone->seal();
#ifdef DASIM_FLOOR_TIMERS_ONLY
  // As the adapter does (sim/engine/simgrid_engine.cpp): no resource model for the kernel to visit at each date.
  // This is the cheapest SimGrid loop there is; the stock floor above it is SimGrid as configured out of the box.
  const_cast<std::vector<simgrid::kernel::resource::Model*>&>(engine.get_all_models()).clear();
#endif

  MMc model(options);
  const double seconds = bench::timed_section([&] {
    model.start();
    engine.run_until(std::numeric_limits<double>::max());
  });
#ifdef DASIM_FLOOR_TIMERS_ONLY
  const char* impl = "simgrid_floor_timers_only";
#else
  const char* impl = "simgrid_floor";
#endif
  bench::report(impl, static_cast<double>(model.arrived()), seconds, model.mean_wait(), static_cast<double>(model.events()));
}
