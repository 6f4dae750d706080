#include "serve/graph.hpp"

#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <set>
#include <stdexcept>

#include "serve/labels.hpp"
#include "serve/process.hpp"

namespace dasim::serve {

namespace {

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string capacity_of(const model::PoolSpec& p);

std::string capacity_text(const model::Scenario& s, const model::PoolSpec& p) {
  const int reinvested = reinvested_workers(s, static_cast<int>(&p - s.pools.data()));
  if (reinvested > 0) return capacity_of(p) + fmt::format("\n({} bought with reinvested savings)", reinvested);
  return capacity_of(p);
}

std::string capacity_of(const model::PoolSpec& p) {
  if (const auto* g = std::get_if<model::GroupSpec>(&p.kind))
    return fmt::format("{} groups of {}–{}", p.count, g->group_min, g->group_max);
  if (const auto* m = std::get_if<model::MeetingSpec>(&p.kind)) return fmt::format("sits every {:g} days", m->interval);
  const auto& places = std::get<model::PlacesSpec>(p.kind);
  if (places.unit == model::CapacityUnit::units)
    return fmt::format("{} units{}", p.count, places.decline_when_full ? ", no waiting list" : "");
  if (places.cases_per_worker == 1) return fmt::format("{} places", p.count);
  return fmt::format("{} staff × {} cases", p.count, places.cases_per_worker);
}

/// A colour per kind of pool: caseloads, beds, groups, meetings.
const char* colour_of(const model::PoolSpec& p) {
  switch (p.unit()) {
    case model::CapacityUnit::staff: return "#dbe9f6";
    case model::CapacityUnit::units: return "#fde3c8";
    case model::CapacityUnit::groups: return "#dcefd9";
    case model::CapacityUnit::sittings: return "#e8e0f3";
  }
  return "#ffffff";
}

}  // namespace

int reinvested_workers(const model::Scenario& s, int pool) {
  int extra = 0;
  for (const auto& c : s.contracts)
    if (c.reinvested && c.reinvest_pool == pool) extra += c.extra_workers;
  return extra;
}

std::string pathway_dot(const model::Scenario& s) {
  std::string out = "digraph pathway {\n  rankdir=LR; newrank=true; nodesep=0.15; ranksep=0.6;\n"
                    "  node [shape=box, style=\"rounded,filled\", fontname=\"DejaVu Sans\", fontsize=10];\n"
                    "  edge [fontname=\"DejaVu Sans\", fontsize=8, color=\"#555555\"];\n";
  out += "  referrals [label=\"Referrals\", shape=oval, fillcolor=\"#ffffff\"];\n";
  for (std::size_t sv = 0; sv < s.services.size(); ++sv) {
    out += fmt::format("  subgraph cluster_{} {{\n    label={}; style=\"rounded\"; color=\"#bbbbbb\"; fontname=\"DejaVu Sans\"; fontsize=11;\n",
                       sv, quoted(service_label(s, static_cast<int>(sv))));
    for (std::size_t p = 0; p < s.pools.size(); ++p) {
      const model::PoolSpec& pool = s.pools[p];
      if (pool.service != static_cast<int>(sv)) continue;
      std::vector<std::string> areas;
      for (std::size_t a = 0; a < s.areas.size(); ++a)
        if (pool.serves_area[a]) areas.push_back(area_label(s, static_cast<int>(a)));
      const std::string where = areas.size() == s.areas.size() && areas.size() > 1 ? "all areas" : fmt::format("{}", fmt::join(areas, ", "));
      out += fmt::format("    p{} [label={}, fillcolor=\"{}\", tooltip={}];\n", p, quoted(where + "\n" + capacity_text(s, pool)),
                         colour_of(pool), quoted(pool.name));
    }
    out += "  }\n";
  }
  // Edges from a pool go to the pools serving the same people: the target service's pools for the pool's areas.
  std::set<std::tuple<std::string, std::string, int>> edges;
  auto connect = [&](const std::string& from, const std::vector<bool>& areas, const std::vector<model::Route>& routes, int style) {
    for (const auto& r : routes)
      for (const int sv : r.to) {
        if (sv == model::kExit) continue;
        for (std::size_t a = 0; a < areas.size(); ++a)
          if (areas[a]) edges.insert({from, fmt::format("p{}", s.service_pool[sv][a]), style});
      }
  };
  for (const auto& arrival : s.arrivals) {
    std::vector<bool> area(s.areas.size(), false);
    area[arrival.area] = true;
    edges.insert({"referrals", fmt::format("p{}", s.service_pool[arrival.service][arrival.area]), 0});
  }
  for (std::size_t p = 0; p < s.pools.size(); ++p) {
    const std::string from = fmt::format("p{}", p);
    connect(from, s.pools[p].serves_area, s.pools[p].next, 0);
    connect(from, s.pools[p].serves_area, s.pools[p].also, 1);
    connect(from, s.pools[p].serves_area, s.pools[p].on_decline, 2);
    connect(from, s.pools[p].serves_area, s.pools[p].on_disengage, 3);
  }
  static const char* kStyles[] = {"", " [style=dashed, color=\"#2b6cb0\"]", " [style=dotted, color=\"#c53030\"]",
                                  " [style=dotted, color=\"#999999\"]"};
  for (const auto& [from, to, style] : edges) out += fmt::format("  {} -> {}{};\n", from, to, kStyles[style]);
  return out + "}\n";
}

std::string render_svg(const std::string& dot) {
  if (!std::filesystem::exists("/usr/bin/dot"))
    throw std::runtime_error("Graphviz is not installed (apt-get install graphviz): the pathway diagram needs /usr/bin/dot");
  return capture({"/usr/bin/dot", "-Tsvg"}, dot, 60);
}

}  // namespace dasim::serve
