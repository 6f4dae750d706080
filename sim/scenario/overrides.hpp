#pragma once
// Overrides (sensitivity runs and sweeps): a number put in place of the file's at a dotted key path.
#include <string>
#include <vector>

#include "scenario/toml_reader.hpp"

namespace dasim::scenario {

/// What names an element of an array of tables in a dotted key: its `name`, or for a contract's `buys` entry, the
/// `pool` it buys (`contracts.essex-community.buys.outreach-essex-north.share`). Empty when it has neither.
std::string item_key(const toml::table& item);

/// Sets each override's number in `root`; a key with no number there is an error naming `file` and the key.
/// A varied `share` of a contract's `buys` takes its money from the contract's other purchases pro rata, so the
/// shares still sum to 1.
void apply_overrides(toml::table& root, const std::vector<Override>& overrides, const std::string& file);

}  // namespace dasim::scenario
