// One replication of a scenario file, in-process, exactly as batch::run_replication drives it (engine, world,
// start, run to the horizon, finish), with the simulation inside timed_section so that callgrind can count its
// instructions alone (bench/set_profile.sh splits them between SimGrid and dasim).
//
//   bench_set_replication SCENARIO.toml [seed]
#include "scenario_file.hpp"

int main(int argc, char** argv) {
  using namespace dasim;
  const bench::ScenarioArgs args = bench::parse_scenario_args(argc, argv);
  const model::Scenario& scenario = args.scenario;
  engine::SimGridEngine engine;
  model::World world(scenario, engine, args.seed, 0);
  const double seconds = bench::simulate(world, engine);
  std::printf("scenario=%s events=%.0f seconds=%.3f peak_rss_kib=%ld\n", scenario.name.c_str(), world.totals().events,
              seconds, bench::peak_rss_kib());
  std::fflush(nullptr);
  std::_Exit(0);  // as the batch workers leave: SimGrid's exit-time shutdown dislikes pending timers
}
