#pragma once
// How `dasim size` turns a capacity level of one service into a scenario, through the model's money (docs/size.md).
//
// A pool a contract buys gets its capacity from money (model/commissioning): the level's units cost units x the
// purchase's unit cost of front-line money, so the contract's annual value is raised or lowered to pay for them
// (with its on-costs, management and efficiency cut as before) and its shares re-spread so that its other pools
// keep their money. The loader then commissions the scenario as it would any file: capacity and cost follow from
// the one commissioning path. A pool no contract pays for (a validation case) has its `workers` set, at no cost.
#include <string>
#include <vector>

#include "model/spec.hpp"
#include "scenario/loader.hpp"

namespace dasim::batch {

struct SizedPool {
  int pool = 0;
  int contract = -1;      // the contract that buys it, or -1 (capacity fixed in the file, no money)
  int purchase = -1;      // its line of the contract's `buys`
  double base_units = 0;  // what the option gives it, in the unit (FTE, bed units, groups, sittings)
};

/// The pools of one service the search changes together, and how a level is spread over them.
struct CapacityPlan {
  const model::Scenario* option = nullptr;
  int service = 0;
  std::string area;  // "" for all areas
  std::vector<SizedPool> pools;
  int base_level = 0;  // the option's own total, rounded to a whole unit
  std::string unit;    // "FTE", "bed units", "groups" or "sittings"

  /// Whole units for each pool at `level`: the level spread as the option spreads it (largest remainder, at least
  /// one each).
  std::vector<int> spread(int level) const;
  /// The overrides that give `level` (the contract money and shares, or the pools' workers).
  std::vector<scenario::Override> overrides(int level) const;
  /// The least level with a unit in every pool.
  int floor() const { return static_cast<int>(pools.size()); }
};

/// The plan for `service` (a key) in `option`; with `area`, the pools serving that area only. Throws
/// std::invalid_argument naming what exists for an unknown service or area, or a pool whose capacity cannot follow
/// money (a contract that pays a fixed sum for it).
CapacityPlan plan_capacity(const model::Scenario& option, const std::string& service, const std::string& area);

/// The option with the service at `level`, loaded and commissioned from its own source text.
model::Scenario at_level(const CapacityPlan& plan, int level);

}  // namespace dasim::batch
