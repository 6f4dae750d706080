// The entry points: a scenario file (and its `extends` chain) or text in memory, to a validated model::Scenario.
#include "scenario/loader.hpp"

#include <fmt/format.h>

#include "scenario/builder.hpp"
#include "scenario/extends.hpp"
#include "scenario/overrides.hpp"

namespace dasim::scenario {

namespace {
model::Scenario build(SourceChain chain, const std::string& name, const std::vector<Override>& overrides) {
  apply_overrides(chain.root, overrides, name);
  model::Scenario s = ScenarioBuilder(chain.root, name, chain.files).build();
  s.source_text = chain.record();
  for (std::size_t i = 0; i < chain.files.size(); ++i) s.source_files.emplace_back(chain.files[i], chain.contents[i]);
  for (const Override& o : overrides) s.overrides.emplace_back(o.key, o.value);
  return s;
}
}  // namespace

model::Scenario load(const std::filesystem::path& file, const std::vector<Override>& overrides) {
  if (!std::filesystem::exists(file)) throw LoadError(fmt::format("{}: no such scenario file", file.string()));
  if (std::filesystem::is_directory(file)) throw LoadError(fmt::format("{}: is a directory, not a scenario file", file.string()));
  return build(read_chain(file), file.string(), overrides);
}

model::Scenario load_text(const std::string& content, const std::string& name) {
  return build(read_chain(name, &content), name, {});
}

model::Scenario reload(const model::Scenario& scenario, const std::vector<Override>& overrides) {
  if (scenario.source_files.empty()) throw LoadError(fmt::format("{}: no source files kept to read again", scenario.name));
  const std::string& top = scenario.source_files.back().first;
  std::vector<Override> all;  // those it was loaded with, then the new ones (a later value for a key wins)
  for (const auto& [key, value] : scenario.overrides) all.push_back({key, value});
  all.insert(all.end(), overrides.begin(), overrides.end());
  return build(read_chain(top, nullptr, &scenario.source_files), top, all);
}

}  // namespace dasim::scenario
