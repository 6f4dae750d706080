// The assumption scan: numeric parameters whose line carries the word "assumption" in its comment.
#include <cctype>
#include <fmt/format.h>
#include <map>
#include <sstream>

#include "scenario/extends.hpp"
#include "scenario/overrides.hpp"

namespace dasim::scenario {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void collect_assumptions(const toml::node& node, const std::string& path, const std::map<std::string, std::vector<std::string>>& lines,
                         std::vector<Assumption>& out) {
  if (const toml::table* t = node.as_table()) {
    for (auto&& [k, v] : *t) collect_assumptions(v, path.empty() ? std::string(k.str()) : path + "." + std::string(k.str()), lines, out);
  } else if (const toml::array* a = node.as_array()) {
    for (auto&& item : *a)
      if (const toml::table* t = item.as_table())
        if (const std::string name = item_key(*t); !name.empty()) collect_assumptions(item, path + "." + name, lines, out);
  } else if (node.is_integer() || node.is_floating_point()) {
    const auto& src = node.source();
    if (!src.path) return;
    const auto file = lines.find(*src.path);
    if (file == lines.end() || src.begin.line == 0 || src.begin.line > file->second.size()) return;
    const std::string& line = file->second[src.begin.line - 1];
    const auto hash = line.find('#');
    if (hash == std::string::npos || lower(line.substr(hash)).find("assumption") == std::string::npos) return;
    const double value = node.is_integer() ? static_cast<double>(node.as_integer()->get()) : node.as_floating_point()->get();
    out.push_back({path, value, node.is_integer(), fmt::format("{}:{}", *src.path, src.begin.line)});
  }
}

std::vector<Assumption> scan(const SourceChain& chain) {
  std::map<std::string, std::vector<std::string>> lines;  // by file name, as toml++ records it
  for (std::size_t f = 0; f < chain.files.size(); ++f) {
    std::istringstream in(chain.contents[f]);
    for (std::string line; std::getline(in, line);) lines[chain.files[f]].push_back(line);
  }
  std::vector<Assumption> out;
  collect_assumptions(chain.root, "", lines, out);
  return out;
}

}  // namespace

std::vector<Assumption> assumptions(const std::filesystem::path& file) { return scan(read_chain(file)); }

std::vector<Assumption> assumptions(const model::Scenario& scenario) {
  if (scenario.source_files.empty()) return {};
  const std::string& top = scenario.source_files.back().first;
  SourceChain chain = read_chain(top, nullptr, &scenario.source_files);
  std::vector<Override> loaded_with;  // a sweep point's values are its base values
  for (const auto& [key, value] : scenario.overrides) loaded_with.push_back({key, value});
  apply_overrides(chain.root, loaded_with, top);
  return scan(chain);
}

}  // namespace dasim::scenario
