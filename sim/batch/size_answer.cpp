#include "batch/size_answer.hpp"

#include <fmt/format.h>

#include "batch/results.hpp"

namespace dasim::batch {

std::vector<double> costs_by_funder(const model::Scenario& scenario) { return funder_costs(scenario); }

namespace {

stats::Summary fixed(double x) {
  stats::Summary s;
  s.mean = s.ci_low = s.ci_high = s.p05 = s.p50 = s.p95 = x;
  s.n = 1;
  return s;
}

std::vector<double> values_of(const std::vector<ReplicationResult>& results,
                              const std::function<double(const ReplicationResult&)>& value) {
  std::vector<double> out;
  for (const auto& r : results) out.push_back(value(r));
  return out;
}

}  // namespace

std::vector<SizingRow> sizing_rows(const SizingAnswer& a) {
  std::vector<SizingRow> rows;
  const model::Scenario& option = *a.plan.option;
  const std::string& service = option.services[a.plan.service];
  const SizeOutcome& o = a.outcome;
  auto row = [&](const std::string& kind, const std::string& name, const std::string& units, int level,
                 const stats::Summary& s, const std::string& note = "") {
    rows.push_back({option.name, service, kind, name, units, level, s, note});
  };
  row("answer", status_name(o.status), a.plan.unit, o.level, fixed(o.level), o.message);
  const std::string metric = a.cell.group->metrics[a.cell.metric].name;
  for (const auto& [level, r] : o.levels)
    row("level", metric, a.cell.group->metrics[a.cell.metric].units, level, r.summary, verdict_name(r.verdict));
  if (o.status != SizeStatus::found && o.status != SizeStatus::between) return rows;
  row("target", metric, a.cell.group->metrics[a.cell.metric].units, o.level, o.levels.at(o.level).summary, a.target.text());
  if (o.below >= 0)
    row("target", metric, a.cell.group->metrics[a.cell.metric].units, o.below, o.levels.at(o.below).summary, "one level below");
  const std::vector<double> given = costs_by_funder(option), found = costs_by_funder(a.at_answer);
  for (std::size_t f = 0; f < found.size(); ++f) {
    const double before = f < given.size() ? given[f] : 0;
    row("cost", a.at_answer.funders[f], "GBP/year", o.level, fixed(found[f]),
        fmt::format("change from the option as given: {:+.0f}", found[f] - before));
  }
  for (const std::string& other : a.at_answer.services) {
    if (other == service) continue;
    for (const char* m : {"within_target", "wait_mean", "declined"}) {
      std::string units;
      const auto value = measure(a.at_answer, other, "all", m, &units);
      rows.push_back({option.name, other, "other", m, units, o.level, stats::summarize(values_of(a.results, value)), ""});
    }
  }
  return rows;
}

}  // namespace dasim::batch
