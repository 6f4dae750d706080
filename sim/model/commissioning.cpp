#include "model/commissioning.hpp"

#include <cmath>

namespace dasim::model {

int reinvested_workers(const ContractSpec& c) {
  if (!c.reinvested || c.cost_per_worker <= 0) return 0;
  return static_cast<int>(std::floor(c.annual_value * c.efficiency / c.cost_per_worker));
}

void commission(Scenario& scenario) {
  for (ContractSpec& c : scenario.contracts) {
    c.extra_workers = reinvested_workers(c);
    if (c.extra_workers == 0) continue;
    PoolSpec& pool = scenario.pools[c.reinvest_pool];
    pool.count += c.extra_workers;
    for (CapacityChange& change : pool.capacity_changes) change.count += c.extra_workers;
  }
}

}  // namespace dasim::model
