#include "scenario/builder.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace dasim::scenario {

using model::Clause;
using model::Condition;

model::Scenario ScenarioBuilder::build() {
  only_keys(root_, "top level", {"scenario", "simulation", "areas", "attributes", "arrivals", "pools", "contracts",
                                  "outcomes", "waiting_harm", "repeat", "relocation", "display_names",
                                  "childrens_social_care"});
  s_.name = std::filesystem::path(file()).stem().string();
  read_scenario_and_simulation();
  read_areas();
  read_sources();  // attributes may depend on sources, which are named by the arrivals
  read_attributes();
  read_arrivals();
  read_pools();
  read_contracts();
  read_social_care();  // before the outcomes, so its payer keeps its place first in the payers
  read_outcomes();
  read_waiting_harm();
  read_repeat();
  read_relocation();
  resolve_services();
  read_display_names();
  check_zero_time_loops();
  return std::move(s_);
}

const toml::table* ScenarioBuilder::optional_section(std::string_view name,
                                                     std::initializer_list<std::string_view> keys) const {
  const toml::node* n = root_.get(name);
  if (!n) return nullptr;
  const toml::table& t = table_at(*n, std::string(name));
  only_keys(t, std::string(name), keys);
  return &t;
}

int ScenarioBuilder::service(const toml::node& n, const std::string& key) { return service(text(n, key), n); }

int ScenarioBuilder::service(const std::string& name, const toml::node& where) {
  check_name(where, "service", name);
  if (name == "exit")
    throw LoadError(fmt::format("{}: 'exit' ends a case in a route; it cannot be used as a service here",
                                position(where.source(), file())));
  auto it = std::find(s_.services.begin(), s_.services.end(), name);
  if (it != s_.services.end()) return static_cast<int>(it - s_.services.begin());
  s_.services.push_back(name);
  service_first_use_.push_back(&where);
  return static_cast<int>(s_.services.size()) - 1;
}

int ScenarioBuilder::value_of(int attribute, const toml::node& n, const std::string& key) const {
  if (attribute == model::kArea) return index_of(area_names_, n, key, "area");
  if (attribute == model::kSource) return index_of(s_.sources, n, key, "source");
  const model::AttributeSpec& a = *s_.attribute(attribute);
  if (a.kind == model::AttributeKind::flag) {
    if (!n.is_boolean()) fail(n, key, fmt::format("'{}' is a flag: use true or false", a.name));
    return n.as_boolean()->get() ? 1 : 0;
  }
  if (a.kind == model::AttributeKind::count) return static_cast<int>(number(n, key, 0, a.max_count));
  return index_of(a.values, n, key, fmt::format("value of '{}'", a.name));
}

Condition ScenarioBuilder::condition(const toml::node& n, const std::string& key) const {
  Condition c;
  for (auto&& [k, v] : table_at(n, key)) {
    const std::string sub = key + "." + std::string(k.str());
    Clause clause;
    clause.attribute = s_.attribute_index(std::string(k.str()));
    if (clause.attribute < 0) fail(v, sub, fmt::format("unknown attribute '{}'", k.str()));
    const model::AttributeSpec* a = s_.attribute(clause.attribute);
    if (a && a->kind == model::AttributeKind::count) {
      if (v.is_table()) {
        only_keys(*v.as_table(), sub, {"min", "max"});
        clause.min = static_cast<int>(number(*v.as_table(), "min", sub, 0, 0));
        clause.max = static_cast<int>(number(*v.as_table(), "max", sub, 1e9, 0));
      } else {
        clause.min = clause.max = value_of(clause.attribute, v, sub);
      }
    } else {
      clause.allowed_mask = 0;
      if (v.is_array()) {
        for (auto&& item : *v.as_array()) clause.allowed_mask |= 1ULL << value_of(clause.attribute, item, sub);
      } else {
        clause.allowed_mask = 1ULL << value_of(clause.attribute, v, sub);
      }
    }
    c.clauses.push_back(clause);
  }
  return c;
}

std::vector<std::pair<int, int>> ScenarioBuilder::assignments(const toml::node& n, const std::string& key) const {
  std::vector<std::pair<int, int>> out;
  for (auto&& [k, v] : table_at(n, key)) {
    const std::string sub = key + "." + std::string(k.str());
    const int attribute = s_.attribute_index(std::string(k.str()));
    if (attribute < model::kFirstDrawnAttribute) fail(v, sub, fmt::format("unknown attribute '{}'", k.str()));
    out.emplace_back(attribute, value_of(attribute, v, sub));
  }
  return out;
}

std::vector<model::Route> ScenarioBuilder::routes(const toml::table& t, std::string_view k, const std::string& ctx) {
  std::vector<model::Route> out;
  const toml::node* n = t.get(k);
  if (!n) return out;
  const std::string key = ctx + "." + std::string(k);
  for (auto&& item : array_at(*n, key)) {
    const std::string sub = fmt::format("{}[{}]", key, out.size());
    const toml::table& r = table_at(item, sub);
    only_keys(r, sub, {"to", "when", "p", "delay", "each_child", "household_perpetrator", "whole_family", "family_perpetrator"});
    model::Route route;
    const toml::node* to = r.get("to");
    if (!to) fail(r, sub, "missing required key 'to'");
    if (to->is_table()) {
      double total = 0;
      for (auto&& [name, weight] : *to->as_table()) {
        route.to.push_back(name.str() == "exit" ? model::kExit : service(std::string(name.str()), weight));
        total += number(weight, sub + ".to." + std::string(name.str()), 0);
        route.weights.push_back(total);
      }
      if (route.to.empty() || total <= 0) fail(*to, sub + ".to", "needs at least one service with a positive weight");
      for (double& w : route.weights) w /= total;
    } else {
      route.to.push_back(to->is_string() && to->as_string()->get() == "exit" ? model::kExit : service(*to, sub + ".to"));
      route.weights.push_back(1.0);
    }
    if (const toml::node* w = r.get("when")) route.when = condition(*w, sub + ".when");
    route.p = number(r, "p", sub, 1.0, 0, 1);
    if (const toml::node* d = r.get("delay")) route.delay = distribution(*d, sub + ".delay");
    // Children as people (docs/model.md §4.3): the route's cases are the household's children, opened beside the
    // adult's, so only a parallel (`also`) route can hold them.
    route.each_child = flag(r, "each_child", sub, false);
    if (route.each_child && k != "also") fail(r, sub, "`each_child` is for `also` routes only (they open cases beside the adult's)");
    route.household_perpetrator = flag(r, "household_perpetrator", sub, false);
    if (route.household_perpetrator && (k != "also" || route.each_child))
      fail(r, sub, "`household_perpetrator` is for `also` routes only, without `each_child` (it opens the perpetrator's case beside the victim's)");
    // Whole-family work (docs/model.md §4.3): the route the adult takes, so an exclusive one; the family joins them.
    route.whole_family = flag(r, "whole_family", sub, false);
    if (route.whole_family && k == "also")
      fail(r, sub, "`whole_family` is for `next`, `on_decline` and `on_disengage` routes (the family goes where the adult goes)");
    if (const toml::node* fp = r.get("family_perpetrator")) {
      if (!route.whole_family) fail(*fp, sub + ".family_perpetrator", "needs `whole_family = true` on the same route");
      route.family_perpetrator = condition(*fp, sub + ".family_perpetrator");
    }
    out.push_back(std::move(route));
  }
  return out;
}

std::array<double, model::kSupportResults> ScenarioBuilder::by_result(const toml::table& t, std::string_view k,
                                                              const std::string& ctx, double fallback,
                                                              double max) const {
  std::array<double, model::kSupportResults> out;
  out.fill(fallback);
  const toml::node* n = t.get(k);
  if (!n) return out;
  const std::string key = ctx + "." + std::string(k);
  const toml::table& table = table_at(*n, key);
  only_keys(table, key, {"completed", "disengaged", "declined", "none"});
  out[0] = number(table, "completed", key, fallback, 0, max);
  out[1] = number(table, "disengaged", key, fallback, 0, max);
  out[2] = number(table, "declined", key, fallback, 0, max);
  out[3] = number(table, "none", key, fallback, 0, max);
  return out;
}

void ScenarioBuilder::resolve_services() {
  s_.service_pool.assign(s_.services.size(), std::vector<int>(s_.areas.size(), -1));
  for (std::size_t p = 0; p < s_.pools.size(); ++p)
    for (std::size_t a = 0; a < s_.areas.size(); ++a) {
      if (!s_.pools[p].serves_area[a]) continue;
      int& slot = s_.service_pool[s_.pools[p].service][a];
      const toml::node& at = *root_["pools"][s_.pools[p].name].node();
      if (slot >= 0)
        fail(at, "pools." + s_.pools[p].name,
             fmt::format("area '{}' is already served for service '{}' by pool '{}'", s_.areas[a].name,
                         s_.services[s_.pools[p].service], s_.pools[slot].name));
      slot = static_cast<int>(p);
    }
  for (std::size_t sv = 0; sv < s_.services.size(); ++sv)
    for (std::size_t a = 0; a < s_.areas.size(); ++a)
      if (s_.service_pool[sv][a] < 0)
        fail(*service_first_use_[sv], "service " + s_.services[sv],
             fmt::format("no pool serves area '{}' for service '{}' (each service needs a pool for every area)",
                         s_.areas[a].name, s_.services[sv]));
}

}  // namespace dasim::scenario
