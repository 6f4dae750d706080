#include "model/commissioning.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace dasim::model {

double units_affordable(double money, double unit_cost, double pay_inflation, int year, int places_per_unit) {
  if (money <= 0 || unit_cost <= 0) return 0;
  return money / (unit_cost * std::pow(1 + pay_inflation, year)) * places_per_unit;
}

int units_bought(double money, double unit_cost, double pay_inflation, int year, int places_per_unit) {
  // The nearest whole unit: a provider recruits the post or opens the group that the money nearly pays for, and
  // absorbs the part of a unit in its on-costs; rounding down would close a small area's only group or triage post.
  const double units = units_affordable(money, unit_cost, pay_inflation, year, places_per_unit);
  return units < kMaxUnits ? static_cast<int>(std::floor(units + 0.5)) : static_cast<int>(kMaxUnits) + 1;  // past the limit: commission() refuses it
}

int reinvested_workers(const ContractSpec& c) {
  if (!c.reinvested || c.cost_per_worker <= 0) return 0;
  return units_bought(c.saving() / (1 + c.overhead), c.cost_per_worker, 0, 0, 1);
}

namespace {

/// The contracts' term starts when the warm-up ends: the warm-up stands for provision bought at today's pay, and
/// the fixed envelope (000 §3.13) erodes from the first year of the new contracts on (`simulation.years` is the
/// warm-up and then the term, 000 §3.19).
double term_start(const Scenario& s) { return s.simulation.warmup_days; }

/// Contract years that start inside the run, after the first.
int later_years(const Scenario& s) {
  return static_cast<int>(std::ceil((s.simulation.horizon_days() - term_start(s)) / kDaysPerYear - 1e-9)) - 1;
}

/// Caseload places each bought unit holds. Money buys part-time posts too, so a caseload is bought in places: the
/// pool is then counted in places (one case each) rather than in whole workers.
int places_per_unit(PoolSpec& pool) {
  auto* places = std::get_if<PlacesSpec>(&pool.kind);
  if (!places || places->unit != CapacityUnit::staff) return 1;
  const int per_worker = places->cases_per_worker;
  places->cases_per_worker = 1;
  return per_worker;
}

/// Sets a pool's capacity to `by_year[y]` from contract year y on (year 0 from day 0, year y from `start` + y
/// years), as a starting count and dated changes.
void set_yearly(PoolSpec& pool, const std::vector<int>& by_year, double start) {
  pool.count = by_year.front();
  pool.capacity_changes.clear();
  for (std::size_t y = 1; y < by_year.size(); ++y)
    if (by_year[y] != by_year[y - 1]) pool.capacity_changes.push_back({start + y * kDaysPerYear, by_year[y]});
}

}  // namespace

std::vector<std::string> commission(Scenario& scenario) {
  std::vector<std::string> problems;
  const int years = later_years(scenario) + 1;
  std::vector<std::vector<int>> plan(scenario.pools.size());  // units by contract year, for bought pools
  std::vector<int> per_unit(scenario.pools.size(), 1);         // places a bought unit holds
  for (const ContractSpec& c : scenario.contracts) {
    if (!c.buys.empty() && c.front_line() <= 0)
      problems.push_back(fmt::format("contract '{}': £{:.0f} a year cannot pay its management (£{:.0f} for {} contract(s))",
                                     c.name, c.envelope(), c.merges * c.management_cost, c.merges));
    for (const Purchase& p : c.buys) {
      per_unit[p.pool] = places_per_unit(scenario.pools[p.pool]);
      plan[p.pool].assign(years, 0);
      for (int y = 0; y < years; ++y)
        plan[p.pool][y] = units_bought(c.front_line() * p.share, p.unit_cost, c.pay_inflation, y, per_unit[p.pool]);
    }
  }
  // A reinvested saving buys units on top of whatever the reinvest pool's own money buys.
  for (ContractSpec& c : scenario.contracts) {
    c.extra_workers = 0;
    if (!c.reinvested || c.saving() <= 0) continue;
    if (plan[c.reinvest_pool].empty()) {  // a fixed-capacity pool: the same extra units throughout
      c.extra_workers = reinvested_workers(c);
      PoolSpec& pool = scenario.pools[c.reinvest_pool];
      pool.count += c.extra_workers;
      for (CapacityChange& change : pool.capacity_changes) change.count += c.extra_workers;
      continue;
    }
    // A bought caseload is counted in places; the saving buys workers at `cost_per_worker`, each a full caseload.
    const double money = c.saving() / (1 + c.overhead);
    for (int y = 0; y < years; ++y) {
      const int units = units_bought(money, c.cost_per_worker, c.pay_inflation, y, per_unit[c.reinvest_pool]);
      if (y == 0) c.extra_workers = units;
      plan[c.reinvest_pool][y] += units;
    }
  }
  for (std::size_t p = 0; p < plan.size(); ++p)
    if (!plan[p].empty()) set_yearly(scenario.pools[p], plan[p], term_start(scenario));
  // Checked once, on what every pool ends up with: what money and reinvested savings buy must fit the counters.
  for (const PoolSpec& pool : scenario.pools) {
    double most = pool.count;
    for (const CapacityChange& change : pool.capacity_changes) most = std::max<double>(most, change.count);
    if (static_cast<double>(pool.places_for(1)) * most > kMaxUnits)
      problems.push_back(fmt::format("pool '{}': the contracts' money buys {:.3g} places, beyond what dasim can hold "
                                     "(at most {:.0f})", pool.name, static_cast<double>(pool.places_for(1)) * most, kMaxUnits));
  }
  return problems;
}

}  // namespace dasim::model
