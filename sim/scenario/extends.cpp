#include "scenario/extends.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <set>

namespace dasim::scenario {

void merge(toml::table& base, toml::table&& over) {
  for (auto&& [key, node] : over) {
    toml::node* existing = base.get(key.str());
    if (existing && existing->is_table() && node.is_table()) {
      merge(*existing->as_table(), std::move(*node.as_table()));
    } else if (existing && existing->is_table() && node.is_boolean() && !node.as_boolean()->get()) {
      base.erase(key.str());
    } else {
      node.visit([&, k = key](auto&& concrete) { base.insert_or_assign(k, std::move(concrete)); });
    }
  }
}

namespace {

/// Reads one file of the chain and, before it, the base it extends; appends base first to `chain`.
toml::table read_link(const std::filesystem::path& file, const std::string* in_memory, const FilesInMemory* files,
                      std::set<std::string>& seen, SourceChain& chain) {
  const std::string name = file.string();
  // Each link recurses: a chain thousands deep would overflow the stack.
  if (static_cast<int>(seen.size()) >= kMaxExtendsDepth)
    throw LoadError(fmt::format("{}: `extends` chain is more than {} files deep", name, kMaxExtendsDepth));
  if (!seen.insert(std::filesystem::weakly_canonical(file).string()).second)
    throw LoadError(fmt::format("{}: `extends` goes round in a circle back to this file", name));
  std::string content;
  if (in_memory) {
    content = *in_memory;
  } else if (files) {
    const auto it = std::find_if(files->begin(), files->end(), [&](const auto& f) { return f.first == name; });
    if (it == files->end()) throw LoadError(fmt::format("{}: not among the files the scenario was read from", name));
    content = it->second;
  } else {
    content = read_file(file);
  }
  toml::table table = parse(content, name);
  if (toml::node* ext = table.get("extends")) {
    if (!ext->is_string())
      throw LoadError(fmt::format("{}: extends: must be a file name (a string)", position(ext->source(), name)));
    const std::filesystem::path base_file = file.parent_path() / ext->as_string()->get();
    if (!files && !std::filesystem::exists(base_file))
      throw LoadError(fmt::format("{}: extends: no such file '{}'", position(ext->source(), name), base_file.string()));
    if (!std::filesystem::is_regular_file(base_file))
      throw LoadError(fmt::format("{}: extends: '{}' is not a scenario file (a folder, device or pipe)",
                                  position(ext->source(), name), base_file.string()));
    table.erase("extends");
    toml::table base = read_link(base_file, nullptr, files, seen, chain);
    merge(base, std::move(table));
    table = std::move(base);
  }
  chain.files.push_back(name);
  chain.contents.push_back(std::move(content));
  return table;
}

}  // namespace

SourceChain read_chain(const std::filesystem::path& file, const std::string* in_memory, const FilesInMemory* files) {
  SourceChain chain;
  std::set<std::string> seen;
  chain.root = read_link(file, in_memory, files, seen, chain);
  return chain;
}

std::string SourceChain::record() const {
  std::string text;
  for (std::size_t i = 0; i < files.size(); ++i)
    text += fmt::format("# ===== {} =====\n{}", std::filesystem::path(files[i]).filename().string(), contents[i]);
  return text;
}

}  // namespace dasim::scenario
