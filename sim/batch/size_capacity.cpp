#include "batch/size_capacity.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <numeric>
#include <set>
#include <stdexcept>

#include "model/commissioning.hpp"

namespace dasim::batch {

namespace {

const char* unit_name(const model::PoolSpec& pool, bool bought) {
  switch (pool.unit()) {
    case model::CapacityUnit::staff: return bought ? "FTE" : "staff";
    case model::CapacityUnit::units: return "bed units";
    case model::CapacityUnit::groups: return "groups";
    default: return "sittings";
  }
}

}  // namespace

CapacityPlan plan_capacity(const model::Scenario& option, const std::string& service, const std::string& area) {
  const auto sv = std::find(option.services.begin(), option.services.end(), service);
  if (sv == option.services.end()) {
    std::string known;
    for (const auto& s : option.services) known += (known.empty() ? "" : ", ") + s;
    throw std::invalid_argument(fmt::format("scenario '{}' has no service '{}' (its services: {})", option.name, service, known));
  }
  CapacityPlan plan;
  plan.option = &option;
  plan.service = static_cast<int>(sv - option.services.begin());
  plan.area = area;
  std::set<int> pools;
  bool area_found = area.empty();
  for (std::size_t a = 0; a < option.areas.size(); ++a) {
    if (!area.empty() && option.areas[a].name != area) continue;
    area_found = true;
    const int p = option.service_pool[plan.service][a];
    if (p >= 0) pools.insert(p);
  }
  if (!area_found) {
    std::string known;
    for (const auto& a : option.areas) known += (known.empty() ? "" : ", ") + a.name;
    throw std::invalid_argument(fmt::format("scenario '{}' has no area '{}' (its areas: {})", option.name, area, known));
  }
  if (pools.empty())
    throw std::invalid_argument(fmt::format("scenario '{}': no pool provides '{}'{}", option.name, service,
                                            area.empty() ? "" : " in " + area));
  double total = 0;
  for (const int p : pools) {
    SizedPool sized{p};
    const model::PoolSpec& pool = option.pools[p];
    for (std::size_t c = 0; c < option.contracts.size(); ++c) {
      const model::ContractSpec& contract = option.contracts[c];
      if (std::find(contract.pools.begin(), contract.pools.end(), p) == contract.pools.end()) continue;
      const auto buy = std::find_if(contract.buys.begin(), contract.buys.end(), [p](const model::Purchase& b) { return b.pool == p; });
      if (buy == contract.buys.end())
        throw std::invalid_argument(fmt::format(
            "pool '{}' is paid for by contract '{}' as a fixed sum (its `pools`), so its capacity cannot follow money; "
            "give the contract `buys` with a unit cost to size it", pool.name, contract.name));
      if (contract.efficiency >= 1)
        throw std::invalid_argument(fmt::format("contract '{}' cuts all its value (efficiency 1): no money can buy '{}'",
                                                contract.name, pool.name));
      sized.contract = static_cast<int>(c);
      sized.purchase = static_cast<int>(buy - contract.buys.begin());
      // Whole units of the contract's unit cost (FTE, not caseload places), in the first contract year.
      sized.base_units = model::units_affordable(contract.front_line() * buy->share, buy->unit_cost, 0, 0);
    }
    if (sized.contract < 0) {
      if (!pool.capacity_changes.empty())
        throw std::invalid_argument(fmt::format("pool '{}' has dated capacity changes in its file; dasim size sets one "
                                                "capacity for the whole run, so remove them to size it", pool.name));
      sized.base_units = pool.count;
    }
    total += sized.base_units;
    plan.pools.push_back(sized);
  }
  const model::PoolSpec& first = option.pools[plan.pools.front().pool];
  plan.unit = unit_name(first, plan.pools.front().contract >= 0);
  plan.base_level = std::max(plan.floor(), static_cast<int>(std::lround(total)));
  return plan;
}

std::vector<int> CapacityPlan::spread(int level) const {
  // Each pool gets at least one unit; the rest by the option's proportions, largest remainders first.
  const int n = static_cast<int>(pools.size());
  std::vector<int> units(n, 1);
  double base = 0;
  for (const SizedPool& p : pools) base += p.base_units;
  const int rest = std::max(0, level - n);
  std::vector<double> exact(n), remainder(n);
  int given = 0;
  for (int i = 0; i < n; ++i) {
    exact[i] = base > 0 ? rest * pools[i].base_units / base : static_cast<double>(rest) / n;
    units[i] += static_cast<int>(std::floor(exact[i]));
    given += static_cast<int>(std::floor(exact[i]));
    remainder[i] = exact[i] - std::floor(exact[i]);
  }
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return remainder[a] > remainder[b]; });
  for (int k = 0; k < rest - given; ++k) ++units[order[k % n]];
  return units;
}

std::vector<scenario::Override> CapacityPlan::overrides(int level) const {
  const std::vector<int> units = spread(level);
  std::vector<scenario::Override> out;
  std::map<int, std::map<int, double>> money;  // contract -> purchase -> front-line £ a year
  for (std::size_t i = 0; i < pools.size(); ++i) {
    const SizedPool& p = pools[i];
    const model::PoolSpec& pool = option->pools[p.pool];
    if (p.contract < 0) {
      out.push_back({fmt::format("pools.{}.workers", pool.name), static_cast<double>(units[i])});
      continue;
    }
    const model::ContractSpec& c = option->contracts[p.contract];
    auto& bought = money[p.contract];
    if (bought.empty())
      for (std::size_t b = 0; b < c.buys.size(); ++b) bought[static_cast<int>(b)] = c.front_line() * c.buys[b].share;
    bought[p.purchase] = units[i] * c.buys[p.purchase].unit_cost;
  }
  for (const auto& [index, bought] : money) {
    const model::ContractSpec& c = option->contracts[index];
    double front_line = 0;
    for (const auto& [b, m] : bought) front_line += m;
    // The value whose envelope, after management and on-costs, leaves exactly this front-line money.
    const double value = (front_line * (1 + c.overhead) + c.merges * c.management_cost) / (1 - c.efficiency);
    out.push_back({fmt::format("contracts.{}.annual_value", c.name), value});
    for (const auto& [b, m] : bought)
      out.push_back({fmt::format("contracts.{}.buys.{}.share", c.name, option->pools[c.buys[b].pool].name),
                     front_line > 0 ? m / front_line : 1.0 / static_cast<double>(bought.size())});
  }
  return out;
}

model::Scenario at_level(const CapacityPlan& plan, int level) { return scenario::reload(*plan.option, plan.overrides(level)); }

}  // namespace dasim::batch
