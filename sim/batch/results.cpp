#include "batch/results.hpp"

#include <chrono>
#include <cmath>
#include <ctime>
#include <fmt/format.h>
#include <algorithm>
#include <functional>
#include <map>

#include "batch/readback.hpp"

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
struct RowMeasure {
  std::string service, pool, area, metric, units;
  bool comparable;  // exists in every option (services, costs, totals), so a paired difference means something
  std::function<double(const ReplicationResult&)> value;
  std::vector<double> ReplicationResult::*reads = nullptr;  // the array it reads, if any (a funder's cost is fixed)
};

/// Reads cell `at` of a group's array.
std::function<double(const ReplicationResult&)> cell(const Group& g, std::size_t at) {
  return [field = g.field, at](const ReplicationResult& r) { return (r.*field)[at]; };
}

std::vector<RowMeasure> measures(const model::Scenario& s) {
  std::vector<RowMeasure> out;
  const std::vector<std::string> areas = axis_labels(Axis::area, s);
  const Group &area = area_group(), &service = service_group(), &pool = pool_group();
  const Shape area_shape = area.shape(s), service_shape = service.shape(s), pool_shape = pool.shape(s);
  for (std::size_t sv = 0; sv < s.services.size(); ++sv) {
    for (std::size_t a = 0; a < areas.size(); ++a)
      for (std::size_t m = 0; m < area.metrics.size(); ++m)
        out.push_back({s.services[sv], "", areas[a], area.metrics[m].name, area.metrics[m].units, true,
                       cell(area, area_shape.at({sv, a, m})), area.field});
    for (std::size_t m = 0; m < service.metrics.size(); ++m)
      out.push_back({s.services[sv], "", "all", service.metrics[m].name, service.metrics[m].units, true,
                     cell(service, service_shape.at({sv, m})), service.field});
  }
  for (std::size_t p = 0; p < s.pools.size(); ++p)
    for (std::size_t m = 0; m < pool.metrics.size(); ++m)
      out.push_back({s.services[s.pools[p].service], s.pools[p].name, "all", pool.metrics[m].name, pool.metrics[m].units,
                     false, cell(pool, pool_shape.at({p, m})), pool.field});
  const std::vector<double> funders = funder_costs(s);
  for (std::size_t f = 0; f < funders.size(); ++f)
    out.push_back({"(cost)", "", s.funders[f], "service_cost", "GBP/year", true,
                   [c = funders[f]](const ReplicationResult&) { return c; }});
  const Group& outcome = outcome_group();
  const Shape outcome_shape = outcome.shape(s);
  for (std::size_t p = 0; p < s.payers.size(); ++p)
    for (std::size_t m = 0; m < outcome.metrics.size(); ++m)
      out.push_back({"(outcome)", "", s.payers[p], outcome.metrics[m].name, outcome.metrics[m].units, true,
                     cell(outcome, outcome_shape.at({p, m})), outcome.field});
  // By risk level and by referral source (MODEL.md §8): the area column reads "risk:<level>" or "source:<source>".
  for (const auto& [group, axis] : {std::pair{&risk_group(), Axis::risk}, {&source_group(), Axis::source}}) {
    const std::vector<std::string> cells = axis_labels(axis, s);
    const Shape shape = group->shape(s);
    for (std::size_t sv = 0; sv < s.services.size(); ++sv)
      for (std::size_t c = 0; c < cells.size(); ++c)
        for (std::size_t m = 0; m < group->metrics.size(); ++m)
          out.push_back({s.services[sv], "", breakdown_cell(axis, cells[c]), group->metrics[m].name,
                         group->metrics[m].units, true, cell(*group, shape.at({sv, c, m})), group->field});
  }
  // A group of one cell axis then metrics, under `service`: the area column names the cell, by `label`.
  const auto by_cell = [&](const char* service, const Group& group, Axis axis, auto label) {
    const std::vector<std::string> cells = axis_labels(axis, s);
    const Shape shape = group.shape(s);
    for (std::size_t c = 0; c < cells.size(); ++c)
      for (std::size_t m = 0; m < group.metrics.size(); ++m)
        out.push_back({service, "", label(axis, cells[c]), group.metrics[m].name, group.metrics[m].units, true,
                       cell(group, shape.at({c, m})), group.field});
  };
  const auto named = [](Axis, const std::string& label) { return label; };
  by_cell(kOutcomeBy, risk_outcome_group(), Axis::risk, breakdown_cell);
  by_cell(kOutcomeBy, source_outcome_group(), Axis::source, breakdown_cell);
  // Children's social care: by area (its own name, or "all"), then by risk level and referral source as above.
  by_cell(kSocialCare, care_group(), Axis::area, named);
  by_cell(kSocialCare, risk_care_group(), Axis::risk, breakdown_cell);
  by_cell(kSocialCare, source_care_group(), Axis::source, breakdown_cell);
  const Group& totals = totals_group();
  for (std::size_t t = 0; t < totals.metrics.size(); ++t)
    out.push_back({"(total)", "", "all", totals.metrics[t].name, totals.metrics[t].units, true, cell(totals, t), totals.field});
  // All services together, all areas: a person counts once at each service.
  for (std::size_t m = 0; m < area.metrics.size(); ++m) {
    if (!adds_across_services(area.metrics[m])) continue;
    std::vector<std::size_t> at;
    for (std::size_t sv = 0; sv < s.services.size(); ++sv) at.push_back(area_shape.at({sv, areas.size() - 1, m}));
    out.push_back({kAllServices, "", "all", area.metrics[m].name, area.metrics[m].units, true,
                   [at](const ReplicationResult& r) {
                     double sum = 0;
                     for (std::size_t i : at) sum += r.area_metrics[i];
                     return sum;
                   },
                   area.field});
  }
  return out;
}

std::string key(const RowMeasure& m) { return m.service + "\x1f" + m.area + "\x1f" + m.metric; }

/// Why an incremental return per £1 cannot be given, or empty: dividing by a service-cost difference that is nil,
/// or whose 95% CI spans zero, would give a ratio without meaning.
std::string refusal(const stats::Summary& extra_cost) {
  if (!(std::abs(extra_cost.mean) >= 1)) return "refused: no difference in service cost";
  if (extra_cost.ci_low < 0 && extra_cost.ci_high > 0) return "refused: the service cost difference's CI spans zero";
  if (extra_cost.mean < 0) return "refused: the option costs less than the baseline (see cost avoided)";
  return "";
}

}  // namespace

std::string breakdown_cell(Axis axis, const std::string& label) { return std::string(axis_name(axis)) + ":" + label; }

std::function<double(const ReplicationResult&)> measure(const model::Scenario& scenario, const std::string& service,
                                                        const std::string& area, const std::string& metric, std::string* units) {
  for (const RowMeasure& m : measures(scenario))
    if (m.pool.empty() && m.service == service && m.area == area && m.metric == metric) {
      if (units) *units = m.units;
      return m.value;
    }
  std::string services;
  for (const auto& s : scenario.services) { if (!services.empty()) services += ", "; services += s; }
  throw std::invalid_argument(fmt::format("no measure '{}:{}:{}' in scenario '{}' (services: {}, plus (total) and {}; "
                                          "areas: the scenario's or all; metrics as in a results file's /schema)",
                                          service, area, metric, scenario.name, services, kAllServices));
}

std::vector<RowSpec> row_specs(const RunRecord& run) {
  std::vector<RowSpec> specs;
  auto reading = [](const RowMeasure& m) {
    return m.reads ? std::vector<std::vector<double> ReplicationResult::*>{m.reads}
                   : std::vector<std::vector<double> ReplicationResult::*>{};
  };
  for (std::size_t k = 0; k < run.scenarios.size(); ++k) {
    const ScenarioRun& sr = run.scenarios[k];
    for (const RowMeasure& m : measures(*sr.scenario))
      specs.push_back({{"summary", sr.scenario->name, "", m.service, m.pool, m.area, m.metric, m.units, {}}, k, false,
                       reading(m), [value = m.value](const ReplicationResult& own, const ReplicationResult&) { return value(own); }});
  }
  if (run.scenarios.size() < 2) return specs;
  const ScenarioRun& base = run.scenarios.front();
  const std::vector<RowMeasure> base_measures = measures(*base.scenario);
  const Group& totals = totals_group();
  const std::size_t outcome = totals.metric("outcome_cost"), cashable_outcome = totals.metric("cashable_outcome_cost");
  const std::size_t societal_outcome = totals.metric("societal_outcome_cost"), service = totals.metric("service_cost");
  for (std::size_t k = 1; k < run.scenarios.size(); ++k) {
    const ScenarioRun& sr = run.scenarios[k];
    const std::string name = sr.scenario->name, bname = base.scenario->name;
    std::map<std::string, const RowMeasure*> own;
    const std::vector<RowMeasure> own_measures = measures(*sr.scenario);
    for (const RowMeasure& m : own_measures)
      if (m.comparable) own.emplace(key(m), &m);
    for (const RowMeasure& bm : base_measures) {
      // Services and funders present in both options pair up; one option's extra service has no counterpart.
      const auto it = bm.comparable ? own.find(key(bm)) : own.end();
      if (it == own.end()) continue;
      std::vector<std::vector<double> ReplicationResult::*> reads = reading(*it->second);
      if (bm.reads && bm.reads != it->second->reads) reads.push_back(bm.reads);
      specs.push_back({{"difference", name, bname, bm.service, "", bm.area, bm.metric, bm.units, {}}, k, true, reads,
                       [a = it->second->value, b = bm.value](const ReplicationResult& own_result, const ReplicationResult& base_result) {
                         return a(own_result) - b(base_result);
                       }});
    }
    // Cost avoidance: outcome costs the baseline bears and this option does not, per replication; the return per £1
    // is incremental: cost avoided over the service cost the option adds, both against the same baseline.
    auto avoided = [](std::size_t metric) {
      return [metric](const ReplicationResult& a, const ReplicationResult& b) { return b.totals[metric] - a.totals[metric]; };
    };
    const int extra_cost = static_cast<int>(specs.size());
    specs.push_back({{"difference", name, bname, "(total)", "", "all", "extra_service_cost", "GBP/year", {}}, k, true,
                     {totals.field},
                     [service](const ReplicationResult& a, const ReplicationResult& b) {
                       return a.totals[service] - b.totals[service];
                     },
                     true});
    const std::pair<const char*, std::size_t> costs[] = {
        {"cost_avoided", outcome}, {"cashable_cost_avoided", cashable_outcome}, {"societal_cost_avoided", societal_outcome}};
    for (const auto& [metric, at] : costs)
      specs.push_back({{"difference", name, bname, "(total)", "", "all", metric, "GBP/year", {}}, k, true, {totals.field},
                       avoided(at)});
    const std::pair<const char*, std::size_t> returns[] = {
        {"return_per_pound", outcome}, {"cashable_return_per_pound", cashable_outcome}, {"societal_return_per_pound", societal_outcome}};
    for (const auto& [metric, at] : returns)
      specs.push_back({{"difference", name, bname, "(total)", "", "all", metric, "GBP per GBP", {}}, k, true, {totals.field},
                       [avoided = avoided(at), service](const ReplicationResult& a, const ReplicationResult& b) {
                         return avoided(a, b) / (a.totals[service] - b.totals[service]);
                       },
                       false, extra_cost});
  }
  return specs;
}

std::vector<Row> rows_of(const std::vector<RowSpec>& specs, const std::vector<stats::Summary>& summaries) {
  std::vector<Row> rows;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (specs[i].hidden) continue;
    Row row = specs[i].row;
    row.summary = summaries.at(i);
    if (specs[i].refused_by >= 0) {
      const std::string refused = refusal(summaries.at(static_cast<std::size_t>(specs[i].refused_by)));
      if (!refused.empty()) {
        stats::Summary& s = row.summary;
        s.mean = s.ci_low = s.ci_high = s.sd = s.p05 = s.p50 = s.p95 = std::nan("");
        row.units = refused;
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<Row> summary_rows(const RunRecord& run) {
  const std::vector<RowSpec> specs = row_specs(run);
  RowMoments moments(specs, run.scenarios.size());
  const std::size_t R = run.scenarios.empty() ? 0 : run.scenarios.front().done.size();
  for (std::size_t r = 0; r < R; ++r) {
    std::vector<const ReplicationResult*> results;
    for (const ScenarioRun& s : run.scenarios) results.push_back(s.done[r] ? &s.replications.at(r) : nullptr);
    moments.add(results);
  }
  return rows_of(specs, summaries(specs, moments.moments(), run, RecordReader(run)));
}

}  // namespace dasim::batch
