// `dasim size`: parse, refuse bad input before any replication, search each option, report, write (docs/size.md).
#include "cli/size_command.hpp"

#include "cli/console.hpp"

#include <chrono>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <optional>
#include <set>
#include <unistd.h>

#include "batch/figures.hpp"
#include "batch/plan.hpp"
#include "batch/runner.hpp"
#include "batch/size_answer.hpp"
#include "cli/commands.hpp"
#include "output/run_files.hpp"
#include "output/sizing_file.hpp"
#include "output/writers.hpp"
#include "scenario/loader.hpp"

namespace fs = std::filesystem;

namespace dasim::cli {

void check_results_name(const std::string& name);  // commands.cpp

namespace {

constexpr int kNoAnswer = 3;

const char* kProcedure =
    "bisection on the integer capacity level, each level judged by a sequential 95% t-interval on common random "
    "numbers (replications at fixed counts, doubling from the initial to the maximum, until the interval lies on one "
    "side of the threshold): the repeated-sampling bisection of Waeber, Frazier and Henderson (2013), with the "
    "fixed-width sequential interval of Chow and Robbins (1965); monotonicity checked by paired-t intervals between "
    "neighbouring levels visited";

std::map<std::string, std::string> selections_of(const SizeOptions& o, const std::string& service) {
  std::map<std::string, std::string> out{{"service", service}, {"area", o.area.empty() ? "all" : o.area}};
  for (const std::string& s : o.selections) {
    const auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == s.size())
      throw std::invalid_argument(fmt::format("--select '{}': write it as AXIS=LABEL, e.g. risk=high", s));
    const std::string axis = s.substr(0, eq);
    if (axis == "service" || axis == "area")
      throw std::invalid_argument(fmt::format("--select '{}': use --service or --area for that axis", s));
    out[axis] = s.substr(eq + 1);
  }
  if (!o.risk.empty()) out["risk"] = o.risk;  // the same cell as --select risk=LEVEL
  return out;
}

std::string selection_text(const std::map<std::string, std::string>& selections) {
  std::string out;
  for (const auto& [axis, label] : selections) out += (out.empty() ? "" : ", ") + axis + "=" + label;
  return out;
}

std::string money(double x) { return pounds(x); }

std::string signed_money(double x) { return x >= 0.5 ? "+" + money(x) : x <= -0.5 ? money(x) : "no change"; }

std::string interval(const stats::Summary& s) { return fmt::format("{:.3g} (95% CI {:.3g} to {:.3g})", s.mean, s.ci_low, s.ci_high); }

/// The answer in plain English, with display names.
void print_answer(const batch::SizingAnswer& a) {
  const model::Scenario& option = *a.plan.option;
  const std::string service = model::DisplayNames::of(option.display_names.services, option.services[a.plan.service]);
  const batch::SizeOutcome& o = a.outcome;
  fmt::print("\n{}: {}\n", option.display_name, service);
  const auto effort = [&] {
    fmt::print("  The search visited {} levels and ran {} replications in {:.1f} s.\n", o.levels.size(),
               o.replications, a.seconds);
  };
  fmt::print("  Target: {} {} {:g}, judged on the {} end of its 95% confidence interval.\n", a.cell.description,
             a.target.at_least ? "at least" : "at most", a.target.threshold, a.target.at_least ? "lower" : "upper");
  if (o.status != batch::SizeStatus::found && o.status != batch::SizeStatus::between) {
    fmt::print("  No answer: {}.\n", o.message);
    effort();
    return;
  }
  fmt::print("  Least capacity that meets it: {} {} (the option as given has {}{}).\n", o.level, a.plan.unit,
             a.plan.base_level, o.status == batch::SizeStatus::between ? fmt::format("; {}", o.message) : "");
  fmt::print("  At {} {}: {}.\n", o.level, a.plan.unit, interval(o.levels.at(o.level).summary));
  if (o.below >= 0) fmt::print("  At {} {}: {}.\n", o.below, a.plan.unit, interval(o.levels.at(o.below).summary));
  const std::vector<double> given = batch::costs_by_funder(option), found = batch::costs_by_funder(a.at_answer);
  if (!found.empty()) {
    fmt::print("  Annual service cost by funder at {} {} (change from the option as given):\n", o.level, a.plan.unit);
    double total = 0, before = 0;
    for (std::size_t f = 0; f < found.size(); ++f) {
      const double was = f < given.size() ? given[f] : 0;
      total += found[f], before += was;
      fmt::print("    {:<40} {:>12} ({})\n", model::DisplayNames::of(option.display_names.funders, a.at_answer.funders[f]),
                 money(found[f]), signed_money(found[f] - was));
    }
    fmt::print("    {:<40} {:>12} ({})\n", "All funders", money(total), signed_money(total - before));
  } else {
    fmt::print("  No contract pays for this service in the scenario, so no cost is given.\n");
  }
  fmt::print("  Other services at {} {} (share started within target; mean wait in days):\n", o.level, a.plan.unit);
  for (const batch::SizingRow& r : batch::sizing_rows(a)) {
    if (r.kind != "other" || r.name != "within_target") continue;
    const auto wait = batch::measure(a.at_answer, r.service, "all", "wait_mean");
    std::vector<double> waits;
    for (const auto& rep : a.results) waits.push_back(wait(rep));
    fmt::print("    {:<40} {:>6.3f}   {:>7.1f}\n", model::DisplayNames::of(option.display_names.services, r.service),
               r.summary.mean, stats::summarize(waits).mean);
  }
  effort();
}

}  // namespace

CLI::App* add_size_command(CLI::App& app, SizeOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "size", "Find the least capacity of a service, and its cost by funder, that meets a target under each option");
  cmd->add_option("scenarios", o.scenarios, "Scenario files (TOML): each option is sized on the same random numbers")->required();
  cmd->add_option("--service", o.services, "The service whose capacity is searched, e.g. idva (repeat it, each with its "
                  "--target, to size several one after another)")->required();
  cmd->add_option("--target", o.targets, "METRIC >= NUMBER or METRIC <= NUMBER, e.g. \"within_target >= 0.9\"")->required();
  cmd->add_option("--area", o.area, "Size only the pools serving this area, judged on this area's measure (default: all areas)");
  cmd->add_option("--risk", o.risk, "Judge the target on one risk level's measure, e.g. high (as --select risk=high)");
  cmd->add_option("--select", o.selections, "AXIS=LABEL on another axis of the target measure (repeatable)");
  cmd->add_option("-r,--replications", o.replications, "Replications at each level first")->check(CLI::Range(3, 100000))->capture_default_str();
  cmd->add_option("--max-replications", o.max_replications, "Most replications at a level near the boundary")
      ->check(CLI::Range(3, 100000))->capture_default_str();
  cmd->add_option("--ceiling", o.ceiling, "Most capacity tried, in the service's unit (default: four times the option's, and at least ten more)")
      ->check(CLI::Range(1, 10'000'000));
  cmd->add_option("-s,--seed", o.seed, "Master seed: the same seed gives the same answer with any --jobs");
  cmd->add_option("-j,--jobs", o.jobs, "Worker processes running replications at once")->check(CLI::Range(1, 1024));
  cmd->add_option("-o,--output", o.output, "Folder for results files")->capture_default_str();
  cmd->add_option("-n,--name", o.name, "Base name of the results files (default: size-SERVICE)");
  cmd->add_flag("--force", o.force, "Overwrite existing results files of the same name");
  cmd->add_flag("-q,--quiet", o.quiet, "Results files and the one-line answers only");
  return cmd;
}

namespace {

/// Searches one service of `option` and keeps what the answer needs (the scenario and results at its level).
batch::SizingAnswer size_one(const model::Scenario& option, const std::string& service, const batch::Target& target,
                             const std::map<std::string, std::string>& selections, const SizeOptions& o,
                             const batch::RunnerOptions& runner) {
  batch::SizingAnswer a;
  a.plan = batch::plan_capacity(option, service, o.area);
  a.target = target;
  a.cell = batch::find_cell(option, target.metric, selections);
  a.selection = selection_text(selections);
  batch::SizeRule rule;
  rule.initial = o.replications;
  rule.maximum = o.max_replications;
  rule.floor = a.plan.floor();
  rule.ceiling = o.ceiling > 0 ? o.ceiling : std::max(4 * a.plan.base_level, a.plan.base_level + 10);
  // Each level's scenario and results, kept so that the answer's level need not be run again.
  std::map<int, model::Scenario> scenarios;
  std::map<int, std::vector<batch::ReplicationResult>> results;
  const batch::LevelMeasure measure = [&](int level, int from, int to) {
    auto s = scenarios.find(level);
    if (s == scenarios.end()) s = scenarios.emplace(level, batch::at_level(a.plan, level)).first;
    std::vector<batch::Task> tasks;
    for (int r = from; r < to; ++r) tasks.push_back({0, static_cast<std::uint64_t>(r)});
    std::vector<batch::ReplicationResult>& kept = results[level];
    kept.resize(static_cast<std::size_t>(to));
    const bool finished = batch::run_tasks({&s->second}, tasks, runner, [&](const batch::Task& t, batch::ReplicationResult&& r) {
      kept[t.replication] = std::move(r);
    });
    if (!finished) throw std::runtime_error("interrupted: nothing was written");
    const batch::MeasureCell cell = batch::find_cell(s->second, target.metric, selections);
    std::vector<double> values;
    for (int r = from; r < to; ++r) values.push_back(cell.value(kept[static_cast<std::size_t>(r)]));
    if (!o.quiet) fmt::print(stderr, "  {}: {} {} {}, replications {}-{}\n", option.name, service, level, a.plan.unit, from, to - 1);
    return values;
  };
  const auto started = std::chrono::steady_clock::now();
  a.outcome = batch::search(target, a.plan.base_level, rule, measure);
  a.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (a.outcome.status == batch::SizeStatus::found || a.outcome.status == batch::SizeStatus::between) {
    a.at_answer = std::move(scenarios.at(a.outcome.level));
    a.results = std::move(results.at(a.outcome.level));
  }
  return a;
}

}  // namespace

int size(const SizeOptions& o) {
  // Everything that can be refused is refused before the first replication.
  if (o.services.size() != o.targets.size())
    throw std::invalid_argument(fmt::format("{} --service but {} --target: give one target for each service",
                                            o.services.size(), o.targets.size()));
  std::vector<batch::Target> targets;
  std::vector<std::map<std::string, std::string>> selections;
  for (std::size_t k = 0; k < o.services.size(); ++k) {
    targets.push_back(batch::parse_target(o.targets[k]));
    selections.push_back(selections_of(o, o.services[k]));
  }
  if (o.max_replications < o.replications)
    throw std::invalid_argument(fmt::format("--max-replications {} is below --replications {}", o.max_replications, o.replications));
  std::vector<model::Scenario> options;
  std::set<std::string> names;
  for (const std::string& f : o.scenarios) {
    options.push_back(scenario::load(f));
    if (!names.insert(options.back().name).second)
      throw std::invalid_argument(fmt::format("{}: scenario name '{}' is used by another scenario here", f, options.back().name));
  }
  for (const model::Scenario& option : options)
    for (std::size_t k = 0; k < o.services.size(); ++k) {
      const batch::CapacityPlan plan = batch::plan_capacity(option, o.services[k], o.area);
      if (o.ceiling > 0 && o.ceiling < plan.floor())
        throw std::invalid_argument(fmt::format("--ceiling {} is below {}, one {} in each pool of '{}'", o.ceiling,
                                                plan.floor(), plan.unit, o.services[k]));
      batch::find_cell(option, targets[k].metric, selections[k]);
    }
  std::string joined;
  for (const auto& s : o.services) joined += (joined.empty() ? "" : "+") + s;
  const std::string name = o.name.empty() ? "size-" + joined : o.name;
  check_results_name(name);
  const fs::path dir = o.output;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir) || ::access(dir.c_str(), W_OK) != 0)
    throw output::OutputError(fmt::format("{}: cannot create or write the output folder", dir.string()));
  output::RunFiles files(dir, name, [](const std::string& m) { fmt::print(stderr, "{}\n", m); });
  const fs::path h5 = files.final_path(".h5"), csv = files.final_path("-sizing.csv");
  if (!o.force && (fs::exists(h5) || fs::exists(csv)))
    throw output::OutputError(fmt::format("{} already exists: choose another --name or --output, or pass --force to overwrite it", h5.string()));

  const batch::RunnerOptions runner{o.seed, o.jobs, &batch::stop_on_signals(), false};
  bool every_answered = true;
  std::vector<batch::SizingAnswer> answers;
  answers.reserve(options.size() * o.services.size());  // never moves: a later service's option is an earlier answer
  std::vector<const batch::SizingAnswer*> final_of_option;
  for (const model::Scenario& option : options) {
    const model::Scenario* current = &option;
    for (std::size_t k = 0; k < o.services.size() && current; ++k) {
      answers.push_back(size_one(*current, o.services[k], targets[k], selections[k], o, runner));
      print_answer(answers.back());
      const batch::SizeStatus status = answers.back().outcome.status;
      const bool answered = status == batch::SizeStatus::found || status == batch::SizeStatus::between;
      every_answered = every_answered && answered;
      current = answered ? &answers.back().at_answer : nullptr;  // the next service is sized with this one at its answer
    }
    if (current) final_of_option.push_back(&answers.back());
  }
  if (!every_answered) {
    fmt::print(stderr, "\ndasim: size: not every option has an answer (above); no results files were written\n");
    return kNoAnswer;
  }
  // The results file holds each option at the capacity found (replications all of them ran), and /sizing.
  std::size_t n = final_of_option.front()->results.size();
  for (const auto* a : final_of_option) n = std::min(n, a->results.size());
  std::vector<model::Scenario> found;
  for (const auto* a : final_of_option) found.push_back(a->at_answer);
  batch::RunRecord record = batch::new_record(found, o.seed, static_cast<int>(n), false);
  record.replication_procedure = fmt::format("dasim size: {}", kProcedure);
  for (std::size_t k = 0; k < final_of_option.size(); ++k)
    for (std::size_t r = 0; r < n; ++r) {
      record.scenarios[k].replications[r] = final_of_option[k]->results[r];
      record.scenarios[k].done[r] = true;
    }
  std::vector<batch::SizingRow> rows;
  for (const auto& a : answers)
    for (auto& row : batch::sizing_rows(a)) rows.push_back(std::move(row));
  batch::SizeRule rule;
  rule.initial = o.replications;
  rule.maximum = o.max_replications;
  try {
    output::write_hdf5(record, batch::summarise(record), files.staged_path(".h5"));
    output::add_sizing_group(files.staged_path(".h5"), answers, kProcedure, rule);
    output::write_sizing_csv(rows, files.staged_path("-sizing.csv"));
  } catch (...) {
    for (const char* s : {".h5", "-sizing.csv"}) fs::remove(files.staged_path(s), ec);
    throw;
  }
  files.publish({".h5", "-sizing.csv"}, {});
  fmt::print("\nresults: {} and {}\n", h5.string(), csv.string());
  return 0;
}

}  // namespace dasim::cli
