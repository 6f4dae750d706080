// Events per referral, by kind: one replication of a scenario file, run in-process on the SimGrid engine exactly
// as batch::run_replication drives it, with a counting layer between the model and the engine.
//
//   bench_event_mix SCENARIO.toml [seed]
//
// For each kind it prints the events scheduled, the events cancelled before they fired (a pool's patience timer
// whose case started service, or which an earlier deadline replaced), and the events that reached the model; all
// per referral (new and repeat referrals,
// warm-up included). With `--callgrind`-style use in mind, the replication itself runs in timed_section.
#include <array>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "model/pools.hpp"
#include "scenario_file.hpp"

namespace {

using namespace dasim;

// The kinds as World and Pool number them (world.hpp and pools.hpp keep these enums to themselves).
constexpr std::array<const char*, 5> kWorldKinds = {"arrival", "month", "warm-up end", "delayed entry", "repeat referral"};
constexpr std::array<const char*, 9> kPoolKinds = {"service end", "release (move-on)", "patience (renege)",
                                                   "opening hours", "capacity change", "group start", "group end",
                                                   "dropout", "meeting sitting"};

/// Passes every event to the engine behind a proxy target, so that it sees each event fire and can name it.
class CountingScheduler final : public model::Scheduler, public model::EventTarget {
 public:
  CountingScheduler(engine::SimGridEngine& engine) : engine_(engine) {}
  void set_world(const model::World* world) { world_ = world; }
  double now() const override { return engine_.now(); }
  model::EventHandle schedule(double date, const model::Event& event) override {
    const auto slot = static_cast<std::uint32_t>(events_.size());
    events_.push_back(event);
    ++tally(event).scheduled;
    return engine_.schedule(date, model::Event{this, 0, slot, 0});
  }
  bool cancel(const model::EventHandle& handle) override {
    const model::Event* proxy = engine_.pending(handle);
    if (!proxy) return false;
    ++tally(events_[proxy->id]).cancelled;
    return engine_.cancel(handle);
  }
  void on_event(const model::Event& proxy) override {
    const model::Event event = events_[proxy.id];  // a copy: the handler schedules, which grows events_
    ++tally(event).fired;
    event.target->on_event(event);
  }

  struct Counts {
    double scheduled = 0, cancelled = 0, fired = 0;
  };
  const std::map<std::string, Counts>& counts() const { return counts_; }

 private:
  Counts& tally(const model::Event& e) {
    const bool world = e.target == world_;
    const char* name = world ? (e.kind < kWorldKinds.size() ? kWorldKinds[e.kind] : "world ?")
                             : (e.kind < kPoolKinds.size() ? kPoolKinds[e.kind] : "pool ?");
    return counts_[name];
  }

  engine::SimGridEngine& engine_;
  const model::World* world_ = nullptr;
  std::vector<model::Event> events_;
  std::map<std::string, Counts> counts_;
};

}  // namespace

int main(int argc, char** argv) {
  const bench::ScenarioArgs args = bench::parse_scenario_args(argc, argv);
  const model::Scenario& scenario = args.scenario;
  const std::uint64_t seed = args.seed;
  engine::SimGridEngine engine;
  CountingScheduler counting(engine);
  model::World world(scenario, counting, seed, 0);
  counting.set_world(&world);
  const double seconds = bench::simulate(world, engine);
  const auto& c = counting.counts();
  auto fired = [&](const char* kind) { return c.count(kind) ? c.at(kind).fired : 0.0; };
  const double referrals = fired("arrival") + fired("repeat referral");
  CountingScheduler::Counts total;
  std::printf("scenario=%s seed=%llu referrals=%.0f seconds=%.3f\n", scenario.name.c_str(),
              static_cast<unsigned long long>(seed), referrals, seconds);
  std::printf("| kind | scheduled | cancelled | fired | fired per referral |\n|---|---:|---:|---:|---:|\n");
  for (const auto& [kind, n] : c) {
    std::printf("| %s | %.0f | %.0f | %.0f | %.3f |\n", kind.c_str(), n.scheduled, n.cancelled, n.fired, n.fired / referrals);
    total.scheduled += n.scheduled, total.cancelled += n.cancelled, total.fired += n.fired;
  }
  std::printf("| all | %.0f | %.0f | %.0f | %.3f |\n", total.scheduled, total.cancelled, total.fired, total.fired / referrals);
  std::fflush(nullptr);
  std::_Exit(0);  // as the batch workers leave: SimGrid's exit-time shutdown dislikes pending timers
}
