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

/// A value put in place of the file's at a dotted key path: `pools.idva.workers`, `simulation.years`; an array of
/// tables is addressed by the `name` of its element (a contract's `buys` by their `pool`: `contracts.idva-set.buys.idva-set.share`): `arrivals.police-southend.rate_per_year`,
/// `contracts.refuge.efficiency`. A numeric value; `text` keeps how it is shown in names and tables.
struct Override {
  std::string key;
  double value = 0;
};

model::Scenario load(const std::filesystem::path& file, const std::vector<Override>& overrides = {});

/// A numeric parameter whose line carries the word `assumption` in its comment: what a sensitivity run varies.
struct Assumption {
  std::string key;    // dotted path, as in Override
  double value = 0;
  bool integer = false;
  std::string where;  // file:line
};
std::vector<Assumption> assumptions(const std::filesystem::path& file);

/// The same two, from the files a loaded scenario was read from (its `sources`), not from the disk: a sensitivity
/// run varies the text that ran even if the file has been edited since.
model::Scenario reload(const model::Scenario& scenario, const std::vector<Override>& overrides);
std::vector<Assumption> assumptions(const model::Scenario& scenario);

/// A sweep file: a base scenario and parameters to vary over lists (zipped) or a grid (every combination).
struct SweepPoint {
  std::string name;  // e.g. set-pooled[pools.idva.workers=12]
  std::vector<Override> overrides;
};
struct Sweep {
  std::filesystem::path scenario;
  std::vector<SweepPoint> points;
};
Sweep load_sweep(const std::filesystem::path& file);
/// The same, from text in memory (`name` stands in for the file name in messages).
model::Scenario load_text(const std::string& text, const std::string& name);

/// The resolved parameters, one per line, as `dasim check` prints them and results files store them.
std::string describe(const model::Scenario& scenario);

}  // namespace dasim::scenario
