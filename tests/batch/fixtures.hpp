#pragma once
// Small scenarios and fabricated replication results shared by the batch and output tests.
#include <cmath>
#include <string>

#include "batch/replication.hpp"
#include "batch/schema.hpp"
#include "scenario/loader.hpp"

namespace dasim::testing {

/// Two areas and two risk levels (70% standard, 30% high): the cells results by area and by risk are split into.
inline const char* const kTwoAreasTwoRiskLevels = R"([areas.north]
population = 1
[areas.south]
population = 1
[attributes.risk]
values = ["standard", "high"]
weights = [0.7, 0.3]
)";

/// Two areas, two services in three pools, a contract and two payers: every axis of the schema has more than one
/// label, so a mix-up of axes shows. One year after a month of warm-up: quick to simulate.
inline model::Scenario small_scenario(const std::string& name = "small", int workers = 2) {
  return scenario::load_text(R"([scenario]
name = ")" + name + R"("
[simulation]
years = 1
warmup_years = 0.1
[areas.north]
population = 1
[areas.south]
population = 1
[[arrivals]]
name = "north"
area = "north"
rate_per_year = 300
to = "advice"
[[arrivals]]
name = "south"
area = "south"
rate_per_year = 200
to = "advice"
[pools.advice-north]
service = "advice"
areas = ["north"]
workers = )" + std::to_string(workers) + R"(
duration = { dist = "exponential", mean = 2.0 }
target_days = 1
next = [{ to = "refuge", p = 0.3 }]
[pools.advice-south]
service = "advice"
areas = ["south"]
workers = 2
duration = { dist = "exponential", mean = 2.0 }
target_days = 1
[pools.refuge]
workers = 3
duration = { dist = "exponential", mean = 5.0 }
target_days = 2
[[contracts]]
name = "advice"
pools = ["advice-north", "advice-south", "refuge"]
annual_value = 700000
funders = { council = 0.75, police = 0.25 }
[outcomes.harm]
payer = "police"
cashable = true
initial_cost = 1000
probability = 0.2
[outcomes.housing]
payer = "housing"
cashable = false
initial_cost = 500
probability = 0.1
)", name + ".toml");
}

/// A result whose every cell has its own value (NaN every seventh), shaped as the schema says for `scenario`.
inline batch::ReplicationResult fabricated(const model::Scenario& scenario, std::uint64_t replication, bool pool_monthly) {
  batch::ReplicationResult r;
  r.replication = replication;
  for (const batch::Group& g : batch::groups()) {
    if (g.optional && !pool_monthly) continue;
    std::vector<double>& v = r.*g.field;
    const std::size_t n = g.shape(scenario).size();
    for (std::size_t i = 0; i < n; ++i) v.push_back(i % 7 == 3 ? std::nan("") : 1000.0 * replication + i + 0.25);
  }
  return r;
}

}  // namespace dasim::testing
