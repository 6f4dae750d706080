// Section readers: the scenario's name, the simulation window, areas, sources, attributes and arrival streams.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <numeric>
#include <set>

#include "scenario/builder.hpp"

namespace dasim::scenario {

void ScenarioBuilder::read_scenario_and_simulation() {
  if (const toml::node* n = root_.get("scenario")) {
    const toml::table& t = table_at(*n, "scenario");
    only_keys(t, "scenario", {"name", "description", "display_name"});
    s_.name = text(t, "name", "scenario", s_.name);
    s_.description = text(t, "description", "scenario", "");
    s_.display_name = text(t, "display_name", "scenario", "");
  }
  // The name becomes the results files' name: it must not leave the output folder or name a folder itself.
  const toml::node& name_at = root_["scenario"]["name"].node() ? *root_["scenario"]["name"].node() : root_;
  check_name(name_at, "scenario.name", s_.name);
  if (s_.name == "." || s_.name == ".." || s_.name.find_first_of("/\\") != std::string::npos)
    fail(name_at, "scenario.name", "must be a name without slashes, and not '.' or '..'");
  model::SimulationSpec& sim = s_.simulation;
  if (const toml::node* n = root_.get("simulation")) {
    const toml::table& t = table_at(*n, "simulation");
    only_keys(t, "simulation", {"start_date", "years", "warmup_years", "pay_award"});
    if (const toml::node* d = t.get("start_date")) {
      // No calendar yet, so the date comes back as days since 1970-01-01.
      model::civil_from_days(date(*d, "simulation.start_date"), sim.start_year, sim.start_month, sim.start_day);
    }
    sim.years = number(t, "years", "simulation", 1.0, 1.0 / 365.25, 200);
    sim.warmup_days = number(t, "warmup_years", "simulation", 0.0, 0, 100) * model::kDaysPerYear;
    sim.pay_award = number(t, "pay_award", "simulation", 0.0, 0, 1);
    if (sim.warmup_days >= sim.horizon_days())
      fail(*t.get("warmup_years"), "simulation.warmup_years", "must be shorter than simulation.years");
  }
  calendar_ = std::make_unique<model::Calendar>(sim);
}

void ScenarioBuilder::read_areas() {
  const toml::table& areas = required_table(root_, "areas", "scenario");
  // Conditions hold the areas they allow in a 64-bit set.
  if (areas.size() > model::kMaxValues)
    fail(areas, "areas", fmt::format("at most {} areas are supported, got {}", model::kMaxValues, areas.size()));
  each_named(areas, "areas",
             [&](const std::string& name, const std::string& key, const toml::node&, const toml::table& t) {
    only_keys(t, key, {"population", "adult_females"});
    check_name(t, key, name);
    s_.areas.push_back({name, number(t, "population", key, 0, 0), number(t, "adult_females", key, 0, 0)});
  });
  for (const auto& a : s_.areas) area_names_.push_back(a.name);
  if (s_.areas.empty()) fail(areas, "areas", "at least one area is needed");
}

void ScenarioBuilder::read_sources() {
  // Named sources in the order written, then the default for streams that name none. Malformed entries are
  // left for read_arrivals to report.
  const toml::node* n = root_.get("arrivals");
  if (!n || !n->is_array()) return;
  bool unnamed = false;
  for (auto&& item : *n->as_array()) {
    if (!item.is_table()) continue;
    const toml::node* src = item.as_table()->get("source");
    if (!src) unnamed = true;
    else if (src->is_string() && std::find(s_.sources.begin(), s_.sources.end(), src->as_string()->get()) == s_.sources.end())
      s_.sources.push_back(src->as_string()->get());
  }
  if (unnamed && std::find(s_.sources.begin(), s_.sources.end(), "referral") == s_.sources.end())
    s_.sources.push_back("referral");
  // Like areas, sources are held in 64-bit sets by conditions.
  if (s_.sources.size() > model::kMaxValues)
    fail(*n, "arrivals", fmt::format("at most {} sources are supported, got {}", model::kMaxValues, s_.sources.size()));
}

void ScenarioBuilder::read_attributes() {
  const toml::node* n = root_.get("attributes");
  if (!n) return;
  each_named(table_at(*n, "attributes"), "attributes",
             [&](const std::string& attribute_name, const std::string& key, const toml::node& v, const toml::table& t) {
    only_keys(t, key, {"values", "weights", "p", "mean", "min", "max", "by", "when"});
    if (s_.attributes.size() + model::kFirstDrawnAttribute >= model::kMaxAttributes)
      fail(v, key, fmt::format("at most {} attributes are supported", model::kMaxAttributes - model::kFirstDrawnAttribute));
    if (attribute_name == "area" || attribute_name == "source") fail(v, key, "'area' and 'source' are built in");
    check_name(v, key, attribute_name);
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
      for (auto&& item : array_at(*values, key + ".values")) {
        a.values.push_back(text(item, key + ".values"));
        check_name(item, key + ".values", a.values.back());
      }
      if (a.values.empty() || a.values.size() > model::kMaxValues)
        fail(*values, key + ".values", fmt::format("needs 1 to {} values", model::kMaxValues));
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
      a.max_count = whole(t, "max", key, 20, 0, model::kMaxCount);
      // `min`: the count is min plus a Poisson variate, so a mean of those who have at least one (a family with
      // children) can be given as it is published.
      a.min_count = whole(t, "min", key, 0, 0, a.max_count);
      a.means = per_row(*mean, key + ".mean",
                        [&](const toml::node& mn, const std::string& mk) { return number(mn, mk, a.min_count, 1000); });
    } else {
      fail(v, key, "needs `values` and `weights` (categorical), `p` (flag) or `mean` (count)");
    }
    s_.attributes.push_back(std::move(a));
    if (const toml::node* when = t.get("when")) s_.attributes.back().when = condition(*when, key + ".when");
  });
}

void ScenarioBuilder::check_peak_rate(const toml::node& at, const std::string& key, const model::ArrivalSpec& a) const {
  // The highest rate the stream can reach: every factor at its largest at once (dated factors may overlap), and
  // the trend compounded over the whole run. Computed in doubles, so an overflow shows as infinity and fails too.
  double peak = a.rate_per_year * *std::max_element(a.seasonal.begin(), a.seasonal.end());
  for (const auto& f : a.dated) peak *= std::max(1.0, f.factor);
  peak *= std::pow(1 + std::max(0.0, a.trend_per_year), s_.simulation.years);
  if (!(peak <= kMaxRatePerYear))
    fail(at, key, fmt::format("with its seasonal, dated and trend factors the rate can reach {:.3g} a year, above the "
                              "{:.0e} a year a replication can hold", peak, kMaxRatePerYear));
}

void ScenarioBuilder::read_arrivals() {
  const toml::node* n = root_.get("arrivals");
  if (!n) fail(root_, "arrivals", "missing: at least one [[arrivals]] stream is needed");
  const toml::array& list = array_at(*n, "arrivals");
  // Each stream keeps a rate for every day of the run (model/arrivals): bound streams x days before they are built.
  const double daily_rates = static_cast<double>(list.size()) * (s_.simulation.horizon_days() + 1);
  if (daily_rates > kMaxDailyRates)
    fail(*n, "arrivals", fmt::format("{} streams over {:.0f} days need {:.3g} daily rates, more than the {:.0e} a replication "
                                     "can hold: use fewer streams or a shorter run", list.size(),
                                     s_.simulation.horizon_days(), daily_rates, kMaxDailyRates));
  std::set<std::string> names;
  for (auto&& item : list) {
    const std::string key = fmt::format("arrivals[{}]", s_.arrivals.size());
    const toml::table& t = table_at(item, key);
    only_keys(t, key, {"name", "area", "source", "rate_per_year", "seasonal", "trend_per_year", "dated", "to", "set",
                      "match_household"});
    model::ArrivalSpec a;
    const toml::node* name = t.get("name");
    if (!name) fail(t, key, "missing required key 'name'");
    a.name = text(*name, key + ".name");
    check_name(*name, key + ".name", a.name);
    if (!names.insert(a.name).second) fail(*name, key + ".name", fmt::format("'{}' is used by another stream", a.name));
    const std::string ctx = "arrivals." + a.name;
    const toml::node* area = t.get("area");
    if (!area) fail(t, ctx, "missing required key 'area'");
    a.area = index_of(area_names_, *area, ctx + ".area", "area");
    const std::string source = text(t, "source", ctx, "referral");
    a.source = static_cast<int>(std::find(s_.sources.begin(), s_.sources.end(), source) - s_.sources.begin());
    a.rate_per_year = required_number(t, "rate_per_year", ctx, 0, 1e8);
    if (const toml::node* season = t.get("seasonal")) {
      const toml::array& arr = array_at(*season, ctx + ".seasonal");
      if (arr.size() != 12) fail(*season, ctx + ".seasonal", fmt::format("needs 12 monthly factors, got {}", arr.size()));
      for (std::size_t i = 0; i < 12; ++i) a.seasonal[i] = number(*arr.get(i), ctx + ".seasonal", 0, kMaxRateFactor);
    }
    a.trend_per_year = number(t, "trend_per_year", ctx, 0.0, -0.99, 10);
    if (const toml::node* dated = t.get("dated")) {
      const toml::array& factors = array_at(*dated, ctx + ".dated");
      if (factors.size() > kMaxDatedFactors)
        fail(*dated, ctx + ".dated", fmt::format("at most {} dated factors a stream, got {}", kMaxDatedFactors, factors.size()));
      for (auto&& d : factors) {
        const toml::table& dt = table_at(d, ctx + ".dated");
        only_keys(dt, ctx + ".dated", {"from", "to", "factor", "yearly"});
        model::DatedFactor f;
        if (!dt.get("from") || !dt.get("to")) fail(dt, ctx + ".dated", "needs `from` and `to` dates");
        f.first_day = static_cast<int>(date(*dt.get("from"), ctx + ".dated.from"));
        f.last_day = static_cast<int>(date(*dt.get("to"), ctx + ".dated.to"));
        if (f.last_day < f.first_day) fail(*dt.get("to"), ctx + ".dated.to", "is before `from`");
        f.factor = required_number(dt, "factor", ctx + ".dated", 0, kMaxRateFactor);
        f.yearly = flag(dt, "yearly", ctx + ".dated", false);
        a.dated.push_back(f);
      }
    }
    check_peak_rate(*t.get("rate_per_year"), ctx + ".rate_per_year", a);
    const toml::node* to = t.get("to");
    if (!to) fail(t, ctx, "missing required key 'to' (the service referrals enter)");
    a.service = service(*to, ctx + ".to");
    if (const toml::node* set = t.get("set")) a.fixed_attributes = assignments(*set, ctx + ".set");
    if (const toml::node* m = t.get("match_household")) {
      // A self-referring perpetrator matched to a household already known (docs/model.md §4.3).
      const std::string mk = ctx + ".match_household";
      const toml::table& mt = table_at(*m, mk);
      only_keys(mt, mk, {"known", "within_days"});
      a.match_known = required_number(mt, "known", mk, 0, 1);
      a.match_within_days = required_number(mt, "within_days", mk, 0, 36525);
    }
    s_.arrivals.push_back(std::move(a));
  }
}

}  // namespace dasim::scenario
