#pragma once
// What people read instead of keys: a scenario names its option, services, areas, funders, payers, pools and
// assumptions for a board. Anything it leaves unnamed reads as its key made readable ("front-door" as
// "Front door"), never as the raw key.
#include <map>
#include <string>

namespace dasim::model {

/// "front-door" -> "Front door", "essex_north" -> "Essex north".
std::string readable(const std::string& key);

struct DisplayNames {
  std::map<std::string, std::string> services, areas, funders, payers, pools;
  /// By dotted parameter key, or a pattern with `*` as a sensitivity run's `--vary-only` takes them.
  std::map<std::string, std::string> parameters;

  /// The name in `names`, or the key made readable.
  static std::string of(const std::map<std::string, std::string>& names, const std::string& key);
  /// A parameter's name: its own, else the first pattern that matches it, else its last two parts made readable.
  std::string parameter(const std::string& key) const;
};

}  // namespace dasim::model
