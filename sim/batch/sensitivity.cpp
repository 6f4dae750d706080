#include "batch/sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fnmatch.h>
#include <sstream>

namespace dasim::batch {

namespace {

struct Output {
  std::string spec, units;
  std::function<double(const ReplicationResult&)> value;
};

std::vector<Output> outputs(const model::Scenario& base, const std::vector<std::string>& metrics) {
  const std::vector<std::string> specs = metrics.empty() ? std::vector<std::string>{"(total):all:outcome_cost"} : metrics;
  std::vector<Output> out;
  for (const auto& spec : specs) {
    const auto a = spec.find(':'), b = spec.rfind(':');
    if (a == std::string::npos || a == b)
      throw std::invalid_argument(fmt::format("--metric '{}': expected SERVICE:AREA:METRIC, e.g. refuge:all:wait_p90", spec));
    Output o{spec, "", nullptr};
    o.value = measure(base, spec.substr(0, a), spec.substr(a + 1, b - a - 1), spec.substr(b + 1), &o.units);
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace

void check_metrics(const model::Scenario& base, const std::vector<std::string>& metrics) { (void)outputs(base, metrics); }

namespace {

/// A parameter is one assumption, or with `vary_only` a group: every assumption matching a pattern such as
/// `pools.refuge-*.duration.median` moves together, as one assumption written in several pools.
std::vector<std::pair<std::string, std::vector<scenario::Assumption>>> parameters(
    const std::vector<scenario::Assumption>& all, const std::string& vary_only,
    const Messages& note) {
  std::vector<std::pair<std::string, std::vector<scenario::Assumption>>> groups;
  if (vary_only.empty()) {
    for (const auto& a : all) groups.push_back({a.key, {a}});
    return groups;
  }
  std::stringstream patterns(vary_only);
  for (std::string pattern; std::getline(patterns, pattern, ',');) {
    std::vector<scenario::Assumption> matched;
    for (const auto& a : all)
      if (::fnmatch(pattern.c_str(), a.key.c_str(), 0) == 0) matched.push_back(a);
    if (matched.empty()) note(fmt::format("sensitivity: no parameter marked `assumption` matches '{}'", pattern));
    else groups.push_back({pattern, matched});
  }
  return groups;
}

/// The value times `factor`; an integer stays an integer and always moves by at least one.
double scaled(const scenario::Assumption& a, double factor) {
  double v = a.value * factor;
  if (a.integer) {
    v = std::round(v);
    if (v == a.value) v = a.value + (factor < 1 ? -1 : 1);
  }
  return v;
}

struct Variant {
  std::string name, where;
  double value, low, high;
};

}  // namespace

void run_sensitivity(RunRecord& record, const VariantSource& source, const SensitivityOptions& o,
                     const RunnerOptions& runner, const Messages& note, const Messages& info,
                     const std::function<void(std::size_t, std::size_t)>& progress) {
  const ScenarioRun& baseline = record.scenarios.front();
  const model::Scenario& base = *baseline.scenario;
  const int reps = std::min(o.replications, record.replications);
  const std::vector<Output> outs = outputs(base, o.metrics);
  std::vector<Variant> variants;
  std::vector<model::Scenario> scenarios;  // low, high for each variant
  for (const auto& [name, members] : parameters(source.assumptions, o.vary_only, note)) {
    std::vector<scenario::Override> low, high;
    for (const auto& a : members)
      if (a.value != 0) {  // nothing to scale
        low.push_back({a.key, scaled(a, 1 - o.spread)});
        high.push_back({a.key, scaled(a, 1 + o.spread)});
      }
    if (low.empty()) continue;
    try {
      model::Scenario lo = source.load(low), hi = source.load(high);
      lo.name = fmt::format("{}[{} low]", base.name, name);
      hi.name = fmt::format("{}[{} high]", base.name, name);
      scenarios.push_back(std::move(lo));
      scenarios.push_back(std::move(hi));
      const auto& first = members.front();
      variants.push_back({name, members.size() > 1 ? fmt::format("{} (+{} more)", first.where, members.size() - 1) : first.where,
                          first.value, low.front().value, high.front().value});
    } catch (const scenario::LoadError& e) {
      note(fmt::format("sensitivity: leaving out {}: {}", name, e.what()));
    }
  }
  if (variants.empty()) {
    note(fmt::format("sensitivity: no parameter marked `assumption` in {}{}", source.file,
                     o.vary_only.empty() ? "" : " matches --vary-only"));
    return;
  }
  std::vector<const model::Scenario*> pointers;
  for (const auto& s : scenarios) pointers.push_back(&s);
  std::vector<Task> tasks;
  for (int r = 0; r < reps; ++r)
    for (std::size_t v = 0; v < scenarios.size(); ++v) tasks.push_back({static_cast<int>(v), static_cast<std::uint64_t>(r)});
  std::vector<std::vector<ReplicationResult>> results(scenarios.size(), std::vector<ReplicationResult>(reps));
  info(fmt::format("sensitivity: {} assumptions, low and high, {} replications each", variants.size(), reps));
  std::size_t done = 0;
  progress(0, tasks.size());
  RunnerOptions plain = runner;
  plain.monthly_by_pool = false;  // the variants' monthly series are not kept
  if (!run_tasks(pointers, tasks, plain, [&](const Task& t, ReplicationResult&& r) {
        results[t.scenario][t.replication] = std::move(r);
        progress(++done, tasks.size());
      })) {
    // The main run is complete and worth keeping; only the sensitivity table is lost.
    note("sensitivity: interrupted; the main results are written without it");
    return;
  }
  for (std::size_t v = 0; v < variants.size(); ++v)
    for (const Output& out : outs) {
      std::vector<double> base_values, low, high;
      for (int r = 0; r < reps; ++r) {
        base_values.push_back(out.value(baseline.replications[r]));
        low.push_back(out.value(results[2 * v][r]));
        high.push_back(out.value(results[2 * v + 1][r]));
      }
      SensitivityRow row{variants[v].name, variants[v].where, out.spec, out.units, variants[v].value, variants[v].low,
                         variants[v].high, stats::summarize(base_values).mean, stats::summarize(low).mean,
                         stats::summarize(high).mean, stats::summarize(stats::paired_differences(low, base_values)),
                         stats::summarize(stats::paired_differences(high, base_values))};
      record.sensitivity.push_back(std::move(row));
    }
  record.sensitivity_replications = reps;
}

}  // namespace dasim::batch
