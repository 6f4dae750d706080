// The [display_names] section: what a board reads for each service, area, funder, payer, pool and assumption.
// A name the scenario's own file gives for something it does not have is an error, so a typo cannot leave a raw
// key in a report; a base's names for what an option leaves out are passed over.
#include <algorithm>
#include <fmt/format.h>

#include "scenario/builder.hpp"

namespace dasim::scenario {

void ScenarioBuilder::read_display_names() {
  if (s_.display_name.empty()) s_.display_name = model::readable(s_.name);
  const toml::table* t = optional_section("display_names", {"services", "areas", "funders", "payers", "pools", "parameters"});
  if (!t) return;
  std::vector<std::string> areas, pools;
  for (const auto& a : s_.areas) areas.push_back(a.name);
  for (const auto& p : s_.pools) pools.push_back(p.name);
  // `known` empty: any key (parameters are dotted keys or patterns, checked when a sensitivity run uses them).
  auto read = [&](const char* kind, std::map<std::string, std::string>& into, const std::vector<std::string>* known) {
    const toml::node* n = t->get(kind);
    if (!n) return;
    const std::string section = fmt::format("display_names.{}", kind);
    const toml::table& names = table_at(*n, section);
    for (auto&& [key, value] : names) {
      const std::string k(key.str()), at = section + "." + k;
      if (known && std::find(known->begin(), known->end(), k) == known->end()) {
        // A base may name what an option built on it leaves out (a counterfactual with no services); a name the
        // scenario's own file gives for something it does not have is a typo.
        const auto& path = value.source().path;
        if (path && *path != file()) continue;
        fail(value, at, fmt::format("no {} is called '{}' in this scenario", std::string(kind).substr(0, std::string(kind).size() - 1), k));
      }
      const std::string name = text(value, at);
      if (name.empty() || name.find_first_of("\n\r\t") != std::string::npos) fail(value, at, "must be a non-empty name on one line");
      into[k] = name;
    }
  };
  model::DisplayNames& d = s_.display_names;
  read("services", d.services, &s_.services);
  read("areas", d.areas, &areas);
  read("funders", d.funders, &s_.funders);
  read("payers", d.payers, &s_.payers);
  read("pools", d.pools, &pools);
  read("parameters", d.parameters, nullptr);
}

}  // namespace dasim::scenario
