#include "serve/toml_chain.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace dasim::serve {

namespace {

std::string trim(const std::string& s) {
  const auto a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(" \t\r") - a + 1);
}

/// The comment of a TOML line: text after the first '#' outside a string.
std::string line_comment(const std::string& line) {
  bool in_string = false;
  char quote = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (in_string) {
      if (c == '\\' && quote == '"') ++i;
      else if (c == quote) in_string = false;
    } else if (c == '"' || c == '\'') {
      in_string = true, quote = c;
    } else if (c == '#') {
      return trim(line.substr(i + 1));
    }
  }
  return "";
}

}  // namespace

Chain::Chain(const fs::path& leaf) {
  std::set<fs::path> seen;
  fs::path file = leaf;
  for (;;) {
    if (!seen.insert(fs::weakly_canonical(file)).second) break;  // the loader reports the loop; stop here
    auto f = std::make_unique<File>();
    f->path = file;
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    f->table = toml::parse(text.str(), file.string());
    std::istringstream lines(text.str());
    for (std::string line; std::getline(lines, line);) f->lines.push_back(line);
    const toml::node* ext = f->table.get("extends");
    files_.push_back(std::move(f));
    if (!ext || !ext->is_string()) break;
    file = file.parent_path() / ext->as_string()->get();
    if (!fs::exists(file)) break;
  }
}

Located Chain::find(const std::string& key) const {
  for (const auto& f : files_) {
    Located at;
    const toml::node* n = &f->table;
    std::size_t start = 0;
    std::string path;
    while (n) {
      const std::size_t end = key.find('.', start);
      const std::string part = key.substr(start, end == std::string::npos ? std::string::npos : end - start);
      if (const toml::table* t = n->as_table()) {
        n = t->get(part);
      } else if (const toml::array* a = n->as_array()) {
        const toml::node* found = nullptr;
        for (auto&& item : *a)
          if (const toml::table* t = item.as_table())
            if (const toml::node* name = t->get("name"); name && name->is_string() && name->as_string()->get() == part)
              found = &item;
        if (!at.array) at.array = a, at.array_key = path;
        n = found;
      } else {
        n = nullptr;
      }
      path += (path.empty() ? "" : ".") + part;
      if (end == std::string::npos) break;
      start = end + 1;
    }
    if (!n) {
      // An array of tables written in a nearer file replaces the base's whole array: do not look further.
      if (at.array) return Located{};
      continue;
    }
    at.node = n;
    at.file = f->path;
    at.line = static_cast<int>(n->source().begin.line);
    at.comment = comment(f->path, at.line);
    return at;
  }
  return Located{};
}

std::string Chain::comment(const fs::path& file, int line) const {
  for (const auto& f : files_)
    if (f->path == file && line >= 1 && line <= static_cast<int>(f->lines.size())) return line_comment(f->lines[line - 1]);
  return "";
}

std::string toml_string(const std::string& text) {
  std::string out = "\"";
  for (const unsigned char c : text) {
    if (c == '"' || c == '\\') out += '\\', out += static_cast<char>(c);
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20 || c == 0x7f) out += fmt::format("\\u{:04X}", c);
    else out += static_cast<char>(c);
  }
  return out + "\"";
}

std::string toml_key(const std::string& key) {
  const bool bare = !key.empty() && key.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") == std::string::npos;
  return bare ? key : toml_string(key);
}

std::string toml_path(const std::string& dotted) {
  std::string out;
  for (std::size_t start = 0;;) {
    const std::size_t end = dotted.find('.', start);
    out += (out.empty() ? "" : ".") + toml_key(dotted.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) return out;
    start = end + 1;
  }
}

std::string toml_value(const toml::node& node) {
  if (node.is_integer()) return fmt::format("{}", node.as_integer()->get());
  if (node.is_floating_point()) {
    std::string s = fmt::format("{}", node.as_floating_point()->get());
    if (s.find_first_of(".eEn") == std::string::npos) s += ".0";  // keep it a float (n: inf, nan)
    return s;
  }
  if (node.is_string()) return toml_string(node.as_string()->get());
  if (node.is_boolean()) return node.as_boolean()->get() ? "true" : "false";
  if (node.is_date()) {
    const toml::date d = node.as_date()->get();
    return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day);
  }
  if (const toml::array* a = node.as_array()) {
    std::string out = "[";
    for (std::size_t i = 0; i < a->size(); ++i) out += (i ? ", " : "") + toml_value(*a->get(i));
    return out + "]";
  }
  if (const toml::table* t = node.as_table()) {
    // inline tables keep the written order (toml++ sorts keys)
    std::vector<std::pair<toml::source_position, std::string>> items;
    for (auto&& [k, v] : *t) items.push_back({k.source().begin, toml_key(std::string(k.str())) + " = " + toml_value(v)});
    std::sort(items.begin(), items.end(), [](const auto& x, const auto& y) {
      return std::tie(x.first.line, x.first.column) < std::tie(y.first.line, y.first.column);
    });
    std::string out = "{ ";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i].second;
    return out + (items.empty() ? "}" : " }");
  }
  return "\"\"";  // times and date-times do not occur in scenarios
}

}  // namespace dasim::serve
