#pragma once
// What the benchmarks that run a scenario file share: `program SCENARIO.toml [seed]`, and one replication in-process
// exactly as batch::run_replication drives it (start, run the engine to the horizon, finish), timed.
#include <cstdio>
#include <cstdlib>

#include "common.hpp"
#include "engine/simgrid_engine.hpp"
#include "model/world.hpp"
#include "scenario/loader.hpp"

namespace dasim::bench {

struct ScenarioArgs {
  model::Scenario scenario;
  std::uint64_t seed = 1;
};

inline ScenarioArgs parse_scenario_args(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s SCENARIO.toml [seed]\n", argv[0]);
    std::exit(2);
  }
  return {scenario::load(argv[1]), argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1};
}

/// Runs `world` on `engine` to the horizon inside timed_section; returns the seconds taken.
inline double simulate(model::World& world, engine::SimGridEngine& engine) {
  return timed_section([&] {
    world.start();
    engine.run_until(world.horizon());
    world.finish();
  });
}

}  // namespace dasim::bench
