#include "scenario/toml_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <numeric>
#include <sstream>
#include <tuple>

#include "model/calendar.hpp"

namespace dasim::scenario {

using random::Distribution;

std::string position(const toml::source_region& src, const std::string& fallback) {
  const std::string file = src.path ? *src.path : fallback;
  if (src.begin.line == 0) return file;
  return fmt::format("{}:{}:{}", file, src.begin.line, src.begin.column);
}

std::string read_file(const std::filesystem::path& file) {
  // Only a regular file: a folder, /dev/null, /dev/zero or a pipe is refused by name rather than read.
  std::error_code ec;
  const auto status = std::filesystem::status(file, ec);
  if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status))
    throw LoadError(fmt::format("{}: is not a scenario file ({})", file.string(),
                                std::filesystem::is_directory(status) ? "it is a folder" : "it is a device or pipe"));
  std::ifstream in(file, std::ios::binary);
  if (!in) throw LoadError(fmt::format("{}: cannot open the scenario file: {}", file.string(), std::strerror(errno)));
  // Read one byte past the limit, so that a file that grows while it is read is refused too.
  std::string text(kMaxScenarioBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxScenarioBytes)
    throw LoadError(fmt::format("{}: the file is larger than {} KiB, too large for a scenario", file.string(), kMaxScenarioBytes >> 10));
  return text;
}

toml::table parse(const std::string& text, const std::string& name) {
  if (text.size() > kMaxScenarioBytes)
    throw LoadError(fmt::format("{}: the text is larger than {} KiB, too large for a scenario", name, kMaxScenarioBytes >> 10));
  try {
    return toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    throw LoadError(fmt::format("{}: TOML syntax error: {}", position(e.source(), name), e.description()));
  }
}

void TomlReader::fail(const toml::node& at, const std::string& key, const std::string& what) const {
  throw LoadError(fmt::format("{}: {}: {}", position(at.source(), file_), key, what));
}

void TomlReader::only_keys(const toml::table& t, const std::string& context,
                           std::initializer_list<std::string_view> allowed) const {
  for (auto&& [k, v] : t)
    if (std::find(allowed.begin(), allowed.end(), k.str()) == allowed.end()) {
      std::string list;
      for (auto a : allowed) {
        if (!list.empty()) list += ", ";
        list += std::string(a);
      }
      throw LoadError(fmt::format("{}: {}: unknown key '{}' (expected one of: {})", position(k.source(), file_),
                                  context, k.str(), list));
    }
}

std::vector<std::pair<std::string, const toml::node*>> TomlReader::ordered(const toml::table& t) const {
  std::vector<std::tuple<std::size_t, std::uint32_t, std::uint32_t, std::string, const toml::node*>> entries;
  for (auto&& [k, v] : t) {
    const auto& src = k.source();
    const std::size_t rank = src.path ? std::find(chain_.begin(), chain_.end(), *src.path) - chain_.begin() : chain_.size();
    entries.emplace_back(rank, src.begin.line, src.begin.column, std::string(k.str()), &v);
  }
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return std::tie(std::get<0>(a), std::get<1>(a), std::get<2>(a)) < std::tie(std::get<0>(b), std::get<1>(b), std::get<2>(b));
  });
  std::vector<std::pair<std::string, const toml::node*>> out;
  for (auto& e : entries) out.emplace_back(std::get<3>(e), std::get<4>(e));
  return out;
}

const toml::table& TomlReader::table_at(const toml::node& n, const std::string& key) const {
  if (!n.is_table()) fail(n, key, "must be a table");
  return *n.as_table();
}

const toml::table& TomlReader::required_table(const toml::table& t, std::string_view k, const std::string& context) const {
  const toml::node* n = t.get(k);
  if (!n) fail(t, context, fmt::format("missing required table '{}'", k));
  return table_at(*n, context + "." + std::string(k));
}

const toml::array& TomlReader::array_at(const toml::node& n, const std::string& key) const {
  if (!n.is_array()) fail(n, key, fmt::format("must be an array, got {}", type_name(n)));
  return *n.as_array();
}

double TomlReader::number(const toml::node& n, const std::string& key, double min, double max) const {
  double v = 0;
  if (n.is_integer()) v = static_cast<double>(n.as_integer()->get());
  else if (n.is_floating_point()) v = n.as_floating_point()->get();
  else fail(n, key, fmt::format("must be a number, got {}", type_name(n)));
  if (!std::isfinite(v)) fail(n, key, "must be a finite number, got " + fmt::format("{}", v));
  if (v < min || v > max) fail(n, key, range_text(min, max, v));
  return v;
}

double TomlReader::number(const toml::table& t, std::string_view k, const std::string& ctx, double fallback, double min,
                          double max) const {
  const toml::node* n = t.get(k);
  return n ? number(*n, ctx + "." + std::string(k), min, max) : fallback;
}

double TomlReader::required_number(const toml::table& t, std::string_view k, const std::string& ctx, double min,
                                   double max) const {
  const toml::node* n = t.get(k);
  if (!n) fail(t, ctx, fmt::format("missing required key '{}'", k));
  return number(*n, ctx + "." + std::string(k), min, max);
}

int TomlReader::whole(const toml::table& t, std::string_view k, const std::string& ctx, int fallback, int min,
                      int max) const {
  const toml::node* n = t.get(k);
  if (!n) return fallback;
  const std::string key = ctx + "." + std::string(k);
  const std::string range = max == 1'000'000'000 ? fmt::format("a whole number >= {}", min)
                                                : fmt::format("a whole number from {} to {}", min, max);
  if (!n->is_integer()) fail(*n, key, fmt::format("must be {}, got {}", range, type_name(*n)));
  const auto v = n->as_integer()->get();
  if (v < min || v > max) fail(*n, key, fmt::format("must be {}, got {}", range, v));
  return static_cast<int>(v);
}

void TomlReader::check_name(const toml::node& at, const std::string& key, const std::string& name) const {
  if (name.empty()) fail(at, key, "a name must not be empty");
  if (name.size() > 200) fail(at, key, fmt::format("a name must be at most 200 characters, got {}", name.size()));
  // Control characters (NUL above all) would cut or garble file names and table rows; UTF-8 letters are fine.
  for (const unsigned char c : name)
    if (c < 0x20 || c == 0x7f) fail(at, key, fmt::format("the name has a control character (code {}); use printable characters", int(c)));
}

std::string TomlReader::text(const toml::node& n, const std::string& key) const {
  if (!n.is_string()) fail(n, key, fmt::format("must be a string, got {}", type_name(n)));
  return n.as_string()->get();
}

std::string TomlReader::text(const toml::table& t, std::string_view k, const std::string& ctx,
                             const std::string& fallback) const {
  const toml::node* n = t.get(k);
  return n ? text(*n, ctx + "." + std::string(k)) : fallback;
}

bool TomlReader::flag(const toml::table& t, std::string_view k, const std::string& ctx, bool fallback) const {
  const toml::node* n = t.get(k);
  if (!n) return fallback;
  if (!n->is_boolean()) fail(*n, ctx + "." + std::string(k), fmt::format("must be true or false, got {}", type_name(*n)));
  return n->as_boolean()->get();
}

int TomlReader::index_of(const std::vector<std::string>& names, const toml::node& n, const std::string& key,
                         const std::string& what) const {
  const std::string name = text(n, key);
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) {
    std::string list;
    for (const auto& a : names) {
      if (!list.empty()) list += ", ";
      list += a;
    }
    fail(n, key, fmt::format("unknown {} '{}' (known: {})", what, name, list));
  }
  return static_cast<int>(it - names.begin());
}

long TomlReader::date(const toml::node& n, const std::string& key, const model::Calendar* calendar) const {
  int y = 0, m = 0, d = 0;
  if (n.is_date()) {
    const toml::date dt = n.as_date()->get();
    y = dt.year, m = dt.month, d = dt.day;
  } else if (n.is_string()) {
    char extra;
    if (std::sscanf(n.as_string()->get().c_str(), "%6d-%2d-%2d%c", &y, &m, &d, &extra) != 3)
      fail(n, key, fmt::format("must be a date \"YYYY-MM-DD\", got \"{}\"", n.as_string()->get()));
  } else {
    fail(n, key, fmt::format("must be a date \"YYYY-MM-DD\", got {}", type_name(n)));
  }
  if (!model::valid_civil(y, m, d)) fail(n, key, fmt::format("{:04}-{:02}-{:02} is not a real date", y, m, d));
  if (y < kFirstYear || y > kLastYear)
    fail(n, key, fmt::format("{:04}-{:02}-{:02} is outside the dates dasim supports ({}-01-01 to {}-12-31)", y, m, d,
                             kFirstYear, kLastYear));
  return calendar ? calendar->offset_of(y, m, d) : model::days_from_civil(y, m, d);
}

Distribution TomlReader::distribution(const toml::node& n, const std::string& key) const {
  if (n.is_integer() || n.is_floating_point()) return Distribution::fixed(number(n, key, 0));
  const toml::table& t = table_at(n, key);
  const std::string kind = text(t, "dist", key, "");
  auto need = [&](std::string_view k, double min = 0) { return required_number(t, k, key, min); };
  if (kind == "fixed") {
    only_keys(t, key, {"dist", "value"});
    return Distribution::fixed(need("value"));
  }
  if (kind == "exponential") {
    only_keys(t, key, {"dist", "mean"});
    const double mean = need("mean");
    if (mean <= 0) fail(*t.get("mean"), key + ".mean", "must be > 0");
    return Distribution::exponential(mean);
  }
  if (kind == "lognormal") {
    only_keys(t, key, {"dist", "median", "spread"});
    const double median = need("median");
    if (median <= 0) fail(*t.get("median"), key + ".median", "must be > 0");
    return Distribution::lognormal(median, need("spread", 1));
  }
  if (kind == "gamma") {
    only_keys(t, key, {"dist", "mean", "shape"});
    const double mean = need("mean"), shape = need("shape");
    if (mean <= 0 || shape <= 0) fail(t, key, "gamma needs mean > 0 and shape > 0");
    return Distribution::gamma(mean, shape);
  }
  if (kind == "uniform") {
    only_keys(t, key, {"dist", "min", "max"});
    const double lo = need("min"), hi = need("max");
    if (hi < lo) fail(t, key, fmt::format("max ({:g}) is below min ({:g})", hi, lo));
    return Distribution::uniform(lo, hi);
  }
  if (kind == "triangular") {
    only_keys(t, key, {"dist", "min", "mode", "max"});
    const double lo = need("min"), mode = need("mode"), hi = need("max");
    if (!(lo <= mode && mode <= hi)) fail(t, key, "needs min <= mode <= max");
    return Distribution::triangular(lo, mode, hi);
  }
  if (kind == "empirical") {
    only_keys(t, key, {"dist", "values", "weights"});
    std::vector<double> values, weights;
    const toml::node* vn = t.get("values");
    if (!vn) fail(t, key, "missing required key 'values'");
    for (auto&& v : array_at(*vn, key + ".values")) values.push_back(number(v, key + ".values", 0));
    if (values.empty()) fail(*vn, key + ".values", "must not be empty");
    if (const toml::node* wn = t.get("weights")) {
      for (auto&& w : array_at(*wn, key + ".weights")) weights.push_back(number(w, key + ".weights", 0));
      if (weights.size() != values.size()) fail(*wn, key + ".weights", "must have one weight per value");
      if (std::accumulate(weights.begin(), weights.end(), 0.0) <= 0) fail(*wn, key + ".weights", "must not all be 0");
    }
    return Distribution::empirical(std::move(values), std::move(weights));
  }
  fail(t, key + ".dist",
       fmt::format("unknown distribution '{}' (expected fixed, exponential, lognormal, gamma, uniform, triangular or "
                   "empirical)", kind));
}

std::string TomlReader::type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    default: return "a date or time";
  }
}

std::string TomlReader::range_text(double min, double max, double v) {
  if (max == HUGE_VAL) return fmt::format("must be >= {:.10g}, got {:.10g}", min, v);
  if (min == -HUGE_VAL) return fmt::format("must be <= {:.10g}, got {:.10g}", max, v);
  return fmt::format("must be between {:.10g} and {:.10g}, got {:.10g}", min, max, v);
}

}  // namespace dasim::scenario
