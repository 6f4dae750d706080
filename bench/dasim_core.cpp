// The dasim core on the same M/M/c: the scenario goes through the loader, and one replication runs in-process
// exactly as batch::run_replication drives it (engine, world, start, run to the horizon, finish).
#include <cstdio>
#include <cstdlib>
#include <string>

#include "common.hpp"
#include "engine/simgrid_engine.hpp"
#include "model/pools.hpp"
#include "model/world.hpp"
#include "scenario/loader.hpp"

namespace {

// scenarios/validation/mmc.toml without the warm-up, so every customer counts, as in the other benchmarks.
constexpr const char* kScenario = R"(
[scenario]
name = "bench-mmc"

[simulation]
years = 1

[areas.anywhere]
population = 1

[[arrivals]]
name = "poisson"
area = "anywhere"
rate_per_year = 3287.25   # 9 a day x 365.25
to = "server"

[pools.server]
workers = 10
duration = { dist = "exponential", mean = 1.0 }
)";

}  // namespace

int main(int argc, char** argv) {
  using namespace dasim;
  const bench::Options options = bench::parse(argc, argv);
  model::Scenario scenario = scenario::load_text(kScenario, "bench-mmc");
  // A horizon in which about `customers` arrive. Set after loading: the loader caps a scenario at 200 years,
  // which the larger memory-check runs exceed.
  scenario.simulation.years = static_cast<double>(options.customers) / bench::kArrivalsPerDay / model::kDaysPerYear;

  engine::SimGridEngine engine;
  model::World world(scenario, engine, options.seed, 0);
  const double seconds = bench::timed_section([&] {
    world.start();
    engine.run_until(world.horizon());
    world.finish();
  });

  const model::AreaTally served = world.pools().front()->stats().total();
  bench::report("dasim_core", world.totals().people, seconds, served.wait_sum / served.started,
                world.totals().events);
  // Leave as the batch runner's workers do. SimGrid's exit-time shutdown crashes when the engine is still alive
  // (the adapter never deletes it) and timers are pending past the horizon, as departures here always are.
  std::fflush(nullptr);
  std::_Exit(0);
}
