#pragma once
// Typed reading of a parsed TOML tree: every getter checks type and range and, on a fault, throws a LoadError
// that reads "file:line:column: key: problem". Nothing here knows what a scenario is.
#include <cmath>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#define TOML_ENABLE_FORMATTERS 0
// toml++'s own assertions are off in every build, debug included: a scenario file is untrusted input, and a
// malformed one must get a LoadError, not an abort (fuzzing found inputs that trip them). The parser itself is the
// Debian shared library, built without them.
#ifndef TOML_ASSERT
#define TOML_ASSERT(expr) static_assert(true)
#endif
#include <toml++/toml.h>

#include "random/distribution.hpp"
#include "scenario/loader.hpp"

namespace dasim::model {
class Calendar;
}

namespace dasim::scenario {

/// The largest scenario (or sweep) file read: real ones are tens of kilobytes; this stops `/dev/zero`-like input
/// and blown-up files before the parser sees them.
constexpr std::size_t kMaxScenarioBytes = 1 << 20;
/// The longest `extends` chain: real ones are two or three files deep.
constexpr int kMaxExtendsDepth = 16;
/// The span of dates a scenario may use: the calendar counts days from 1970-01-01, and 2199 leaves room for the
/// longest horizon after any sensible start.
constexpr int kFirstYear = 1970, kLastYear = 2199;

/// "file:line:column" of a node, or `fallback` when toml++ does not know where it came from.
std::string position(const toml::source_region& src, const std::string& fallback);
/// A file's whole contents, or a LoadError naming it.
std::string read_file(const std::filesystem::path& file);
/// Parses TOML text, turning a syntax error into a LoadError at its position.
toml::table parse(const std::string& text, const std::string& name);

class TomlReader {
 public:
  /// `file` names messages without a position of their own; `chain` lists the files of an `extends` chain, base
  /// first, so that entries can be put back in the order they were written.
  TomlReader(std::string file, std::vector<std::string> chain) : file_(std::move(file)), chain_(std::move(chain)) {}

  [[noreturn]] void fail(const toml::node& at, const std::string& key, const std::string& what) const;
  /// Rejects any key of `t` not in `allowed`, listing those that are.
  void only_keys(const toml::table& t, const std::string& context, std::initializer_list<std::string_view> allowed) const;
  /// A table's entries in the order they were written (toml++ keeps them sorted by key): base files first.
  std::vector<std::pair<std::string, const toml::node*>> ordered(const toml::table& t) const;
  /// Each entry of a table of named tables ([areas.NAME], [pools.NAME]), in the order written, as
  /// f(name, key, node, table) with key "section.NAME"; an entry that is not a table is an error.
  template <class F>
  void each_named(const toml::table& section, const std::string& section_key, F f) const {
    for (auto&& [name, node] : ordered(section)) {
      const std::string key = section_key + "." + name;
      f(name, key, *node, table_at(*node, key));
    }
  }

  const toml::table& table_at(const toml::node& n, const std::string& key) const;
  const toml::table& required_table(const toml::table& t, std::string_view k, const std::string& context) const;
  const toml::array& array_at(const toml::node& n, const std::string& key) const;
  double number(const toml::node& n, const std::string& key, double min = -HUGE_VAL, double max = HUGE_VAL) const;
  double number(const toml::table& t, std::string_view k, const std::string& ctx, double fallback,
                double min = -HUGE_VAL, double max = HUGE_VAL) const;
  double required_number(const toml::table& t, std::string_view k, const std::string& ctx, double min = -HUGE_VAL,
                         double max = HUGE_VAL) const;
  /// A whole number in [min, max]; the default max keeps every count far inside an int.
  int whole(const toml::table& t, std::string_view k, const std::string& ctx, int fallback, int min,
            int max = 1'000'000'000) const;
  /// A name (of an area, pool, stream, value...) used as a key in results: it must be non-empty and printable.
  void check_name(const toml::node& at, const std::string& key, const std::string& name) const;
  std::string text(const toml::node& n, const std::string& key) const;
  std::string text(const toml::table& t, std::string_view k, const std::string& ctx, const std::string& fallback) const;
  bool flag(const toml::table& t, std::string_view k, const std::string& ctx, bool fallback) const;
  /// The position of `name` in `names`, or a message listing the known ones ("unknown {what} '{name}'").
  int index_of(const std::vector<std::string>& names, const toml::node& n, const std::string& key,
               const std::string& what) const;
  /// A date "YYYY-MM-DD" (or a TOML date) as days from the calendar's start, or from 1970-01-01 without one.
  long date(const toml::node& n, const std::string& key, const model::Calendar* calendar) const;
  /// A bare number (fixed) or a table `{ dist = "...", ... }`.
  random::Distribution distribution(const toml::node& n, const std::string& key) const;

  static std::string type_name(const toml::node& n);
  const std::string& file() const { return file_; }

 private:
  static std::string range_text(double min, double max, double v);
  std::string file_;
  std::vector<std::string> chain_;
};

}  // namespace dasim::scenario
