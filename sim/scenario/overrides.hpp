#pragma once
// Overrides (sensitivity runs and sweeps): a number put in place of the file's at a dotted key path.
#include <string>
#include <vector>

#include "scenario/toml_reader.hpp"

namespace dasim::scenario {

/// Sets each override's number in `root`; a key with no number there is an error naming `file` and the key.
void apply_overrides(toml::table& root, const std::vector<Override>& overrides, const std::string& file);

}  // namespace dasim::scenario
