#pragma once
// Read-only view of a scenario file and the bases it `extends`, to find where each value is written: its file,
// line and comment (the source the page shows beside a field). The loader (sim/scenario) gives the resolved
// scenario but not where a value came from, so this follows the same `extends` chain without merging it.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#define TOML_ENABLE_FORMATTERS 0
#include <toml++/toml.h>

namespace dasim::serve {

/// Where a value is written.
struct Located {
  const toml::node* node = nullptr;  // nullptr: not written anywhere in the chain
  std::filesystem::path file;
  int line = 0;
  std::string comment;               // the line's comment after '#', trimmed ("" if none)
  /// Set when the value lies inside an array of tables addressed by `name` (`contracts`, `arrivals`): a file that
  /// extends this one must repeat the whole array to change it (arrays replace, they do not merge).
  const toml::array* array = nullptr;
  std::string array_key;             // e.g. "contracts"
};

class Chain {
 public:
  explicit Chain(const std::filesystem::path& leaf);
  /// The value at a dotted key (arrays of tables entered by their elements' `name`), from the file nearest the
  /// leaf that writes it.
  Located find(const std::string& key) const;
  /// The comment on line `line` (1-based) of `file`, trimmed, or "".
  std::string comment(const std::filesystem::path& file, int line) const;

 private:
  struct File {
    std::filesystem::path path;
    toml::table table;
    std::vector<std::string> lines;
  };
  std::vector<std::unique_ptr<File>> files_;  // leaf first
};

/// A TOML value on one line: numbers (floats keep a decimal point), strings quoted and escaped, booleans, dates,
/// arrays and inline tables.
std::string toml_value(const toml::node& node);
/// A string as a TOML basic string, quoted and escaped.
std::string toml_string(const std::string& text);
/// A key as written in TOML: bare when it can be, quoted otherwise.
std::string toml_key(const std::string& key);
/// A dotted path (`pools.idva-set.duration`) as written in TOML, each part bare or quoted.
std::string toml_path(const std::string& dotted);

}  // namespace dasim::serve
