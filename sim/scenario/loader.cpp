#include "scenario/loader.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <numeric>
#include <cstring>
#include <set>
#include <tuple>
#include <sstream>

#define TOML_ENABLE_FORMATTERS 0
#include <toml++/toml.h>

#include "model/calendar.hpp"

namespace dasim::scenario {

namespace {

using model::Clause;
using model::Condition;
using random::Distribution;

std::string position(const toml::source_region& src, const std::string& fallback) {
  const std::string file = src.path ? *src.path : fallback;
  if (src.begin.line == 0) return file;
  return fmt::format("{}:{}:{}", file, src.begin.line, src.begin.column);
}

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw LoadError(fmt::format("{}: cannot open the scenario file: {}", file.string(), std::strerror(errno)));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

toml::table parse(const std::string& text, const std::string& name) {
  try {
    return toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    throw LoadError(fmt::format("{}: TOML syntax error: {}", position(e.source(), name), e.description()));
  }
}

/// Merges `over` into `base`: tables key by key, anything else replaced; `false` removes a base table.
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

/// Reads the file and every base it extends, merged; `text` collects their verbatim contents.
toml::table read_chain(const std::filesystem::path& file, std::string& text, std::set<std::string>& seen,
                       std::vector<std::string>& chain, const std::string* in_memory = nullptr) {
  const std::string name = file.string();
  if (!seen.insert(std::filesystem::weakly_canonical(file).string()).second)
    throw LoadError(fmt::format("{}: `extends` goes round in a circle back to this file", name));
  const std::string content = in_memory ? *in_memory : read_file(file);
  toml::table table = parse(content, name);
  // Each file of the chain is headed by its name (not its full path, which would carry local folders into results).
  std::string own = fmt::format("# ===== {} =====\n{}", file.filename().string(), content);
  if (toml::node* ext = table.get("extends")) {
    if (!ext->is_string())
      throw LoadError(fmt::format("{}: extends: must be a file name (a string)", position(ext->source(), name)));
    const std::filesystem::path base_file = file.parent_path() / ext->as_string()->get();
    if (!std::filesystem::exists(base_file))
      throw LoadError(fmt::format("{}: extends: no such file '{}'", position(ext->source(), name), base_file.string()));
    table.erase("extends");
    toml::table base = read_chain(base_file, text, seen, chain);
    merge(base, std::move(table));
    text += own;
    chain.push_back(name);
    return base;
  }
  text += own;
  chain.push_back(name);
  return table;
}

/// Walks the merged table, resolving names to indices, with a message naming file, line and key on any fault.
class Builder {
 public:
  Builder(const toml::table& root, std::string file, std::vector<std::string> chain)
      : root_(root), file_(std::move(file)), chain_(std::move(chain)) {}
  model::Scenario build();

 private:
  /// A table's entries in the order they were written (toml++ keeps them sorted by key): base files first.
  std::vector<std::pair<std::string, const toml::node*>> ordered(const toml::table& t) const {
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

  [[noreturn]] void fail(const toml::node& at, const std::string& key, const std::string& what) const {
    throw LoadError(fmt::format("{}: {}: {}", position(at.source(), file_), key, what));
  }
  void only_keys(const toml::table& t, const std::string& context, std::initializer_list<std::string_view> allowed) const {
    for (auto&& [k, v] : t)
      if (std::find(allowed.begin(), allowed.end(), k.str()) == allowed.end()) {
        std::string list;
        for (auto a : allowed) { if (!list.empty()) list += ", "; list += std::string(a); }
        throw LoadError(fmt::format("{}: {}: unknown key '{}' (expected one of: {})", position(k.source(), file_),
                                    context, k.str(), list));
      }
  }
  const toml::table& table_at(const toml::node& n, const std::string& key) const {
    if (!n.is_table()) fail(n, key, "must be a table");
    return *n.as_table();
  }
  const toml::table& required_table(const toml::table& t, std::string_view k, const std::string& context) const {
    const toml::node* n = t.get(k);
    if (!n) fail(t, context, fmt::format("missing required table '{}'", k));
    return table_at(*n, context + "." + std::string(k));
  }
  double number(const toml::node& n, const std::string& key, double min = -HUGE_VAL, double max = HUGE_VAL) const {
    double v;
    if (n.is_integer()) v = static_cast<double>(n.as_integer()->get());
    else if (n.is_floating_point()) v = n.as_floating_point()->get();
    else fail(n, key, fmt::format("must be a number, got {}", type_name(n)));
    if (!std::isfinite(v)) fail(n, key, "must be a finite number, got " + fmt::format("{}", v));
    if (v < min || v > max) fail(n, key, range_text(min, max, v));
    return v;
  }
  double number(const toml::table& t, std::string_view k, const std::string& ctx, double fallback, double min = -HUGE_VAL,
                double max = HUGE_VAL) const {
    const toml::node* n = t.get(k);
    return n ? number(*n, ctx + "." + std::string(k), min, max) : fallback;
  }
  double required_number(const toml::table& t, std::string_view k, const std::string& ctx, double min = -HUGE_VAL,
                         double max = HUGE_VAL) const {
    const toml::node* n = t.get(k);
    if (!n) fail(t, ctx, fmt::format("missing required key '{}'", k));
    return number(*n, ctx + "." + std::string(k), min, max);
  }
  int whole(const toml::table& t, std::string_view k, const std::string& ctx, int fallback, int min) const {
    const toml::node* n = t.get(k);
    if (!n) return fallback;
    const std::string key = ctx + "." + std::string(k);
    if (!n->is_integer()) fail(*n, key, fmt::format("must be a whole number >= {}, got {}", min, type_name(*n)));
    const auto v = n->as_integer()->get();
    if (v < min || v > 1'000'000'000) fail(*n, key, fmt::format("must be a whole number >= {}, got {}", min, v));
    return static_cast<int>(v);
  }
  std::string text(const toml::node& n, const std::string& key) const {
    if (!n.is_string()) fail(n, key, fmt::format("must be a string, got {}", type_name(n)));
    return n.as_string()->get();
  }
  std::string text(const toml::table& t, std::string_view k, const std::string& ctx, const std::string& fallback) const {
    const toml::node* n = t.get(k);
    return n ? text(*n, ctx + "." + std::string(k)) : fallback;
  }
  bool flag(const toml::table& t, std::string_view k, const std::string& ctx, bool fallback) const {
    const toml::node* n = t.get(k);
    if (!n) return fallback;
    if (!n->is_boolean()) fail(*n, ctx + "." + std::string(k), fmt::format("must be true or false, got {}", type_name(*n)));
    return n->as_boolean()->get();
  }
  const toml::array& array_at(const toml::node& n, const std::string& key) const {
    if (!n.is_array()) fail(n, key, fmt::format("must be an array, got {}", type_name(n)));
    return *n.as_array();
  }
  static std::string type_name(const toml::node& n) {
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
  static std::string range_text(double min, double max, double v) {
    if (max == HUGE_VAL) return fmt::format("must be >= {:.10g}, got {:.10g}", min, v);
    if (min == -HUGE_VAL) return fmt::format("must be <= {:.10g}, got {:.10g}", max, v);
    return fmt::format("must be between {:.10g} and {:.10g}, got {:.10g}", min, max, v);
  }

  long date(const toml::node& n, const std::string& key) const;
  Distribution distribution(const toml::node& n, const std::string& key) const;
  int index_of(const std::vector<std::string>& names, const toml::node& n, const std::string& key,
               const std::string& what) const;
  int service(const toml::node& n, const std::string& key);
  /// The index of a service, registering it on first use (`where` is kept for a message if no pool serves it).
  int service(const std::string& name, const toml::node& where);
  int value_of(int attribute, const toml::node& n, const std::string& key) const;
  Condition condition(const toml::node& n, const std::string& key) const;
  std::vector<std::pair<int, int>> assignments(const toml::node& n, const std::string& key) const;
  std::vector<model::Route> routes(const toml::table& t, std::string_view k, const std::string& ctx);
  std::array<double, model::kSupportResults> by_result(const toml::table& t, std::string_view k, const std::string& ctx,
                                                       double fallback, double max) const;

  void read_simulation();
  void read_areas();
  void read_attributes();
  void read_arrivals();
  void read_pools();
  void read_contracts();
  void read_outcomes();
  void read_repeat_and_relocation();
  void resolve_services();

  const toml::table& root_;
  std::string file_;
  std::vector<std::string> chain_;
  model::Scenario s_;
  std::unique_ptr<model::Calendar> calendar_;
  std::vector<const toml::node*> service_first_use_;
};

long Builder::date(const toml::node& n, const std::string& key) const {
  int y, m, d;
  if (n.is_date()) {
    const toml::date dt = n.as_date()->get();
    y = dt.year, m = dt.month, d = dt.day;
  } else if (n.is_string()) {
    char extra;
    if (std::sscanf(n.as_string()->get().c_str(), "%d-%d-%d%c", &y, &m, &d, &extra) != 3)
      fail(n, key, fmt::format("must be a date \"YYYY-MM-DD\", got \"{}\"", n.as_string()->get()));
  } else {
    fail(n, key, fmt::format("must be a date \"YYYY-MM-DD\", got {}", type_name(n)));
  }
  if (!model::valid_civil(y, m, d)) fail(n, key, fmt::format("{:04}-{:02}-{:02} is not a real date", y, m, d));
  return calendar_ ? calendar_->offset_of(y, m, d) : model::days_from_civil(y, m, d);
}

Distribution Builder::distribution(const toml::node& n, const std::string& key) const {
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

int Builder::index_of(const std::vector<std::string>& names, const toml::node& n, const std::string& key,
                      const std::string& what) const {
  const std::string name = text(n, key);
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) {
    std::string list;
    for (const auto& a : names) { if (!list.empty()) list += ", "; list += a; }
    fail(n, key, fmt::format("unknown {} '{}' (known: {})", what, name, list));
  }
  return static_cast<int>(it - names.begin());
}

int Builder::service(const toml::node& n, const std::string& key) { return service(text(n, key), n); }

int Builder::service(const std::string& name, const toml::node& where) {
  if (name == "exit")
    throw LoadError(fmt::format("{}: 'exit' ends a case in a route; it cannot be used as a service here",
                                position(where.source(), file_)));
  auto it = std::find(s_.services.begin(), s_.services.end(), name);
  if (it != s_.services.end()) return static_cast<int>(it - s_.services.begin());
  s_.services.push_back(name);
  service_first_use_.push_back(&where);
  return static_cast<int>(s_.services.size()) - 1;
}

int Builder::value_of(int attribute, const toml::node& n, const std::string& key) const {
  if (attribute == model::kArea) {
    std::vector<std::string> names;
    for (const auto& a : s_.areas) names.push_back(a.name);
    return index_of(names, n, key, "area");
  }
  if (attribute == model::kSource) return index_of(s_.sources, n, key, "source");
  const model::AttributeSpec& a = *s_.attribute(attribute);
  if (a.kind == model::AttributeKind::flag) {
    if (!n.is_boolean()) fail(n, key, fmt::format("'{}' is a flag: use true or false", a.name));
    return n.as_boolean()->get() ? 1 : 0;
  }
  if (a.kind == model::AttributeKind::count) return static_cast<int>(number(n, key, 0, a.max_count));
  return index_of(a.values, n, key, fmt::format("value of '{}'", a.name));
}

Condition Builder::condition(const toml::node& n, const std::string& key) const {
  Condition c;
  for (auto&& [k, v] : table_at(n, key)) {
    const std::string sub = key + "." + std::string(k.str());
    Clause clause;
    clause.attribute = s_.attribute_index(std::string(k.str()));
    if (clause.attribute < 0) fail(v, sub, fmt::format("unknown attribute '{}'", k.str()));
    const model::AttributeSpec* a = s_.attribute(clause.attribute);
    if (a && a->kind == model::AttributeKind::count) {
      if (v.is_table()) {
        only_keys(*v.as_table(), sub, {"min", "max"});
        clause.min = static_cast<int>(number(*v.as_table(), "min", sub, 0, 0));
        clause.max = static_cast<int>(number(*v.as_table(), "max", sub, 1e9, 0));
      } else {
        clause.min = clause.max = value_of(clause.attribute, v, sub);
      }
    } else {
      clause.allowed_mask = 0;
      if (v.is_array()) {
        for (auto&& item : *v.as_array()) clause.allowed_mask |= 1ULL << value_of(clause.attribute, item, sub);
      } else {
        clause.allowed_mask = 1ULL << value_of(clause.attribute, v, sub);
      }
    }
    c.clauses.push_back(clause);
  }
  return c;
}

std::vector<std::pair<int, int>> Builder::assignments(const toml::node& n, const std::string& key) const {
  std::vector<std::pair<int, int>> out;
  for (auto&& [k, v] : table_at(n, key)) {
    const std::string sub = key + "." + std::string(k.str());
    const int attribute = s_.attribute_index(std::string(k.str()));
    if (attribute < model::kFirstDrawnAttribute) fail(v, sub, fmt::format("unknown attribute '{}'", k.str()));
    out.emplace_back(attribute, value_of(attribute, v, sub));
  }
  return out;
}

std::vector<model::Route> Builder::routes(const toml::table& t, std::string_view k, const std::string& ctx) {
  std::vector<model::Route> out;
  const toml::node* n = t.get(k);
  if (!n) return out;
  const std::string key = ctx + "." + std::string(k);
  for (auto&& item : array_at(*n, key)) {
    const std::string sub = fmt::format("{}[{}]", key, out.size());
    const toml::table& r = table_at(item, sub);
    only_keys(r, sub, {"to", "when", "p", "delay"});
    model::Route route;
    const toml::node* to = r.get("to");
    if (!to) fail(r, sub, "missing required key 'to'");
    if (to->is_table()) {
      double total = 0;
      for (auto&& [name, weight] : *to->as_table()) {
        route.to.push_back(name.str() == "exit" ? model::kExit : service(std::string(name.str()), weight));
        total += number(weight, sub + ".to." + std::string(name.str()), 0);
        route.weights.push_back(total);
      }
      if (route.to.empty() || total <= 0) fail(*to, sub + ".to", "needs at least one service with a positive weight");
      for (double& w : route.weights) w /= total;
    } else {
      route.to.push_back(to->is_string() && to->as_string()->get() == "exit" ? model::kExit : service(*to, sub + ".to"));
      route.weights.push_back(1.0);
    }
    if (const toml::node* w = r.get("when")) route.when = condition(*w, sub + ".when");
    route.p = number(r, "p", sub, 1.0, 0, 1);
    if (const toml::node* d = r.get("delay")) route.delay = distribution(*d, sub + ".delay");
    out.push_back(std::move(route));
  }
  return out;
}

std::array<double, model::kSupportResults> Builder::by_result(const toml::table& t, std::string_view k,
                                                              const std::string& ctx, double fallback,
                                                              double max) const {
  std::array<double, model::kSupportResults> out;
  out.fill(fallback);
  const toml::node* n = t.get(k);
  if (!n) return out;
  const std::string key = ctx + "." + std::string(k);
  const toml::table& table = table_at(*n, key);
  only_keys(table, key, {"completed", "disengaged", "declined", "none"});
  out[0] = number(table, "completed", key, fallback, 0, max);
  out[1] = number(table, "disengaged", key, fallback, 0, max);
  out[2] = number(table, "declined", key, fallback, 0, max);
  out[3] = number(table, "none", key, fallback, 0, max);
  return out;
}

void Builder::read_simulation() {
  if (const toml::node* n = root_.get("scenario")) {
    const toml::table& t = table_at(*n, "scenario");
    only_keys(t, "scenario", {"name", "description"});
    s_.name = text(t, "name", "scenario", s_.name);
    s_.description = text(t, "description", "scenario", "");
  }
  if (s_.name.empty() || s_.name.find_first_of("/\\\n") != std::string::npos)
    fail(root_, "scenario.name", "must be a non-empty name without slashes");
  model::SimulationSpec& sim = s_.simulation;
  if (const toml::node* n = root_.get("simulation")) {
    const toml::table& t = table_at(*n, "simulation");
    only_keys(t, "simulation", {"start_date", "years", "warmup_years"});
    if (const toml::node* d = t.get("start_date")) {
      const long day = date(*d, "simulation.start_date");
      // back from days to a civil date: walk from the epoch (dates are validated above)
      int y = 1970 + static_cast<int>(day / 366);
      while (model::days_from_civil(y + 1, 1, 1) <= day) ++y;
      int m = 1;
      while (m < 12 && model::days_from_civil(y, m + 1, 1) <= day) ++m;
      sim.start_year = y, sim.start_month = m, sim.start_day = static_cast<int>(day - model::days_from_civil(y, m, 1)) + 1;
    }
    sim.years = number(t, "years", "simulation", 1.0, 1.0 / 365.25, 200);
    sim.warmup_days = number(t, "warmup_years", "simulation", 0.0, 0, 100) * model::kDaysPerYear;
    if (sim.warmup_days >= sim.horizon_days())
      fail(*t.get("warmup_years"), "simulation.warmup_years", "must be shorter than simulation.years");
  }
  calendar_ = std::make_unique<model::Calendar>(sim);
}

void Builder::read_areas() {
  const toml::table& areas = required_table(root_, "areas", "scenario");
  for (auto&& [name, node] : ordered(areas)) {
    const toml::node& v = *node;
    const std::string key = "areas." + name;
    const toml::table& t = table_at(v, key);
    only_keys(t, key, {"population", "adult_females"});
    s_.areas.push_back({name, number(t, "population", key, 0, 0), number(t, "adult_females", key, 0, 0)});
  }
  if (s_.areas.empty()) fail(areas, "areas", "at least one area is needed");
}

void Builder::read_attributes() {
  const toml::node* n = root_.get("attributes");
  if (!n) return;
  for (auto&& [attribute_name, node] : ordered(table_at(*n, "attributes"))) {
    const toml::node& v = *node;
    const std::string key = "attributes." + attribute_name;
    const toml::table& t = table_at(v, key);
    only_keys(t, key, {"values", "weights", "p", "mean", "max", "by", "when"});
    if (s_.attributes.size() + model::kFirstDrawnAttribute >= model::kMaxAttributes)
      fail(v, key, fmt::format("at most {} attributes are supported", model::kMaxAttributes - model::kFirstDrawnAttribute));
    if (attribute_name == "area" || attribute_name == "source") fail(v, key, "'area' and 'source' are built in");
    model::AttributeSpec a;
    a.name = attribute_name;
    // The rows of a `by` attribute: one per value of the attribute it depends on.
    std::vector<std::string> rows{""};
    if (const toml::node* by = t.get("by")) {
      a.by = s_.attribute_index(text(*by, key + ".by"));
      if (a.by < 0) fail(*by, key + ".by", "must name an attribute defined above this one (or area, source)");
      const model::AttributeSpec* parent = s_.attribute(a.by);
      if (a.by == model::kArea) { rows.clear(); for (const auto& ar : s_.areas) rows.push_back(ar.name); }
      else if (a.by == model::kSource) rows = s_.sources;
      else if (parent->kind == model::AttributeKind::count) fail(*by, key + ".by", "cannot depend on a count");
      else rows = parent->values;
    }
    // Reads a per-row parameter: a bare value, or a table keyed by the `by` attribute's values.
    auto per_row = [&](const toml::node& p, const std::string& pk, auto read_one) {
      using T = decltype(read_one(p, pk));
      std::vector<T> out;
      if (a.by < 0 || !p.is_table()) return std::vector<T>{read_one(p, pk)};
      const toml::table& pt = *p.as_table();
      for (auto&& [rk, rv] : pt)
        if (std::find(rows.begin(), rows.end(), rk.str()) == rows.end())
          fail(rv, pk + "." + std::string(rk.str()), fmt::format("'{}' is not a value of the `by` attribute", rk.str()));
      for (const auto& row : rows) {
        const toml::node* rv = pt.get(row);
        if (!rv) fail(p, pk, fmt::format("missing a value for '{}'", row));
        out.push_back(read_one(*rv, pk + "." + row));
      }
      return out;
    };
    if (const toml::node* values = t.get("values")) {
      a.kind = model::AttributeKind::categorical;
      for (auto&& item : array_at(*values, key + ".values")) a.values.push_back(text(item, key + ".values"));
      if (a.values.empty() || a.values.size() > 64) fail(*values, key + ".values", "needs 1 to 64 values");
      const toml::node* w = t.get("weights");
      if (!w) fail(t, key, "a categorical attribute needs `weights`");
      a.weights = per_row(*w, key + ".weights", [&](const toml::node& wn, const std::string& wk) {
        std::vector<double> ws;
        for (auto&& x : array_at(wn, wk)) ws.push_back(number(x, wk, 0));
        const double total = std::accumulate(ws.begin(), ws.end(), 0.0);
        if (ws.size() != a.values.size()) fail(wn, wk, fmt::format("needs {} weights, one per value", a.values.size()));
        if (total <= 0) fail(wn, wk, "weights must not all be 0");
        for (double& x : ws) x /= total;
        return ws;
      });
    } else if (const toml::node* p = t.get("p")) {
      a.kind = model::AttributeKind::flag;
      a.values = {"false", "true"};
      a.weights = per_row(*p, key + ".p", [&](const toml::node& pn, const std::string& pk) {
        const double q = number(pn, pk, 0, 1);
        return std::vector<double>{1 - q, q};
      });
    } else if (const toml::node* mean = t.get("mean")) {
      a.kind = model::AttributeKind::count;
      a.max_count = whole(t, "max", key, 20, 0);
      a.means = per_row(*mean, key + ".mean", [&](const toml::node& mn, const std::string& mk) { return number(mn, mk, 0, 1000); });
    } else {
      fail(v, key, "needs `values` and `weights` (categorical), `p` (flag) or `mean` (count)");
    }
    s_.attributes.push_back(std::move(a));
    if (const toml::node* when = t.get("when")) s_.attributes.back().when = condition(*when, key + ".when");
  }
}

void Builder::read_arrivals() {
  const toml::node* n = root_.get("arrivals");
  if (!n) fail(root_, "arrivals", "missing: at least one [[arrivals]] stream is needed");
  const toml::array& list = array_at(*n, "arrivals");
  for (auto&& item : list) {
    const toml::table& t = table_at(item, "arrivals");
    const std::string src = text(t, "source", "arrivals", "referral");
    if (std::find(s_.sources.begin(), s_.sources.end(), src) == s_.sources.end()) s_.sources.push_back(src);
  }
  std::set<std::string> names;
  std::vector<std::string> area_names;
  for (const auto& a : s_.areas) area_names.push_back(a.name);
  for (auto&& item : list) {
    const std::string key = fmt::format("arrivals[{}]", s_.arrivals.size());
    const toml::table& t = table_at(item, key);
    only_keys(t, key, {"name", "area", "source", "rate_per_year", "seasonal", "trend_per_year", "dated", "to", "set"});
    model::ArrivalSpec a;
    const toml::node* name = t.get("name");
    if (!name) fail(t, key, "missing required key 'name'");
    a.name = text(*name, key + ".name");
    if (!names.insert(a.name).second) fail(*name, key + ".name", fmt::format("'{}' is used by another stream", a.name));
    const std::string ctx = "arrivals." + a.name;
    const toml::node* area = t.get("area");
    if (!area) fail(t, ctx, "missing required key 'area'");
    a.area = index_of(area_names, *area, ctx + ".area", "area");
    const std::string source = text(t, "source", ctx, "referral");
    a.source = static_cast<int>(std::find(s_.sources.begin(), s_.sources.end(), source) - s_.sources.begin());
    a.rate_per_year = required_number(t, "rate_per_year", ctx, 0, 1e8);
    if (const toml::node* season = t.get("seasonal")) {
      const toml::array& arr = array_at(*season, ctx + ".seasonal");
      if (arr.size() != 12) fail(*season, ctx + ".seasonal", fmt::format("needs 12 monthly factors, got {}", arr.size()));
      for (std::size_t i = 0; i < 12; ++i) a.seasonal[i] = number(*arr.get(i), ctx + ".seasonal", 0);
    }
    a.trend_per_year = number(t, "trend_per_year", ctx, 0.0, -0.99, 10);
    if (const toml::node* dated = t.get("dated")) {
      for (auto&& d : array_at(*dated, ctx + ".dated")) {
        const toml::table& dt = table_at(d, ctx + ".dated");
        only_keys(dt, ctx + ".dated", {"from", "to", "factor", "yearly"});
        model::DatedFactor f;
        if (!dt.get("from") || !dt.get("to")) fail(dt, ctx + ".dated", "needs `from` and `to` dates");
        f.first_day = static_cast<int>(date(*dt.get("from"), ctx + ".dated.from"));
        f.last_day = static_cast<int>(date(*dt.get("to"), ctx + ".dated.to"));
        if (f.last_day < f.first_day) fail(*dt.get("to"), ctx + ".dated.to", "is before `from`");
        f.factor = required_number(dt, "factor", ctx + ".dated", 0);
        f.yearly = flag(dt, "yearly", ctx + ".dated", false);
        a.dated.push_back(f);
      }
    }
    const toml::node* to = t.get("to");
    if (!to) fail(t, ctx, "missing required key 'to' (the service referrals enter)");
    a.service = service(*to, ctx + ".to");
    if (const toml::node* set = t.get("set")) a.fixed_attributes = assignments(*set, ctx + ".set");
    s_.arrivals.push_back(std::move(a));
  }
}

void Builder::read_pools() {
  const toml::table& pools = required_table(root_, "pools", "scenario");
  std::vector<std::string> area_names;
  for (const auto& a : s_.areas) area_names.push_back(a.name);
  for (auto&& [pool_name, node] : ordered(pools)) {
    const toml::node& v = *node;
    const std::string key = "pools." + pool_name;
    const toml::table& t = table_at(v, key);
    only_keys(t, key, {"service", "areas", "kind", "workers", "cases_per_worker", "duration", "move_on", "patience",
                       "when_full", "max_queue", "eligible", "priority", "target_days", "target_working_days", "open", "capacity_changes",
                       "support", "on_complete_set", "group_min", "group_max", "schedule", "dropout", "first_sitting",
                       "every_days", "cases_per_sitting", "next", "also", "on_decline", "on_disengage"});
    model::PoolSpec p;
    p.name = pool_name;
    const std::string kind = text(t, "kind", key, "caseload");
    if (kind == "caseload") p.kind = model::PoolKind::caseload;
    else if (kind == "beds") p.kind = model::PoolKind::beds;
    else if (kind == "group") p.kind = model::PoolKind::group;
    else if (kind == "meeting") p.kind = model::PoolKind::meeting;
    else fail(*t.get("kind"), key + ".kind", fmt::format("unknown kind '{}' (expected caseload, beds, group or meeting)", kind));
    p.service = t.get("service") ? service(*t.get("service"), key + ".service") : service(p.name, v);
    p.serves_area.assign(s_.areas.size(), !t.get("areas"));
    if (const toml::node* areas = t.get("areas"))
      for (auto&& a : array_at(*areas, key + ".areas")) p.serves_area[index_of(area_names, a, key + ".areas", "area")] = true;
    p.workers = whole(t, "workers", key, 1, 1);
    p.cases_per_worker = whole(t, "cases_per_worker", key, 1, 1);
    if (static_cast<long long>(p.workers) * p.cases_per_worker > 100'000'000)
      fail(v, key, fmt::format("workers × cases_per_worker = {} places is beyond what dasim can hold (at most 100,000,000)",
                               static_cast<long long>(p.workers) * p.cases_per_worker));
    if (p.kind != model::PoolKind::caseload && t.get("cases_per_worker"))
      fail(*t.get("cases_per_worker"), key + ".cases_per_worker", "applies to caseload pools only");
    if (const toml::node* d = t.get("duration")) p.duration = distribution(*d, key + ".duration");
    else if (p.kind != model::PoolKind::meeting) fail(t, key, "missing required key 'duration'");
    if (const toml::node* d = t.get("move_on")) p.move_on = distribution(*d, key + ".move_on");
    if (const toml::node* d = t.get("patience")) p.patience = distribution(*d, key + ".patience");
    const std::string full = text(t, "when_full", key, "queue");
    if (full != "queue" && full != "decline") fail(*t.get("when_full"), key + ".when_full", "must be \"queue\" or \"decline\"");
    p.decline_when_full = full == "decline";
    if (t.get("max_queue")) p.max_queue = whole(t, "max_queue", key, 0, 0);
    if (const toml::node* e = t.get("eligible")) p.eligible = condition(*e, key + ".eligible");
    if (const toml::node* pr = t.get("priority")) {
      const toml::table& pt = table_at(*pr, key + ".priority");
      only_keys(pt, key + ".priority", {"attribute", "order"});
      if (!pt.get("attribute") || !pt.get("order")) fail(pt, key + ".priority", "needs `attribute` and `order`");
      p.priority_attribute = s_.attribute_index(text(*pt.get("attribute"), key + ".priority.attribute"));
      if (p.priority_attribute < 0) fail(*pt.get("attribute"), key + ".priority.attribute", "unknown attribute");
      const model::AttributeSpec* a = s_.attribute(p.priority_attribute);
      const std::size_t levels = a ? a->values.size() : p.priority_attribute == model::kArea ? s_.areas.size() : s_.sources.size();
      if (a && a->kind == model::AttributeKind::count) fail(*pt.get("attribute"), key + ".priority.attribute", "cannot be a count");
      p.priority_rank.assign(levels, -1);
      int rank = 0;
      for (auto&& item : array_at(*pt.get("order"), key + ".priority.order"))
        p.priority_rank[value_of(p.priority_attribute, item, key + ".priority.order")] = rank++;
      for (int& r : p.priority_rank)
        if (r < 0) r = rank;  // values not listed come last, FIFO among themselves
      if (rank == 0) fail(*pt.get("order"), key + ".priority.order", "must list at least one value");
    }
    p.target_days = number(t, "target_days", key, 1.0, 0);
    if (const toml::node* w = t.get("target_working_days")) {
      if (t.get("target_days")) fail(*w, key + ".target_working_days", "give `target_days` or `target_working_days`, not both");
      p.target_days = number(*w, key + ".target_working_days", 0);
      p.target_working_days = true;
    }
    if (const toml::node* o = t.get("open")) {
      const toml::table& ot = table_at(*o, key + ".open");
      only_keys(ot, key + ".open", {"days", "from", "to"});
      p.open.always = false;
      if (const toml::node* days = ot.get("days")) {
        static const std::vector<std::string> kDays{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
        p.open.days = 0;
        for (auto&& d : array_at(*days, key + ".open.days")) p.open.days |= 1 << index_of(kDays, d, key + ".open.days", "day");
        if (!p.open.days) fail(*days, key + ".open.days", "must list at least one day");
      }
      p.open.from_hour = number(ot, "from", key + ".open", 0, 0, 24);
      p.open.to_hour = number(ot, "to", key + ".open", 24, 0, 24);
      if (p.open.to_hour <= p.open.from_hour) fail(ot, key + ".open", "`to` must be after `from`");
    }
    if (const toml::node* changes = t.get("capacity_changes")) {
      double previous = -1;
      for (auto&& c : array_at(*changes, key + ".capacity_changes")) {
        const toml::table& ct = table_at(c, key + ".capacity_changes");
        only_keys(ct, key + ".capacity_changes", {"date", "workers"});
        if (!ct.get("date")) fail(ct, key + ".capacity_changes", "needs `date`");
        model::CapacityChange change{static_cast<double>(date(*ct.get("date"), key + ".capacity_changes.date")),
                                     whole(ct, "workers", key + ".capacity_changes", -1, 0)};
        if (change.workers < 0) fail(ct, key + ".capacity_changes", "needs `workers`");
        if (change.day < 0 || change.day <= previous)
          fail(*ct.get("date"), key + ".capacity_changes.date", "dates must be after the start date and in order");
        previous = change.day;
        p.capacity_changes.push_back(change);
      }
    }
    p.support = flag(t, "support", key, p.kind != model::PoolKind::meeting);
    if (const toml::node* set = t.get("on_complete_set")) p.on_complete_set = assignments(*set, key + ".on_complete_set");
    p.group_min = whole(t, "group_min", key, 1, 1);
    p.group_max = whole(t, "group_max", key, p.group_min, 1);
    if (p.group_max < p.group_min) fail(*t.get("group_max"), key + ".group_max", "must be >= group_min");
    if (const toml::node* sch = t.get("schedule")) {
      const toml::table& st = table_at(*sch, key + ".schedule");
      only_keys(st, key + ".schedule", {"first", "every_days"});
      p.schedule_first = st.get("first") ? static_cast<double>(date(*st.get("first"), key + ".schedule.first")) : 0.0;
      p.schedule_every = required_number(st, "every_days", key + ".schedule", 1e-6);
    }
    p.dropout = number(t, "dropout", key, 0, 0, 1);
    p.meeting_first = t.get("first_sitting") ? static_cast<double>(date(*t.get("first_sitting"), key + ".first_sitting")) : 0.0;
    if (p.meeting_first < 0) fail(*t.get("first_sitting"), key + ".first_sitting", "must not be before the start date");
    p.meeting_interval = number(t, "every_days", key, 14, 1e-6);
    if (t.get("cases_per_sitting")) p.cases_per_sitting = whole(t, "cases_per_sitting", key, 1, 1);
    p.next = routes(t, "next", key);
    p.also = routes(t, "also", key);
    p.on_decline = routes(t, "on_decline", key);
    p.on_disengage = routes(t, "on_disengage", key);
    s_.pools.push_back(std::move(p));
  }
  if (s_.pools.empty()) fail(pools, "pools", "at least one pool is needed");
}

void Builder::read_contracts() {
  const toml::node* n = root_.get("contracts");
  if (!n) return;
  std::set<std::string> names;
  std::vector<std::string> pool_names;
  for (const auto& p : s_.pools) pool_names.push_back(p.name);
  std::vector<int> owner(s_.pools.size(), -1);
  for (auto&& item : array_at(*n, "contracts")) {
    const std::string key = fmt::format("contracts[{}]", s_.contracts.size());
    const toml::table& t = table_at(item, key);
    only_keys(t, key, {"name", "pools", "annual_value", "funders", "efficiency", "savings", "reinvest_in", "cost_per_worker"});
    model::ContractSpec c;
    if (!t.get("name")) fail(t, key, "missing required key 'name'");
    c.name = text(*t.get("name"), key + ".name");
    if (!names.insert(c.name).second) fail(*t.get("name"), key + ".name", "is used by another contract");
    const std::string ctx = "contracts." + c.name;
    if (const toml::node* pools = t.get("pools"))
      for (auto&& p : array_at(*pools, ctx + ".pools")) {
        const int index = index_of(pool_names, p, ctx + ".pools", "pool");
        if (owner[index] >= 0)
          fail(p, ctx + ".pools", fmt::format("pool '{}' is already bought by contract '{}'", pool_names[index],
                                              s_.contracts[owner[index]].name));
        owner[index] = static_cast<int>(s_.contracts.size());
        c.pools.push_back(index);
      }
    c.annual_value = required_number(t, "annual_value", ctx, 0);
    c.efficiency = number(t, "efficiency", ctx, 0, 0, 1);
    const toml::node* funders = t.get("funders");
    if (!funders) fail(t, ctx, "missing required key 'funders'");
    double total = 0;
    for (auto&& [f, fnode] : ordered(table_at(*funders, ctx + ".funders"))) {
      const toml::node& fv = *fnode;
      auto it = std::find(s_.funders.begin(), s_.funders.end(), f);
      if (it == s_.funders.end()) s_.funders.push_back(f), it = s_.funders.end() - 1;
      const std::size_t index = it - s_.funders.begin();
      c.funder_share.resize(std::max(c.funder_share.size(), index + 1), 0.0);
      c.funder_share[index] = number(fv, ctx + ".funders." + f, 0, 1);
      total += c.funder_share[index];
    }
    if (std::abs(total - 1) > 1e-6) fail(*funders, ctx + ".funders", fmt::format("shares must sum to 1, got {:g}", total));
    const std::string savings = text(t, "savings", ctx, "banked");
    if (savings != "banked" && savings != "reinvested")
      fail(*t.get("savings"), ctx + ".savings", "must be \"banked\" or \"reinvested\"");
    c.reinvested = savings == "reinvested";
    if (c.reinvested) {
      if (!t.get("reinvest_in")) fail(t, ctx, "savings = \"reinvested\" needs `reinvest_in` (a pool)");
      c.reinvest_pool = index_of(pool_names, *t.get("reinvest_in"), ctx + ".reinvest_in", "pool");
      c.cost_per_worker = required_number(t, "cost_per_worker", ctx, 1e-9);
      // The saving buys whole workers; what is left over of it is banked.
      c.extra_workers = static_cast<int>(std::floor(c.annual_value * c.efficiency / c.cost_per_worker));
      s_.pools[c.reinvest_pool].workers += c.extra_workers;
    }
    s_.contracts.push_back(std::move(c));
  }
  for (auto& c : s_.contracts) c.funder_share.resize(s_.funders.size(), 0.0);
}

void Builder::read_outcomes() {
  const toml::node* n = root_.get("outcomes");
  if (!n) return;
  for (auto&& [outcome_name, node] : ordered(table_at(*n, "outcomes"))) {
    const toml::node& v = *node;
    const std::string key = "outcomes." + outcome_name;
    const toml::table& t = table_at(v, key);
    only_keys(t, key, {"payer", "cashable", "initial_cost", "annual_cost", "years", "probability", "effect",
                       "wait_penalty", "per_child", "when"});
    model::OutcomeSpec o;
    o.name = outcome_name;
    const std::string payer = text(t, "payer", key, "society");
    auto it = std::find(s_.payers.begin(), s_.payers.end(), payer);
    if (it == s_.payers.end()) s_.payers.push_back(payer), it = s_.payers.end() - 1;
    o.payer = static_cast<int>(it - s_.payers.begin());
    o.cashable = flag(t, "cashable", key, true);
    o.initial_cost = number(t, "initial_cost", key, 0, 0);
    o.annual_cost = number(t, "annual_cost", key, 0, 0);
    o.years = number(t, "years", key, 0, 0);
    o.probability = required_number(t, "probability", key, 0, 1);
    o.effect = by_result(t, "effect", key, 1.0, 100);
    o.wait_penalty = number(t, "wait_penalty", key, 0, 0);
    o.per_child = flag(t, "per_child", key, false);
    if (o.per_child && s_.attribute_index("children") < 0)
      fail(*t.get("per_child"), key + ".per_child", "needs an attribute called 'children'");
    if (const toml::node* w = t.get("when")) o.when = condition(*w, key + ".when");
    s_.outcomes.push_back(std::move(o));
  }
}

void Builder::read_repeat_and_relocation() {
  if (const toml::node* n = root_.get("repeat")) {
    const toml::table& t = table_at(*n, "repeat");
    only_keys(t, "repeat", {"annual_hazard", "modifiers", "to", "set"});
    s_.repeat.enabled = true;
    s_.repeat.annual_hazard = by_result(t, "annual_hazard", "repeat", 0.0, 100);
    if (const toml::node* mods = t.get("modifiers"))
      for (auto&& m : array_at(*mods, "repeat.modifiers")) {
        const toml::table& mt = table_at(m, "repeat.modifiers");
        only_keys(mt, "repeat.modifiers", {"when", "factor"});
        if (!mt.get("when")) fail(mt, "repeat.modifiers", "needs `when`");
        s_.repeat.modifiers.emplace_back(condition(*mt.get("when"), "repeat.modifiers.when"),
                                         required_number(mt, "factor", "repeat.modifiers", 0));
      }
    if (!t.get("to")) fail(t, "repeat", "missing required key 'to' (the service repeat referrals enter)");
    s_.repeat.service = service(*t.get("to"), "repeat.to");
    if (const toml::node* set = t.get("set")) s_.repeat.set = assignments(*set, "repeat.set");
  }
  if (const toml::node* n = root_.get("relocation")) {
    const toml::table& t = table_at(*n, "relocation");
    only_keys(t, "relocation", {"front_door", "probability", "retriage_delay", "retriage_dropout"});
    s_.relocation.enabled = true;
    if (!t.get("front_door")) fail(t, "relocation", "missing required key 'front_door'");
    s_.relocation.front_door = service(*t.get("front_door"), "relocation.front_door");
    s_.relocation.probability = required_number(t, "probability", "relocation", 0, 1);
    if (const toml::node* d = t.get("retriage_delay")) s_.relocation.retriage_delay = distribution(*d, "relocation.retriage_delay");
    s_.relocation.retriage_dropout = number(t, "retriage_dropout", "relocation", 0, 0, 1);
    if (s_.areas.size() < 2) s_.relocation.enabled = false;  // nowhere to move to
  }
}

void Builder::resolve_services() {
  s_.service_pool.assign(s_.services.size(), std::vector<int>(s_.areas.size(), -1));
  for (std::size_t p = 0; p < s_.pools.size(); ++p)
    for (std::size_t a = 0; a < s_.areas.size(); ++a) {
      if (!s_.pools[p].serves_area[a]) continue;
      int& slot = s_.service_pool[s_.pools[p].service][a];
      const toml::node& at = *root_["pools"][s_.pools[p].name].node();
      if (slot >= 0)
        fail(at, "pools." + s_.pools[p].name,
             fmt::format("area '{}' is already served for service '{}' by pool '{}'", s_.areas[a].name,
                         s_.services[s_.pools[p].service], s_.pools[slot].name));
      slot = static_cast<int>(p);
    }
  for (std::size_t sv = 0; sv < s_.services.size(); ++sv)
    for (std::size_t a = 0; a < s_.areas.size(); ++a)
      if (s_.service_pool[sv][a] < 0)
        fail(*service_first_use_[sv], "service " + s_.services[sv],
             fmt::format("no pool serves area '{}' for service '{}' (each service needs a pool for every area)",
                         s_.areas[a].name, s_.services[sv]));
}

model::Scenario Builder::build() {
  only_keys(root_, "top level", {"scenario", "simulation", "areas", "attributes", "arrivals", "pools", "contracts",
                                  "outcomes", "repeat", "relocation"});
  s_.name = std::filesystem::path(file_).stem().string();
  read_simulation();
  read_areas();
  // Sources are known only after arrivals, but attributes may depend on them: read arrival sources first.
  if (const toml::node* n = root_.get("arrivals"); n && n->is_array())
    for (auto&& item : *n->as_array())
      if (item.is_table())
        if (const toml::node* src = item.as_table()->get("source"); src && src->is_string())
          if (std::find(s_.sources.begin(), s_.sources.end(), src->as_string()->get()) == s_.sources.end())
            s_.sources.push_back(src->as_string()->get());
  read_attributes();
  read_arrivals();
  read_pools();
  read_contracts();
  read_outcomes();
  read_repeat_and_relocation();
  resolve_services();
  return std::move(s_);
}

}  // namespace

namespace {

/// The node at a dotted key path, or nullptr; arrays of tables are entered by their elements' `name`.
toml::node* find_key(toml::table& root, const std::string& key) {
  toml::node* at = &root;
  std::size_t start = 0;
  while (at && start <= key.size()) {
    std::size_t end = key.find('.', start);
    std::string part = key.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (toml::table* t = at->as_table()) {
      // a pool or area name may itself contain dots only if quoted; dasim names do not
      at = t->get(part);
    } else if (toml::array* a = at->as_array()) {
      toml::node* found = nullptr;
      for (auto&& item : *a)
        if (item.is_table())
          if (const toml::node* n = item.as_table()->get("name"); n && n->is_string() && n->as_string()->get() == part)
            found = &item;
      at = found;
    } else {
      return nullptr;
    }
    if (end == std::string::npos) return at;
    start = end + 1;
  }
  return at;
}

void apply(toml::table& root, const std::vector<Override>& overrides, const std::string& file) {
  for (const Override& o : overrides) {
    toml::node* n = find_key(root, o.key);
    if (!n || !(n->is_integer() || n->is_floating_point()))
      throw LoadError(fmt::format("{}: cannot vary '{}': no number at that key", file, o.key));
    if (n->is_integer()) *n->as_integer() = static_cast<std::int64_t>(std::llround(o.value));
    else *n->as_floating_point() = o.value;
  }
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void collect_assumptions(const toml::node& node, const std::string& path, const std::map<std::string, std::vector<std::string>>& lines,
                         std::vector<Assumption>& out) {
  if (const toml::table* t = node.as_table()) {
    for (auto&& [k, v] : *t) collect_assumptions(v, path.empty() ? std::string(k.str()) : path + "." + std::string(k.str()), lines, out);
  } else if (const toml::array* a = node.as_array()) {
    for (auto&& item : *a)
      if (const toml::table* t = item.as_table())
        if (const toml::node* name = t->get("name"); name && name->is_string())
          collect_assumptions(item, path + "." + name->as_string()->get(), lines, out);
  } else if (node.is_integer() || node.is_floating_point()) {
    const auto& src = node.source();
    if (!src.path) return;
    const auto file = lines.find(*src.path);
    if (file == lines.end() || src.begin.line == 0 || src.begin.line > file->second.size()) return;
    const std::string& line = file->second[src.begin.line - 1];
    const auto hash = line.find('#');
    if (hash == std::string::npos || lower(line.substr(hash)).find("assumption") == std::string::npos) return;
    const double value = node.is_integer() ? static_cast<double>(node.as_integer()->get()) : node.as_floating_point()->get();
    out.push_back({path, value, node.is_integer(), fmt::format("{}:{}", *src.path, src.begin.line)});
  }
}

}  // namespace

model::Scenario load(const std::filesystem::path& file, const std::vector<Override>& overrides) {
  std::string text;
  std::set<std::string> seen;
  if (!std::filesystem::exists(file)) throw LoadError(fmt::format("{}: no such scenario file", file.string()));
  if (std::filesystem::is_directory(file)) throw LoadError(fmt::format("{}: is a directory, not a scenario file", file.string()));
  std::vector<std::string> chain;
  toml::table root = read_chain(file, text, seen, chain);
  apply(root, overrides, file.string());
  model::Scenario s = Builder(root, file.string(), chain).build();
  s.source_text = std::move(text);
  return s;
}

std::vector<Assumption> assumptions(const std::filesystem::path& file) {
  std::string text;
  std::set<std::string> seen;
  std::vector<std::string> chain;
  const toml::table root = read_chain(file, text, seen, chain);
  std::map<std::string, std::vector<std::string>> lines;
  for (const auto& f : chain) {
    std::istringstream in(read_file(f));
    for (std::string line; std::getline(in, line);) lines[f].push_back(line);
  }
  std::vector<Assumption> out;
  collect_assumptions(root, "", lines, out);
  return out;
}

Sweep load_sweep(const std::filesystem::path& file) {
  const std::string name = file.string();
  const toml::table t = parse(read_file(file), name);
  auto fail = [&](const toml::node& at, const std::string& what) -> void {
    throw LoadError(fmt::format("{}: {}", position(at.source(), name), what));
  };
  for (auto&& [k, v] : t)
    if (k.str() != "scenario" && k.str() != "mode" && k.str() != "vary")
      fail(v, fmt::format("unknown key '{}' (expected scenario, mode, vary)", k.str()));
  const toml::node* scenario = t.get("scenario");
  if (!scenario || !scenario->is_string()) throw LoadError(name + ": `scenario` (the base scenario file) is required");
  Sweep sweep;
  sweep.scenario = file.parent_path() / scenario->as_string()->get();
  const std::string mode = t.get("mode") && t.get("mode")->is_string() ? t.get("mode")->as_string()->get() : "grid";
  if (mode != "grid" && mode != "list") fail(*t.get("mode"), "mode: must be \"grid\" or \"list\"");
  const toml::node* vary = t.get("vary");
  if (!vary || !vary->is_array() || vary->as_array()->empty()) throw LoadError(name + ": needs at least one [[vary]]");
  std::vector<std::pair<std::string, std::vector<double>>> axes;
  for (auto&& item : *vary->as_array()) {
    if (!item.is_table()) fail(item, "vary: each entry must be a table");
    const toml::table& v = *item.as_table();
    for (auto&& [k, n] : v)
      if (k.str() != "key" && k.str() != "values") fail(n, fmt::format("vary: unknown key '{}' (expected key, values)", k.str()));
    const toml::node* key = v.get("key");
    const toml::node* values = v.get("values");
    if (!key || !key->is_string()) fail(item, "vary: `key` (a dotted path such as pools.idva.workers) is required");
    if (!values || !values->is_array() || values->as_array()->empty()) fail(item, "vary: `values` must be a non-empty array of numbers");
    std::vector<double> numbers;
    for (auto&& x : *values->as_array()) {
      if (!x.is_integer() && !x.is_floating_point()) fail(x, "vary.values: must be numbers");
      numbers.push_back(x.is_integer() ? static_cast<double>(x.as_integer()->get()) : x.as_floating_point()->get());
    }
    axes.emplace_back(key->as_string()->get(), numbers);
  }
  const std::string base = sweep.scenario.stem().string();
  auto point_name = [&](const std::vector<Override>& o) {
    std::string label;
    for (const auto& x : o) { if (!label.empty()) label += ";"; label += fmt::format("{}={:g}", x.key, x.value); }
    return base + "[" + label + "]";
  };
  if (mode == "list") {
    for (const auto& axis : axes)
      if (axis.second.size() != axes.front().second.size()) throw LoadError(name + ": mode = \"list\" needs equally long `values` lists");
    for (std::size_t i = 0; i < axes.front().second.size(); ++i) {
      SweepPoint p;
      for (const auto& axis : axes) p.overrides.push_back({axis.first, axis.second[i]});
      p.name = point_name(p.overrides);
      sweep.points.push_back(std::move(p));
    }
  } else {
    std::vector<std::size_t> index(axes.size(), 0);
    for (;;) {
      SweepPoint p;
      for (std::size_t a = 0; a < axes.size(); ++a) p.overrides.push_back({axes[a].first, axes[a].second[index[a]]});
      p.name = point_name(p.overrides);
      sweep.points.push_back(std::move(p));
      std::size_t a = axes.size();
      while (a > 0 && ++index[a - 1] == axes[a - 1].second.size()) index[--a] = 0;
      if (a == 0) break;
    }
  }
  if (sweep.points.size() > 10000) throw LoadError(name + ": more than 10,000 points; narrow the grid");
  return sweep;
}

model::Scenario load_text(const std::string& content, const std::string& name) {
  std::string text;
  std::set<std::string> seen;
  std::vector<std::string> chain;
  toml::table root = read_chain(name, text, seen, chain, &content);
  model::Scenario s = Builder(root, name, chain).build();
  s.source_text = std::move(text);
  return s;
}

std::string describe(const model::Scenario& s) {
  std::string out = fmt::format("scenario {}: {}\n", s.name, s.description);
  const auto& sim = s.simulation;
  out += fmt::format("simulation: start {:04}-{:02}-{:02}, {:g} years ({:g} days), warm-up {:g} days\n", sim.start_year,
                     sim.start_month, sim.start_day, sim.years, sim.horizon_days(), sim.warmup_days);
  for (const auto& a : s.areas)
    out += fmt::format("area {}: population {:g}, adult females {:g}\n", a.name, a.population, a.adult_females);
  for (const auto& a : s.attributes) {
    out += fmt::format("attribute {}: {}", a.name,
                       a.kind == model::AttributeKind::count ? "count" : a.kind == model::AttributeKind::flag ? "flag" : "categorical");
    if (a.kind == model::AttributeKind::categorical) {
      std::string values;
      for (const auto& v : a.values) { if (!values.empty()) values += "|"; values += v; }
      out += " " + values;
    }
    out += a.by >= 0 ? fmt::format(" (by attribute #{})\n", a.by) : "\n";
  }
  for (const auto& a : s.arrivals)
    out += fmt::format("arrivals {}: area {}, source {}, {:g} a year, trend {:+g}/yr, {} dated factors -> {}\n", a.name,
                       s.areas[a.area].name, s.sources[a.source], a.rate_per_year, a.trend_per_year, a.dated.size(),
                       s.services[a.service]);
  static const char* kKinds[] = {"caseload", "beds", "group", "meeting"};
  for (const auto& p : s.pools) {
    std::string areas;
    for (std::size_t a = 0; a < s.areas.size(); ++a)
      if (p.serves_area[a]) { if (!areas.empty()) areas += ","; areas += s.areas[a].name; }
    out += fmt::format("pool {} ({} for {}; areas {}): ", p.name, kKinds[static_cast<int>(p.kind)], s.services[p.service], areas);
    switch (p.kind) {
      case model::PoolKind::caseload:
        out += fmt::format("{} workers x {} cases = {} places", p.workers, p.cases_per_worker, p.capacity());
        break;
      case model::PoolKind::beds: out += fmt::format("{} units, {}", p.workers, p.decline_when_full ? "declines when full" : "waiting list"); break;
      case model::PoolKind::group: out += fmt::format("{} groups of {}-{}, dropout {:g}", p.workers, p.group_min, p.group_max, p.dropout); break;
      case model::PoolKind::meeting: out += fmt::format("sits every {:g} days", p.meeting_interval); break;
    }
    out += fmt::format("; duration {}", p.duration.describe());
    if (p.move_on) out += "; move-on " + p.move_on->describe();
    if (p.patience) out += "; patience " + p.patience->describe();
    out += fmt::format("; target {:g} {}\n", p.target_days, p.target_working_days ? "working days" : "d");
  }
  for (const auto& c : s.contracts) {
    out += fmt::format("contract {}: £{:.0f} a year, efficiency {:g}, cost £{:.0f}", c.name, c.annual_value, c.efficiency, c.annual_cost());
    if (c.reinvested) out += fmt::format(", saving reinvested as {} workers in {}", c.extra_workers, s.pools[c.reinvest_pool].name);
    out += "\n";
  }
  for (const auto& o : s.outcomes)
    out += fmt::format("outcome {}: payer {}, {}, £{:.0f} per case, probability {:g}\n", o.name, s.payers[o.payer],
                       o.cashable ? "cashable" : "societal", o.cost(), o.probability);
  return out;
}

}  // namespace dasim::scenario
