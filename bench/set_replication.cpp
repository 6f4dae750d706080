// One replication of a scenario file, in-process, exactly as batch::run_replication drives it (engine, world,
// start, run to the horizon, finish), with the simulation inside timed_section so that callgrind can count its
// instructions alone (bench/set_profile.sh splits them between SimGrid and dasim).
//
//   bench_set_replication SCENARIO.toml [seed]
#include <cstdio>
#include <cstdlib>

#include "common.hpp"
#include "engine/simgrid_engine.hpp"
#include "model/world.hpp"
#include "scenario/loader.hpp"

int main(int argc, char** argv) {
  using namespace dasim;
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s SCENARIO.toml [seed]\n", argv[0]);
    return 2;
  }
  const std::uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1;
  const model::Scenario scenario = scenario::load(argv[1]);
  engine::SimGridEngine engine;
  model::World world(scenario, engine, seed, 0);
  const double seconds = bench::timed_section([&] {
    world.start();
    engine.run_until(world.horizon());
    world.finish();
  });
  std::printf("scenario=%s events=%.0f seconds=%.3f peak_rss_kib=%ld\n", scenario.name.c_str(), world.totals().events,
              seconds, bench::peak_rss_kib());
  std::fflush(nullptr);
  std::_Exit(0);  // as the batch workers leave: SimGrid's exit-time shutdown dislikes pending timers
}
