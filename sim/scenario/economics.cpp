// Section readers for money and what follows support: contracts, outcome costs, repeat referrals, relocation.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <functional>
#include <set>

#include "model/commissioning.hpp"
#include "scenario/builder.hpp"

namespace dasim::scenario {

void ScenarioBuilder::read_contracts() {
  const toml::node* n = root_.get("contracts");
  if (!n) return;
  std::set<std::string> names;
  std::vector<std::string> pool_names;
  for (const auto& p : s_.pools) pool_names.push_back(p.name);
  std::vector<int> owner(s_.pools.size(), -1);
  // Each pool is paid for by one contract at most.
  auto take_pool = [&](const toml::node& p, const std::string& ctx) {
    const int index = index_of(pool_names, p, ctx, "pool");
    if (owner[index] >= 0)
      fail(p, ctx, fmt::format("pool '{}' is already bought by contract '{}'", pool_names[index], s_.contracts[owner[index]].name));
    owner[index] = static_cast<int>(s_.contracts.size());
    return index;
  };
  for (auto&& item : array_at(*n, "contracts")) {
    const std::string key = fmt::format("contracts[{}]", s_.contracts.size());
    const toml::table& t = table_at(item, key);
    only_keys(t, key, {"name", "pools", "buys", "annual_value", "funders", "efficiency", "management_cost", "overhead",
                       "merges", "pay_inflation", "savings", "reinvest_in", "cost_per_worker"});
    model::ContractSpec c;
    if (!t.get("name")) fail(t, key, "missing required key 'name'");
    c.name = text(*t.get("name"), key + ".name");
    check_name(*t.get("name"), key + ".name", c.name);
    if (!names.insert(c.name).second) fail(*t.get("name"), key + ".name", "is used by another contract");
    const std::string ctx = "contracts." + c.name;
    if (t.get("pools") && t.get("buys"))
      fail(t, ctx, "give `buys` (capacity follows money) or `pools` (fixed capacity), not both");
    if (const toml::node* pools = t.get("pools"))
      for (auto&& p : array_at(*pools, ctx + ".pools")) c.pools.push_back(take_pool(p, ctx + ".pools"));
    if (const toml::node* buys = t.get("buys")) read_purchases(*buys, ctx + ".buys", c, take_pool);
    c.annual_value = required_number(t, "annual_value", ctx, 0);
    c.efficiency = number(t, "efficiency", ctx, 0, 0, 1);
    c.management_cost = number(t, "management_cost", ctx, 0, 0);
    c.overhead = number(t, "overhead", ctx, 0, 0, 10);
    c.merges = whole(t, "merges", ctx, 1, 1);
    c.pay_inflation = number(t, "pay_inflation", ctx, s_.simulation.pay_award, 0, 1);
    read_funders(t, ctx, c);
    const std::string savings = text(t, "savings", ctx, "banked");
    if (savings != "banked" && savings != "reinvested")
      fail(*t.get("savings"), ctx + ".savings", "must be \"banked\" or \"reinvested\"");
    c.reinvested = savings == "reinvested";
    if (c.reinvested) {
      if (!t.get("reinvest_in")) fail(t, ctx, "savings = \"reinvested\" needs `reinvest_in` (a pool)");
      c.reinvest_pool = index_of(pool_names, *t.get("reinvest_in"), ctx + ".reinvest_in", "pool");
      c.cost_per_worker = required_number(t, "cost_per_worker", ctx, 1e-9);
    }
    s_.contracts.push_back(std::move(c));
  }
  for (auto& c : s_.contracts) c.funder_share.resize(s_.funders.size(), 0.0);
  const std::vector<std::string> problems = model::commission(s_);
  if (!problems.empty()) fail(*n, "contracts", problems.front());
}

void ScenarioBuilder::read_purchases(const toml::node& buys, const std::string& ctx, model::ContractSpec& c,
                                     const std::function<int(const toml::node&, const std::string&)>& take_pool) {
  double total = 0;
  for (auto&& item : array_at(buys, ctx)) {
    const std::string key = fmt::format("{}[{}]", ctx, c.buys.size());
    const toml::table& b = table_at(item, key);
    only_keys(b, key, {"pool", "share", "unit_cost"});
    if (!b.get("pool")) fail(b, key, "missing required key 'pool'");
    model::Purchase p;
    p.pool = take_pool(*b.get("pool"), key + ".pool");
    // The money sets the capacity: a `workers` or `capacity_changes` in the pool would be silently overruled.
    const std::string& pool = s_.pools[p.pool].name;
    if (const toml::table* pt = root_.at_path("pools." + pool).as_table())
      for (const char* fixed : {"workers", "capacity_changes"})
        if (pt->get(fixed))
          fail(*pt->get(fixed), "pools." + pool + "." + fixed,
               fmt::format("the pool is bought by contract '{}', whose money sets its capacity; remove `{}`", c.name, fixed));
    p.share = required_number(b, "share", key, 0, 1);
    p.unit_cost = required_number(b, "unit_cost", key, 1e-9);
    total += p.share;
    c.pools.push_back(p.pool);
    c.buys.push_back(p);
  }
  if (c.buys.empty()) fail(buys, ctx, "must buy at least one pool");
  if (std::abs(total - 1) > 1e-6) fail(buys, ctx, fmt::format("shares must sum to 1, got {:g}", total));
}

void ScenarioBuilder::read_funders(const toml::table& t, const std::string& ctx, model::ContractSpec& c) {
  const toml::node* funders = t.get("funders");
  if (!funders) fail(t, ctx, "missing required key 'funders'");
  double total = 0;
  for (auto&& [f, fnode] : ordered(table_at(*funders, ctx + ".funders"))) {
    check_name(*fnode, ctx + ".funders", f);
    auto it = std::find(s_.funders.begin(), s_.funders.end(), f);
    if (it == s_.funders.end()) s_.funders.push_back(f), it = s_.funders.end() - 1;
    const std::size_t index = it - s_.funders.begin();
    c.funder_share.resize(std::max(c.funder_share.size(), index + 1), 0.0);
    c.funder_share[index] = number(*fnode, ctx + ".funders." + f, 0, 1);
    total += c.funder_share[index];
  }
  if (std::abs(total - 1) > 1e-6) fail(*funders, ctx + ".funders", fmt::format("shares must sum to 1, got {:g}", total));
}

void ScenarioBuilder::read_outcomes() {
  const toml::node* n = root_.get("outcomes");
  if (!n) return;
  each_named(table_at(*n, "outcomes"), "outcomes",
             [&](const std::string& outcome_name, const std::string& key, const toml::node& v, const toml::table& t) {
    check_name(v, key, outcome_name);
    only_keys(t, key, {"payer", "cashable", "initial_cost", "annual_cost", "years", "probability", "effect",
                       "wait_penalty", "thin_support_loss", "per_child", "after_waiting_harm", "perpetrator_completed_effect",
                       "when"});
    model::OutcomeSpec o;
    o.name = outcome_name;
    o.payer = payer(t, key, v, "society");
    o.cashable = flag(t, "cashable", key, true);
    o.initial_cost = number(t, "initial_cost", key, 0, 0);
    o.annual_cost = number(t, "annual_cost", key, 0, 0);
    o.years = number(t, "years", key, 0, 0);
    o.probability = required_number(t, "probability", key, 0, 1);
    o.effect = by_result(t, "effect", key, 1.0, 100);
    o.wait_penalty = number(t, "wait_penalty", key, 0, 0);
    o.thin_support_loss = number(t, "thin_support_loss", key, 0, 0, 1);
    o.per_child = flag(t, "per_child", key, false);
    if (o.per_child && s_.attribute_index("children") < 0)
      fail(*t.get("per_child"), key + ".per_child", "needs an attribute called 'children'");
    o.after_waiting_harm = flag(t, "after_waiting_harm", key, false);
    if (o.after_waiting_harm && !root_.get("waiting_harm"))
      fail(*t.get("after_waiting_harm"), key + ".after_waiting_harm", "needs a [waiting_harm] section saying who is harmed");
    o.perpetrator_completed_effect = number(t, "perpetrator_completed_effect", key, 1.0, 0, 100);
    if (t.get("perpetrator_completed_effect") && s_.attribute_index("perpetrator_completed") < 0)
      fail(*t.get("perpetrator_completed_effect"), key + ".perpetrator_completed_effect",
           "needs a flag attribute called 'perpetrator_completed'");
    if (const toml::node* w = t.get("when")) o.when = condition(*w, key + ".when");
    s_.outcomes.push_back(std::move(o));
  });
}

int ScenarioBuilder::payer(const toml::table& t, const std::string& ctx, const toml::node& where, const std::string& fallback) {
  const std::string name = text(t, "payer", ctx, fallback);
  check_name(t.get("payer") ? *t.get("payer") : where, ctx + ".payer", name);
  auto it = std::find(s_.payers.begin(), s_.payers.end(), name);
  if (it == s_.payers.end()) s_.payers.push_back(name), it = s_.payers.end() - 1;
  return static_cast<int>(it - s_.payers.begin());
}

void ScenarioBuilder::read_waiting_harm() {
  const toml::table* section = optional_section("waiting_harm", {"daily_risk", "declined_risk", "when"});
  if (!section) return;
  const toml::table& t = *section;
  s_.waiting_harm.enabled = true;
  s_.waiting_harm.daily_risk = required_number(t, "daily_risk", "waiting_harm", 0, 1);
  s_.waiting_harm.declined_risk = number(t, "declined_risk", "waiting_harm", 0, 0, 1);
  if (const toml::node* w = t.get("when")) s_.waiting_harm.when = condition(*w, "waiting_harm.when");
}

void ScenarioBuilder::read_repeat() {
  const toml::table* section = optional_section("repeat", {"annual_hazard", "modifiers", "to", "set"});
  if (!section) return;
  const toml::table& t = *section;
  s_.repeat.enabled = true;
  s_.repeat.annual_hazard = by_result(t, "annual_hazard", "repeat", 0.0, 100);
  if (const toml::node* mods = t.get("modifiers"))
    for (auto&& m : array_at(*mods, "repeat.modifiers")) {
      const toml::table& mt = table_at(m, "repeat.modifiers");
      only_keys(mt, "repeat.modifiers", {"when", "factor"});
      if (!mt.get("when")) fail(mt, "repeat.modifiers", "needs `when`");
      s_.repeat.modifiers.emplace_back(condition(*mt.get("when"), "repeat.modifiers.when"),
                                       required_number(mt, "factor", "repeat.modifiers", 0));
    }
  if (!t.get("to")) fail(t, "repeat", "missing required key 'to' (the service repeat referrals enter)");
  s_.repeat.service = service(*t.get("to"), "repeat.to");
  if (const toml::node* set = t.get("set")) s_.repeat.set = assignments(*set, "repeat.set");
}

void ScenarioBuilder::read_relocation() {
  const toml::table* section = optional_section("relocation", {"front_door", "probability", "retriage_delay", "retriage_dropout"});
  if (!section) return;
  const toml::table& t = *section;
  s_.relocation.enabled = true;
  if (!t.get("front_door")) fail(t, "relocation", "missing required key 'front_door'");
  s_.relocation.front_door = service(*t.get("front_door"), "relocation.front_door");
  s_.relocation.probability = required_number(t, "probability", "relocation", 0, 1);
  if (const toml::node* d = t.get("retriage_delay")) s_.relocation.retriage_delay = distribution(*d, "relocation.retriage_delay");
  s_.relocation.retriage_dropout = number(t, "retriage_dropout", "relocation", 0, 0, 1);
  if (s_.areas.size() < 2) s_.relocation.enabled = false;  // nowhere to move to
}

}  // namespace dasim::scenario
