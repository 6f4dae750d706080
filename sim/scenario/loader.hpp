#pragma once
// TOML scenario files → validated model::Scenario. Every error names file, line, column and the problem.
#include <filesystem>
#include <stdexcept>
#include <string>

#include "model/spec.hpp"

namespace dasim::scenario {

/// A scenario that cannot be used; what() reads "file:line:column: key: problem".
struct LoadError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

model::Scenario load(const std::filesystem::path& file);
/// The same, from text in memory (`name` stands in for the file name in messages).
model::Scenario load_text(const std::string& text, const std::string& name);

/// The resolved parameters, one per line, as `dasim check` prints them and results files store them.
std::string describe(const model::Scenario& scenario);

}  // namespace dasim::scenario
