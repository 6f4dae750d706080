#pragma once
// The `extends` chain: a scenario file may name a base file whose tables it overrides key by key. Each file of
// the chain is read from disk once; its text is kept for the results record and for the assumption scan.
#include <filesystem>
#include <string>
#include <vector>

#include "scenario/toml_reader.hpp"

namespace dasim::scenario {

struct SourceChain {
  toml::table root;                   // every file merged, the base underneath
  std::vector<std::string> files;     // names as given (they are the paths toml++ records), base first
  std::vector<std::string> contents;  // each file's verbatim text, in the same order
  /// The verbatim files, each headed by its name (not its full path, which would carry local folders into results).
  std::string record() const;
};

/// Files in memory by the name the chain gives them: the chain reads these instead of the disk.
using FilesInMemory = std::vector<std::pair<std::string, std::string>>;

/// Reads `file` and every base it extends. With `in_memory`, the text of `file` itself is taken from there;
/// with `files`, every file of the chain is (a file missing from it is an error).
SourceChain read_chain(const std::filesystem::path& file, const std::string* in_memory = nullptr,
                       const FilesInMemory* files = nullptr);

/// Merges `over` into `base`: tables key by key, anything else replaced; `false` removes a base table.
void merge(toml::table& base, toml::table&& over);

}  // namespace dasim::scenario
