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
        if (item.is_table())
          for (const char* id : {"name", "pool"})
            if (const toml::node* n = item.as_table()->get(id); n && n->is_string() && n->as_string()->get() == part)
              found = &item;
      at = found;
    } else {
      return nullptr;
    }
    if (end == std::string::npos) return at;
    start = end + 1;
  }
  return at;
}

}  // namespace

void apply_overrides(toml::table& root, const std::vector<Override>& overrides, const std::string& file) {
  for (const Override& o : overrides) {
    toml::node* n = find_key(root, o.key);
    if (!n || !(n->is_integer() || n->is_floating_point()))
      throw LoadError(fmt::format("{}: cannot vary '{}': no number at that key", file, o.key));
    if (n->is_integer()) *n->as_integer() = static_cast<std::int64_t>(std::llround(o.value));
    else *n->as_floating_point() = o.value;
  }
}

}  // namespace dasim::scenario
