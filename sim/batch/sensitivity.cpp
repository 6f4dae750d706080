#include "batch/sensitivity.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/format.h>
#include <fnmatch.h>
#include <optional>
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

/// The parameters to vary, by name: with `vary_only`, its patterns (each group of assumptions matching one, such as
/// `pools.refuge-*.duration.median`, moves together, as one assumption written in several pools); else every
/// assumption's key, in the order the options first give them.
std::vector<std::string> parameter_names(const std::vector<VariantSource>& sources, const std::string& vary_only,
                                         const Messages& note) {
  std::vector<std::string> names;
  auto add = [&](const std::string& n) { if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n); };
  if (vary_only.empty()) {
    for (const auto& source : sources)
      for (const auto& a : source.assumptions) add(a.key);
    return names;
  }
  std::stringstream patterns(vary_only);
  for (std::string pattern; std::getline(patterns, pattern, ',');) {
    bool matched = false;
    for (const auto& source : sources)
      for (const auto& a : source.assumptions) matched = matched || ::fnmatch(pattern.c_str(), a.key.c_str(), 0) == 0;
    if (!matched) note(fmt::format("sensitivity: no parameter marked `assumption` matches '{}'", pattern));
    else add(pattern);
  }
  return names;
}

/// One option's assumptions that a parameter name stands for (none when the option does not have it).
std::vector<scenario::Assumption> members(const VariantSource& source, const std::string& name, bool pattern) {
  std::vector<scenario::Assumption> out;
  for (const auto& a : source.assumptions)
    if (pattern ? ::fnmatch(name.c_str(), a.key.c_str(), 0) == 0 : a.key == name) out.push_back(a);
  return out;
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

constexpr int kMainRun = -1;  // an option without the parameter: its main run stands at both settings

struct Variant {
  std::string name, where;
  double value, low, high;
  std::vector<std::array<int, 2>> runs;  // per option: the low and high variant's index, or kMainRun
};

}  // namespace

void run_sensitivity(RunRecord& record, const std::vector<VariantSource>& sources, const SensitivityOptions& o,
                     const RunnerOptions& runner, const Messages& note, const Messages& info,
                     const std::function<void(std::size_t, std::size_t)>& progress) {
  const std::size_t options = std::min(sources.size(), record.scenarios.size());
  const int reps = std::min(o.replications, record.replications);
  // Each option's outputs, measured in its own results; an option that lacks one (a service it leaves out) is
  // left out of that output's rows only.
  std::vector<std::vector<std::optional<Output>>> outs(options);
  const std::vector<Output> base_outs = outputs(*record.scenarios.front().scenario, o.metrics);
  for (std::size_t s = 0; s < options; ++s)
    for (const Output& out : base_outs) {
      try {
        outs[s].push_back(outputs(*record.scenarios[s].scenario, {out.spec}).front());
      } catch (const std::invalid_argument&) {
        note(fmt::format("sensitivity: {} has no {}; its rows for it are left out", record.scenarios[s].scenario->name, out.spec));
        outs[s].push_back(std::nullopt);
      }
    }
  std::vector<Variant> variants;
  std::vector<model::Scenario> scenarios;  // the variants that need a run, low and high in turn
  for (const auto& name : parameter_names(std::vector<VariantSource>(sources.begin(), sources.begin() + options), o.vary_only, note)) {
    Variant variant{name, "", 0, 0, 0, std::vector<std::array<int, 2>>(options, {kMainRun, kMainRun})};
    std::vector<model::Scenario> loaded;
    bool described = false;
    try {
      for (std::size_t s = 0; s < options; ++s) {
        const auto found = members(sources[s], name, !o.vary_only.empty());
        std::vector<scenario::Override> low, high;
        for (const auto& a : found)
          if (a.value != 0) {  // nothing to scale
            low.push_back({a.key, scaled(a, 1 - o.spread)});
            high.push_back({a.key, scaled(a, 1 + o.spread)});
          }
        if (low.empty()) continue;
        const std::string option = record.scenarios[s].scenario->name;
        model::Scenario lo = sources[s].load(low), hi = sources[s].load(high);
        lo.name = fmt::format("{}[{} low]", option, name);
        hi.name = fmt::format("{}[{} high]", option, name);
        const int first = static_cast<int>(scenarios.size() + loaded.size());
        variant.runs[s] = {first, first + 1};
        loaded.push_back(std::move(lo));
        loaded.push_back(std::move(hi));
        if (!described) {  // the values shown are those of the first option that has the parameter
          described = true;
          const auto& a = found.front();
          variant.where = found.size() > 1 ? fmt::format("{} (+{} more)", a.where, found.size() - 1) : a.where;
          variant.value = a.value, variant.low = low.front().value, variant.high = high.front().value;
        }
      }
    } catch (const scenario::LoadError& e) {
      note(fmt::format("sensitivity: leaving out {}: {}", name, e.what()));
      continue;
    }
    if (!described) continue;
    for (auto& l : loaded) scenarios.push_back(std::move(l));
    variants.push_back(std::move(variant));
  }
  if (variants.empty()) {
    note(fmt::format("sensitivity: no parameter marked `assumption` in {}{}", sources.front().file,
                     o.vary_only.empty() ? "" : " matches --vary-only"));
    return;
  }
  std::vector<const model::Scenario*> pointers;
  for (const auto& s : scenarios) pointers.push_back(&s);
  std::vector<Task> tasks;
  for (int r = 0; r < reps; ++r)
    for (std::size_t v = 0; v < scenarios.size(); ++v) tasks.push_back({static_cast<int>(v), static_cast<std::uint64_t>(r)});
  std::vector<std::vector<ReplicationResult>> results(scenarios.size(), std::vector<ReplicationResult>(reps));
  info(fmt::format("sensitivity: {} assumptions, low and high, in {} options: {} runs of {} replications each",
                   variants.size(), options, scenarios.size(), reps));
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
  // One output of option s at a setting (0 low, 1 high, else the main run), replication by replication.
  auto series = [&](const Variant& v, std::size_t s, const Output& out, int end) {
    std::vector<double> values;
    for (int r = 0; r < reps; ++r) {
      const int run = end < 0 ? kMainRun : v.runs[s][end];
      values.push_back(out.value(run == kMainRun ? record.scenarios[s].replications[r] : results[run][r]));
    }
    return values;
  };
  for (const Variant& v : variants)
    for (std::size_t k = 0; k < base_outs.size(); ++k)
      for (std::size_t s = 0; s < options; ++s) {
        if (!outs[s][k]) continue;
        const Output& out = *outs[s][k];
        const std::vector<double> main = series(v, s, out, -1), low = series(v, s, out, 0), high = series(v, s, out, 1);
        SensitivityRow row{v.name, v.where, out.spec, out.units, v.value, v.low, v.high, stats::summarize(main).mean,
                           stats::summarize(low).mean, stats::summarize(high).mean,
                           stats::summarize(stats::paired_differences(low, main)),
                           stats::summarize(stats::paired_differences(high, main))};
        row.scenario = record.scenarios[s].scenario->name;
        if (s > 0 && outs[0][k]) {
          const Output& base_out = *outs[0][k];
          const std::vector<double> d = stats::paired_differences(main, series(v, 0, base_out, -1));
          const std::vector<double> d_low = stats::paired_differences(low, series(v, 0, base_out, 0));
          const std::vector<double> d_high = stats::paired_differences(high, series(v, 0, base_out, 1));
          row.difference_base = stats::summarize(d).mean;
          row.difference_at_low = stats::summarize(d_low).mean;
          row.difference_at_high = stats::summarize(d_high).mean;
          row.difference_change_low = stats::summarize(stats::paired_differences(d_low, d));
          row.difference_change_high = stats::summarize(stats::paired_differences(d_high, d));
        }
        record.sensitivity.push_back(std::move(row));
      }
  record.sensitivity_replications = reps;
}

}  // namespace dasim::batch
