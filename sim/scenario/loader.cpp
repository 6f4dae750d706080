// The entry points: a scenario file (and its `extends` chain) or text in memory, to a validated model::Scenario.
#include "scenario/loader.hpp"

#include <fmt/format.h>

#include "scenario/builder.hpp"
#include "scenario/extends.hpp"
#include "scenario/overrides.hpp"

namespace dasim::scenario {

model::Scenario load(const std::filesystem::path& file, const std::vector<Override>& overrides) {
  if (!std::filesystem::exists(file)) throw LoadError(fmt::format("{}: no such scenario file", file.string()));
  if (std::filesystem::is_directory(file)) throw LoadError(fmt::format("{}: is a directory, not a scenario file", file.string()));
  SourceChain chain = read_chain(file);
  apply_overrides(chain.root, overrides, file.string());
  model::Scenario s = ScenarioBuilder(chain.root, file.string(), chain.files).build();
  s.source_text = chain.record();
  return s;
}

model::Scenario load_text(const std::string& content, const std::string& name) {
  const SourceChain chain = read_chain(name, &content);
  model::Scenario s = ScenarioBuilder(chain.root, name, chain.files).build();
  s.source_text = chain.record();
  return s;
}

}  // namespace dasim::scenario
