// Overrides: numbers put in place of the file's at dotted key paths, before the scenario is built.
#include "scenario/overrides.hpp"

#include <cmath>
#include <fmt/format.h>

namespace dasim::scenario {

namespace {

/// The node at a dotted key path, or nullptr; arrays of tables are entered by their elements' `name`.
toml::node* find_key(toml::table& root, const std::string& key) {
  toml::node* at = &root;
  std::size_t start = 0;
  while (at && start <= key.size()) {
    std::size_t end = key.find('.', start);
    std::string part = key.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (toml::table* t = at->as_table()) {
      // a pool or area name may itself contain dots only if quoted; dasim names do not
      at = t->get(part);
    } else if (toml::array* a = at->as_array()) {
      toml::node* found = nullptr;
      // elements are named by `name`, or (a contract's `buys`) by the `pool` they buy
      for (auto&& item : *a)
        if (item.is_table() && item_key(*item.as_table()) == part) found = &item;
      at = found;
    } else {
      return nullptr;
    }
    if (end == std::string::npos) return at;
    start = end + 1;
  }
  return at;
}

/// `key` names a contract's purchase share (contracts.C.buys.P.share): the other shares of C, scaled so that all
/// of them again sum to what they summed to before `value` replaced `old`.
void rebalance_shares(toml::table& root, const std::string& key, double old, double value) {
  const std::string suffix = ".share";
  const auto buys = key.rfind(".buys.");
  if (key.rfind("contracts.", 0) != 0 || buys == std::string::npos || key.size() < suffix.size() ||
      key.compare(key.size() - suffix.size(), suffix.size(), suffix) != 0)
    return;
  toml::node* list = find_key(root, key.substr(0, buys + 5));
  if (!list || !list->is_array()) return;
  const std::string varied = key.substr(buys + 6, key.size() - suffix.size() - buys - 6);
  double others = 0;
  for (auto&& item : *list->as_array())
    if (const toml::table* t = item.as_table(); t && item_key(*t) != varied)
      if (const toml::node* share = t->get("share")) others += share->value_or(0.0);
  if (others <= 0) return;
  const double scale = (others + old - value) / others;
  if (scale < 0)
    throw LoadError(fmt::format("cannot vary '{}' to {:g}: the contract's other purchases have only {:g} of its money", key,
                                value, others + old));
  for (auto&& item : *list->as_array())
    if (toml::table* t = item.as_table(); t && item_key(*t) != varied)
      if (toml::node* share = t->get("share"); share && share->is_floating_point())
        *share->as_floating_point() = share->as_floating_point()->get() * scale;
}

}  // namespace

std::string item_key(const toml::table& item) {
  for (const char* key : {"name", "pool"})
    if (const toml::node* n = item.get(key); n && n->is_string()) return n->as_string()->get();
  return {};
}

void apply_overrides(toml::table& root, const std::vector<Override>& overrides, const std::string& file) {
  for (const Override& o : overrides) {
    toml::node* n = find_key(root, o.key);
    if (!n || !(n->is_integer() || n->is_floating_point()))
      throw LoadError(fmt::format("{}: cannot vary '{}': no number at that key", file, o.key));
    const double old = n->value_or(0.0);
    if (n->is_integer()) *n->as_integer() = static_cast<std::int64_t>(std::llround(o.value));
    else *n->as_floating_point() = o.value;
    rebalance_shares(root, o.key, old, o.value);
  }
}

}  // namespace dasim::scenario
