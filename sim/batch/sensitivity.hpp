#pragma once
// One-at-a-time sensitivity of every option: each parameter marked `assumption` (or, with `vary_only`, each group
// of them matching a pattern) set to (1 ∓ spread) × its value in every option that has it, on the same
// replications (common random numbers) as the main run's first `replications`. So the rows give both how far an
// assumption moves each option's result and how far it moves the difference between an option and the baseline,
// which is what a decision between them rests on. The rows go into the run record.
#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "batch/results.hpp"
#include "batch/runner.hpp"
#include "scenario/loader.hpp"

namespace dasim::batch {

struct SensitivityOptions {
  double spread = 0.25;
  int replications = 10;
  std::vector<std::string> metrics;  // SERVICE:AREA:METRIC; default (total):all:outcome_cost
  std::string vary_only;             // comma-separated key patterns, * matching anything
};

/// Where one option's variants come from: its assumptions, and the option with some values overridden.
struct VariantSource {
  std::string file;  // the option's file, for messages
  std::vector<scenario::Assumption> assumptions;
  std::function<model::Scenario(const std::vector<scenario::Override>&)> load;
};

using Messages = std::function<void(const std::string&)>;

/// Throws std::invalid_argument for a malformed --metric or one the baseline does not have: called before the main
/// run, so that a typo does not cost the run.
void check_metrics(const model::Scenario& base, const std::vector<std::string>& metrics);

/// Runs the variants and appends the rows to `record.sensitivity`; `sources` are parallel to `record.scenarios`
/// (the first is the baseline's). An option without a parameter keeps its main run's results at both settings, so
/// it costs nothing there. Warnings for the user (parameters left out, an interrupt) go to `note`, what is about to
/// run to `info`. Throws std::invalid_argument for a malformed --metric or one the baseline lacks.
void run_sensitivity(RunRecord& record, const std::vector<VariantSource>& sources, const SensitivityOptions& options,
                     const RunnerOptions& runner, const Messages& note, const Messages& info,
                     const std::function<void(std::size_t done, std::size_t of)>& progress);

}  // namespace dasim::batch
