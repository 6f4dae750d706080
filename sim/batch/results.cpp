#include "batch/results.hpp"

#include <chrono>
#include <cmath>
#include <ctime>
#include <fmt/format.h>
#include <algorithm>
#include <functional>
#include <map>

#include "model/calendar.hpp"

namespace dasim::batch {

bool RunRecord::complete() const {
  for (const auto& s : scenarios)
    for (bool d : s.done)
      if (!d) return false;
  return !scenarios.empty();
}

std::string utc_now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

namespace {

/// One measure of a scenario: its identity and how to read it from a replication.
struct Measure {
  std::string service, pool, area, metric, units;
  bool comparable;  // exists in every option (services, costs, totals), so a paired difference means something
  std::function<double(const ReplicationResult&)> value;
};

std::vector<Measure> measures(const model::Scenario& s) {
  std::vector<Measure> out;
  const std::size_t areas = s.areas.size();
  const std::size_t na = kAreaMetrics.size(), ns = kServiceMetrics.size(), np = kPoolMetrics.size();
  for (std::size_t sv = 0; sv < s.services.size(); ++sv) {
    for (std::size_t a = 0; a <= areas; ++a)
      for (std::size_t m = 0; m < na; ++m)
        out.push_back({s.services[sv], "", a < areas ? s.areas[a].name : "all", kAreaMetrics[m], kAreaUnits[m], true,
                       [i = (sv * (areas + 1) + a) * na + m](const ReplicationResult& r) { return r.area_metrics[i]; }});
    for (std::size_t m = 0; m < ns; ++m)
      out.push_back({s.services[sv], "", "all", kServiceMetrics[m], kServiceUnits[m], true,
                     [i = sv * ns + m](const ReplicationResult& r) { return r.service_metrics[i]; }});
  }
  for (std::size_t p = 0; p < s.pools.size(); ++p)
    for (std::size_t m = 0; m < np; ++m)
      out.push_back({s.services[s.pools[p].service], s.pools[p].name, "all", kPoolMetrics[m], kPoolUnits[m], false,
                     [i = p * np + m](const ReplicationResult& r) { return r.pool_metrics[i]; }});
  const std::vector<double> funders = funder_costs(s);
  for (std::size_t f = 0; f < funders.size(); ++f)
    out.push_back({"(cost)", "", s.funders[f], "service_cost", "GBP/year", true,
                   [c = funders[f]](const ReplicationResult&) { return c; }});
  for (std::size_t p = 0; p < s.payers.size(); ++p)
    for (int k = 0; k < 2; ++k)
      out.push_back({"(outcome)", "", s.payers[p], k == 0 ? "cashable_cost" : "societal_cost", "GBP/year", true,
                     [i = p * 2 + k](const ReplicationResult& r) { return r.outcome_cost[i]; }});
  for (std::size_t t = 0; t < kTotals.size(); ++t)
    out.push_back({"(total)", "", "all", kTotals[t], kTotalUnits[t], true,
                   [t](const ReplicationResult& r) { return r.totals[t]; }});
  return out;
}

std::vector<double> values(const ScenarioRun& run, const Measure& m) {
  std::vector<double> v;
  for (std::size_t i = 0; i < run.replications.size(); ++i)
    if (run.done[i]) v.push_back(m.value(run.replications[i]));
  return v;
}

std::string key(const Measure& m) { return m.service + "\x1f" + m.area + "\x1f" + m.metric; }

}  // namespace

std::function<double(const ReplicationResult&)> measure(const model::Scenario& scenario, const std::string& service,
                                                        const std::string& area, const std::string& metric, std::string* units) {
  for (const Measure& m : measures(scenario))
    if (m.pool.empty() && m.service == service && m.area == area && m.metric == metric) {
      if (units) *units = m.units;
      return m.value;
    }
  std::string services;
  for (const auto& s : scenario.services) { if (!services.empty()) services += ", "; services += s; }
  throw std::invalid_argument(fmt::format("no measure '{}:{}:{}' in scenario '{}' (services: {}, plus (total); areas: "
                                          "the scenario's or all; metrics as in docs/results-format.md)",
                                          service, area, metric, scenario.name, services));
}

std::vector<Row> summary_rows(const RunRecord& run) {
  std::vector<Row> rows;
  for (const ScenarioRun& sr : run.scenarios)
    for (const Measure& m : measures(*sr.scenario))
      rows.push_back({"summary", sr.scenario->name, "", m.service, m.pool, m.area, m.metric, m.units,
                      stats::summarize(values(sr, m))});
  if (run.scenarios.size() < 2) return rows;
  const ScenarioRun& base = run.scenarios.front();
  const std::vector<Measure> base_measures = measures(*base.scenario);
  auto total_index = [](const char* name) { return std::find(kTotals.begin(), kTotals.end(), name) - kTotals.begin(); };
  const std::size_t outcome_index = total_index("outcome_cost"), service_index = total_index("service_cost");
  for (std::size_t k = 1; k < run.scenarios.size(); ++k) {
    const ScenarioRun& sr = run.scenarios[k];
    std::map<std::string, const Measure*> own;
    const std::vector<Measure> own_measures = measures(*sr.scenario);
    for (const Measure& m : own_measures)
      if (m.comparable) own.emplace(key(m), &m);
    for (const Measure& bm : base_measures) {
      // Services and funders present in both options pair up; one option's extra service has no counterpart.
      const auto it = bm.comparable ? own.find(key(bm)) : own.end();
      if (it == own.end()) continue;
      rows.push_back({"difference", sr.scenario->name, base.scenario->name, bm.service, "", bm.area, bm.metric, bm.units,
                      stats::summarize(stats::paired_differences(values(sr, *it->second), values(base, bm)))});
    }
    // Cost avoidance: outcome costs the baseline bears and this option does not, per replication.
    std::vector<double> avoided, cashable, societal, per_pound;
    for (std::size_t i = 0; i < sr.replications.size() && i < base.replications.size(); ++i) {
      if (!sr.done[i] || !base.done[i]) continue;
      const auto& a = sr.replications[i].totals;
      const auto& b = base.replications[i].totals;
      avoided.push_back(b[outcome_index] - a[outcome_index]);
      cashable.push_back(b[outcome_index + 1] - a[outcome_index + 1]);
      societal.push_back(b[outcome_index + 2] - a[outcome_index + 2]);
      per_pound.push_back(a[service_index] > 0 ? avoided.back() / a[service_index] : std::nan(""));
    }
    const std::string name = sr.scenario->name, bname = base.scenario->name;
    rows.push_back({"difference", name, bname, "(total)", "", "all", "cost_avoided", "GBP/year", stats::summarize(avoided)});
    rows.push_back({"difference", name, bname, "(total)", "", "all", "cashable_cost_avoided", "GBP/year", stats::summarize(cashable)});
    rows.push_back({"difference", name, bname, "(total)", "", "all", "societal_cost_avoided", "GBP/year", stats::summarize(societal)});
    rows.push_back({"difference", name, bname, "(total)", "", "all", "return_per_pound", "GBP per GBP", stats::summarize(per_pound)});
  }
  return rows;
}

std::vector<WarmupCheck> warmup_checks(const ScenarioRun& run) {
  const model::Scenario& s = *run.scenario;
  const std::size_t months = month_labels(s).size(), nm = kMonthlyMetrics.size();
  const auto queue = std::find(kMonthlyMetrics.begin(), kMonthlyMetrics.end(), "mean_queue") - kMonthlyMetrics.begin();
  const auto busy = std::find(kMonthlyMetrics.begin(), kMonthlyMetrics.end(), "mean_busy") - kMonthlyMetrics.begin();
  const int warmup_months = static_cast<int>(std::lround(s.simulation.warmup_days / (model::kDaysPerYear / 12)));
  std::vector<WarmupCheck> out;
  for (std::size_t sv = 0; sv < s.services.size(); ++sv) {
    // The last month may be partial; leave it out.
    std::vector<double> series(months > 1 ? months - 1 : months, 0.0);
    int n = 0;
    for (std::size_t r = 0; r < run.replications.size(); ++r) {
      if (!run.done[r]) continue;
      ++n;
      for (std::size_t m = 0; m < series.size(); ++m) {
        const double* row = &run.replications[r].monthly[(sv * months + m) * nm];
        series[m] += (std::isnan(row[queue]) ? 0 : row[queue]) + (std::isnan(row[busy]) ? 0 : row[busy]);
      }
    }
    if (n == 0 || series.size() < 4) continue;
    int best = 0;
    double best_value = HUGE_VAL;
    for (std::size_t d = 0; d <= series.size() / 2; ++d) {
      const double kept = static_cast<double>(series.size() - d);
      double mean = 0, ss = 0;
      for (std::size_t i = d; i < series.size(); ++i) mean += series[i] / kept;
      for (std::size_t i = d; i < series.size(); ++i) ss += (series[i] - mean) * (series[i] - mean);
      // Strict improvement only, so that a flat series keeps the earliest point.
      if (ss / (kept * kept) < best_value * (1 - 1e-9)) best_value = ss / (kept * kept), best = static_cast<int>(d);
    }
    out.push_back({s.services[sv], warmup_months, best, best == static_cast<int>(series.size() / 2)});
  }
  return out;
}

}  // namespace dasim::batch
