#pragma once
// One replication of a scenario written as text, run in-process to its horizon on the plain event list: what the
// model tests of households and families look at.
#include <stdexcept>
#include <string>

#include "manual_scheduler.hpp"
#include "model/pools.hpp"
#include "model/world.hpp"
#include "scenario/loader.hpp"

namespace dasim::test_support {

struct WorldRun {
  explicit WorldRun(const std::string& text, std::uint64_t seed = 1)
      : scenario(scenario::load_text(text, "model.toml")), world(scenario, scheduler, seed, 0) {
    world.start();
    scheduler.run_until(world.horizon());
    world.finish();
  }
  /// What the pool named `name` recorded.
  const model::PoolStats& pool(const std::string& name) const {
    for (const auto& p : world.pools())
      if (p->spec().name == name) return p->stats();
    throw std::runtime_error("no pool " + name);
  }
  model::Scenario scenario;
  ManualScheduler scheduler;
  model::World world;
};

}  // namespace dasim::test_support
