// Sweep files: a base scenario and parameters varied over lists (zipped) or a grid (every combination).
#include <fmt/format.h>

#include "scenario/loader.hpp"
#include "scenario/toml_reader.hpp"

namespace dasim::scenario {

Sweep load_sweep(const std::filesystem::path& file) {
  const std::string name = file.string();
  const toml::table t = parse(read_file(file), name);
  auto fail = [&](const toml::node& at, const std::string& what) -> void {
    throw LoadError(fmt::format("{}: {}", position(at.source(), name), what));
  };
  for (auto&& [k, v] : t)
    if (k.str() != "scenario" && k.str() != "mode" && k.str() != "vary")
      fail(v, fmt::format("unknown key '{}' (expected scenario, mode, vary)", k.str()));
  const toml::node* scenario = t.get("scenario");
  if (!scenario || !scenario->is_string()) throw LoadError(name + ": `scenario` (the base scenario file) is required");
  Sweep sweep;
  sweep.scenario = file.parent_path() / scenario->as_string()->get();
  const std::string mode = t.get("mode") && t.get("mode")->is_string() ? t.get("mode")->as_string()->get() : "grid";
  if (mode != "grid" && mode != "list") fail(*t.get("mode"), "mode: must be \"grid\" or \"list\"");
  const toml::node* vary = t.get("vary");
  if (!vary || !vary->is_array() || vary->as_array()->empty()) throw LoadError(name + ": needs at least one [[vary]]");
  std::vector<std::pair<std::string, std::vector<double>>> axes;
  for (auto&& item : *vary->as_array()) {
    if (!item.is_table()) fail(item, "vary: each entry must be a table");
    const toml::table& v = *item.as_table();
    for (auto&& [k, n] : v)
      if (k.str() != "key" && k.str() != "values") fail(n, fmt::format("vary: unknown key '{}' (expected key, values)", k.str()));
    const toml::node* key = v.get("key");
    const toml::node* values = v.get("values");
    if (!key || !key->is_string()) fail(item, "vary: `key` (a dotted path such as pools.idva.workers) is required");
    if (!values || !values->is_array() || values->as_array()->empty()) fail(item, "vary: `values` must be a non-empty array of numbers");
    std::vector<double> numbers;
    for (auto&& x : *values->as_array()) {
      if (!x.is_integer() && !x.is_floating_point()) fail(x, "vary.values: must be numbers");
      numbers.push_back(x.is_integer() ? static_cast<double>(x.as_integer()->get()) : x.as_floating_point()->get());
    }
    axes.emplace_back(key->as_string()->get(), numbers);
  }
  const std::string base = sweep.scenario.stem().string();
  auto point_name = [&](const std::vector<Override>& o) {
    std::string label;
    for (const auto& x : o) { if (!label.empty()) label += ";"; label += fmt::format("{}={:g}", x.key, x.value); }
    return base + "[" + label + "]";
  };
  if (mode == "list") {
    for (const auto& axis : axes)
      if (axis.second.size() != axes.front().second.size()) throw LoadError(name + ": mode = \"list\" needs equally long `values` lists");
    for (std::size_t i = 0; i < axes.front().second.size(); ++i) {
      SweepPoint p;
      for (const auto& axis : axes) p.overrides.push_back({axis.first, axis.second[i]});
      p.name = point_name(p.overrides);
      sweep.points.push_back(std::move(p));
    }
  } else {
    std::vector<std::size_t> index(axes.size(), 0);
    for (;;) {
      SweepPoint p;
      for (std::size_t a = 0; a < axes.size(); ++a) p.overrides.push_back({axes[a].first, axes[a].second[index[a]]});
      p.name = point_name(p.overrides);
      sweep.points.push_back(std::move(p));
      std::size_t a = axes.size();
      while (a > 0 && ++index[a - 1] == axes[a - 1].second.size()) index[--a] = 0;
      if (a == 0) break;
    }
  }
  if (sweep.points.size() > 10000) throw LoadError(name + ": more than 10,000 points; narrow the grid");
  return sweep;
}

}  // namespace dasim::scenario
