#include "cli/commands.hpp"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <memory>
#include <optional>
#include <set>
#include <unistd.h>

#include "batch/figures.hpp"
#include "batch/plan.hpp"
#include "batch/precision.hpp"
#include "batch/schema.hpp"
#include "batch/sensitivity.hpp"
#include "cli/console.hpp"
#include "output/run_files.hpp"
#include "output/writers.hpp"
#include "scenario/loader.hpp"
#include "serve/serve.hpp"

namespace fs = std::filesystem;

namespace dasim::cli {

namespace {

std::string default_name(const std::vector<model::Scenario>& scenarios) {
  std::string name;
  for (const auto& s : scenarios) { if (!name.empty()) name += "+"; name += s.name; }
  return name.size() > 120 ? name.substr(0, 120) : name;
}

std::vector<model::Scenario> load_all(const std::vector<std::string>& files) {
  std::vector<model::Scenario> out;
  std::set<std::string> names;
  for (const auto& f : files) {
    out.push_back(scenario::load(f));
    if (!names.insert(out.back().name).second)
      throw scenario::LoadError(fmt::format("{}: scenario name '{}' is used by another scenario in this run", f, out.back().name));
  }
  return out;
}

/// Progress of this rank's replications, on stderr (rank 0 only) unless quiet.
std::function<void(std::size_t, std::size_t)> progress_bar(bool quiet, std::unique_ptr<Progress>& bar, bool every_line) {
  return [quiet, &bar, every_line](std::size_t done, std::size_t of) {
    if (!bar) bar = std::make_unique<Progress>(of, quiet || !batch::ranks().root(), every_line);
    bar->update(done);
  };
}

/// The baseline's variants for a sensitivity run, read from the files that ran (kept in the scenario), so an edit
/// to a file since the run started cannot mix with its results.
batch::VariantSource variants_of(const model::Scenario& base) {
  batch::VariantSource source{base.source_files.empty() ? base.name : base.source_files.back().first, scenario::assumptions(base), nullptr};
  source.load = [&base](const std::vector<scenario::Override>& overrides) { return scenario::reload(base, overrides); };
  return source;
}

void write_partial(const batch::RunRecord& record, output::RunFiles& files) {
  const batch::RunSummary summary = batch::summarise(record);
  files.replace(".h5.partial", [&](const fs::path& tmp) { output::write_hdf5(record, summary, tmp); });
}

void note(const std::string& message) { fmt::print(stderr, "{}\n", message); }

}  // namespace

int run(std::vector<model::Scenario> scenarios, const RunOptions& o) {
  const fs::path dir = o.output;
  const std::string name = o.name.empty() ? default_name(scenarios) : o.name;
  const fs::path h5 = dir / (name + ".h5"), csv = dir / (name + "-summary.csv"), partial = dir / (name + ".h5.partial");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) throw output::OutputError(fmt::format("{}: cannot create the output folder: {}", dir.string(), ec.message()));
  if (::access(dir.c_str(), W_OK) != 0) throw output::OutputError(fmt::format("{}: the output folder is not writable", dir.string()));
  const bool single = o.only_replication >= 0;
  // The run's name is this process's until it ends (a rerun of one replication writes nothing, so takes nothing).
  std::optional<output::RunFiles> files;
  if (!single && batch::ranks().root()) files.emplace(dir, name, note);
  if (!single && !o.force && !o.resume && (fs::exists(h5) || fs::exists(csv)))
    throw output::OutputError(fmt::format("{} already exists: choose another --name or --output, or pass --force to overwrite it", h5.string()));
  const fs::path journal = output::RunFiles::journal_of(dir, name);
  if (!single && !o.force && !o.resume && fs::exists(journal))
    throw output::OutputError(fmt::format("{}: an interrupted run of this name kept its finished replications there; finish "
                                          "it with the same command and --resume, or pass --force to start afresh",
                                          journal.string()));

  batch::RunRecord record = batch::new_record(scenarios, o.seed, o.replications, o.monthly_by_pool);
  auto store = [&](int scenario, batch::ReplicationResult&& r) {
    batch::ScenarioRun& run = record.scenarios.at(scenario);
    run.done.at(r.replication) = true;
    run.replications[r.replication] = std::move(r);
  };
  const output::RunIdentity identity = output::identity_of(scenarios, o.seed, o.replications, o.monthly_by_pool);
  if (o.resume) {
    if (!fs::exists(partial) && !fs::exists(journal))
      throw output::OutputError(fmt::format("{}: nothing to resume (no partial results file or journal of that name)", partial.string()));
    if (fs::exists(partial)) output::read_hdf5_for_resume(record, partial);
    if (!batch::ranks().root() && fs::exists(journal)) output::read_journal(journal, &identity, store);
  }
  // Every rank checks and reads the run's files before rank 0 opens the journal (which creates or extends it), so
  // all plan from the same finished replications: the gather returns at rank 0 only once every rank has sent.
  if (batch::ranks().size > 1) batch::gather_at_root("");
  if (files) files->open_journal(identity, o.resume, store);
  if (single && o.only_replication >= o.replications)
    throw std::invalid_argument(fmt::format("--only-replication {} is not below --replications {}", o.only_replication, o.replications));
  if (o.precision > 0 && (single || batch::ranks().size > 1))
    throw std::invalid_argument("--precision decides in one process (use --jobs for more workers); it cannot be "
                                "combined with MPI ranks or --only-replication");

  const batch::RunnerOptions runner{o.seed, o.jobs, &batch::stop_on_signals(), o.monthly_by_pool};
  std::unique_ptr<Progress> bar;
  const auto started = std::chrono::steady_clock::now();
  auto journal_result = [&](int scenario, const batch::ReplicationResult& r) {
    if (files) files->append(scenario, r);
  };
  std::vector<batch::Task> tasks;
  batch::PlanOutcome outcome;
  if (o.precision > 0) {
    // Rounds of replications until the rule decides; it looks at replications in order only, so rounds (sized
    // by --jobs) change how many are run ahead, never the count chosen.
    const batch::PrecisionRule rule{o.precision, 0.95, 3, 5, o.replications};
    const std::vector<batch::KeyMeasure> keys = batch::key_measures(record);
    batch::PrecisionDecision decision;
    for (int target = std::min(rule.maximum, rule.initial + rule.look_ahead);;
         target = std::min(rule.maximum, target + std::max({2 * o.jobs, batch::look_ahead(target, rule), target / 4}))) {
      std::vector<batch::Task> round;
      for (const batch::Task& t : batch::plan_tasks(record))
        if (t.replication < static_cast<std::uint64_t>(target)) round.push_back(t);
      const batch::PlanOutcome part = batch::run_plan(record, round, runner, progress_bar(o.quiet, bar, o.progress_lines), journal_result);
      tasks.insert(tasks.end(), round.begin(), round.end());
      outcome.done += part.done;
      outcome.failure = part.failure;
      outcome.finished = part.finished;
      if (!part.finished || !part.failure.empty()) break;
      decision = batch::decide(record, keys, target, rule);
      if (decision.decided) break;
    }
    if (decision.decided) {
      batch::keep_first(record, decision.replications);
      record.replication_procedure = fmt::format("sequential: relative precision {:g} of the 95% CI half-width on {} key "
                                                 "measures; Hoad, Robinson and Davies (2010), look-ahead {}, at most {}",
                                                 rule.relative, keys.size(), rule.look_ahead, rule.maximum);
      record.stop_reason = decision.reason;
      if (!o.quiet) fmt::print(stderr, "\n{} replications: {}\n", decision.replications, decision.reason);
    }
  } else {
    tasks = batch::plan_tasks(record, o.only_replication);
    outcome = batch::run_plan(record, tasks, runner, progress_bar(o.quiet, bar, o.progress_lines), journal_result);
  }
  if (!batch::ranks().root()) return outcome.failure.empty() ? 0 : 1;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  if (single) {
    // A rerun of one replication, for diagnosis: print it, write nothing.
    if (!outcome.failure.empty()) throw batch::ReplicationFailure(outcome.failure, 0, static_cast<std::uint64_t>(o.only_replication));
    batch::RunRecord one = record;
    for (auto& s : one.scenarios) {
      s.replications = {s.replications[o.only_replication]};
      s.done = {s.done[o.only_replication]};
    }
    one.replications = 1;
    print_summary(one, batch::summary_rows(one), o.by_area);
    return outcome.finished ? 0 : 130;
  }
  if (!outcome.failure.empty()) {
    write_partial(record, *files);
    throw batch::ReplicationFailure(outcome.failure + fmt::format("; the {} replications that finished are kept in {}",
                                                                  outcome.done, partial.string()), 0, 0);
  }
  if (!outcome.finished) {
    write_partial(record, *files);
    fmt::print(stderr, "\ninterrupted: {} of {} replications kept in {} (marked incomplete); finish with the same command and --resume\n",
               outcome.done, tasks.size(), partial.string());
    return 130;
  }
  if (o.sensitivity) {
    const batch::SensitivityOptions so{o.spread, o.sensitivity_replications, o.metrics, o.vary_only};
    std::unique_ptr<Progress> sensitivity_bar;
    batch::run_sensitivity(record, variants_of(scenarios.front()), so, runner,
                           [](const std::string& m) { fmt::print(stderr, "{}\n", m); },
                           [&o](const std::string& m) { if (!o.quiet) fmt::print(stderr, "{}\n", m); },
                           progress_bar(o.quiet, sensitivity_bar, o.progress_lines));
  }
  // Every final file is staged under this process's own name, then all are moved into place as one commit.
  const batch::RunSummary summary = batch::summarise(record);
  std::vector<std::string> suffixes{".h5", "-summary.csv"};
  if (!record.sensitivity.empty()) suffixes.push_back("-sensitivity.csv");
  try {
    output::write_hdf5(record, summary, files->staged_path(".h5"));
    output::write_csv(summary.rows, files->staged_path("-summary.csv"));
    if (!record.sensitivity.empty()) output::write_sensitivity_csv(record, files->staged_path("-sensitivity.csv"));
  } catch (...) {
    for (const auto& s : suffixes) fs::remove(files->staged_path(s), ec);
    throw;
  }
  files->publish(suffixes, {partial});
  if (!o.quiet) {
    print_summary(record, summary.rows, o.by_area);
    print_warmup(record, summary);
  }
  const std::size_t events_at = batch::totals_group().metric("events");
  double events = 0;
  for (const auto& s : record.scenarios)
    for (const auto& r : s.replications) events += r.totals.size() > events_at ? r.totals[events_at] : 0;
  fmt::print("\n{} replications in {:.1f} s ({:.0f} events/s with {} job{}); results: {} and {}\n", outcome.done, seconds,
             seconds > 0 ? events / seconds : 0, o.jobs, o.jobs == 1 ? "" : "s", h5.string(), csv.string());
  return 0;
}

int check(const std::vector<std::string>& files, std::uint64_t seed) {
  for (const auto& s : load_all(files)) {
    fmt::print("{}", scenario::describe(s));
    // Offered load needs the flow reaching each pool, which depends on routing and attributes; measure it from
    // one pilot replication rather than guess it.
    std::vector<const model::Scenario*> one{&s};
    batch::ReplicationResult pilot;
    batch::run_tasks(one, {{0, 0}}, {seed, 1, nullptr}, [&](const batch::Task&, batch::ReplicationResult&& r) { pilot = std::move(r); });
    const std::size_t areas = s.areas.size();
    const batch::Shape area_shape = batch::area_group().shape(s);
    const std::size_t entered = batch::area_group().metric("entered");
    fmt::print("\noffered load from a pilot replication (rho = arrivals x mean duration / capacity):\n");
    int warnings = 0;
    for (std::size_t p = 0; p < s.pools.size(); ++p) {
      const model::PoolSpec& pool = s.pools[p];
      if (pool.places() == 0) continue;  // a meeting holds no places
      // arrivals at this pool: its service's entries from the areas it serves
      double per_year = 0;
      for (std::size_t a = 0; a < areas; ++a)
        if (pool.serves_area[a]) per_year += pilot.area_metrics[area_shape.at({static_cast<std::size_t>(pool.service), a, entered})];
      const double hold = pool.mean_hold(), places = pool.places();
      const double rho = per_year / model::kDaysPerYear * hold / places;
      const bool over = rho >= 1 && !pool.declines_when_full();
      warnings += over;
      fmt::print("  {:<32} {:>9.1f} a year x {:>7.1f} d / {:>5.0f} places = rho {:.2f}{}\n", pool.name, per_year, hold, places, rho,
                 over ? "  WARNING: rho >= 1, the queue will grow without bound" : "");
    }
    if (warnings) fmt::print("{} pool(s) overloaded\n", warnings);
  }
  return 0;
}

/// The board-pack scripts: $DASIM_PLOTS_DIR if set, else plots/ beside the binary's folder (build/dasim in a
/// source tree) or share/dasim/plots of an installed tree.
fs::path plots_dir() {
  if (const char* env = std::getenv("DASIM_PLOTS_DIR"); env && *env) {
    if (!fs::exists(fs::path(env) / "board_pack.py"))
      throw std::runtime_error(fmt::format("DASIM_PLOTS_DIR={}: no board_pack.py there", env));
    return env;
  }
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  std::vector<fs::path> tried;
  if (!ec)
    for (const fs::path& candidate : {exe.parent_path().parent_path() / "plots", exe.parent_path() / "plots",
                                      exe.parent_path().parent_path() / "share" / "dasim" / "plots"}) {
      if (fs::exists(candidate / "board_pack.py")) return candidate;
      tried.push_back(candidate);
    }
  std::string where;
  for (const auto& t : tried) where += (where.empty() ? "" : ", ") + t.string();
  throw std::runtime_error(fmt::format("cannot find the board-pack scripts (plots/board_pack.py; looked in {}); set "
                                       "DASIM_PLOTS_DIR to the plots folder", where.empty() ? "no folder: the binary's path is unknown" : where));
}

int report(const std::string& results, const std::string& out, bool pdf, const std::string& baseline) {
  const fs::path script = plots_dir() / "board_pack.py";
  std::vector<std::string> args{"/usr/bin/python3", script.string(), results};
  if (!out.empty()) args.insert(args.end(), {"--out", out});
  if (!pdf) args.push_back("--no-pdf");
  if (!baseline.empty()) args.insert(args.end(), {"--baseline", baseline});
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::fflush(nullptr);
  ::execv(argv[0], argv.data());
  throw std::runtime_error(fmt::format("cannot run {}: {}", args[0], std::strerror(errno)));
}

namespace {
/// The options `run` and `sweep` share.
void add_run_options(CLI::App* cmd, RunOptions& o, bool& totals_only) {
  cmd->add_option("-r,--replications", o.replications, "Replications per scenario (with --precision: the most it may use)")
      ->check(CLI::Range(1, 10'000'000))
      ->each([&o](const std::string&) { o.replications_given = true; });
  cmd->add_option("--precision", o.precision,
                  "Add replications until every key measure's 95% CI half-width is within this share of its mean, "
                  "e.g. 0.02 (Hoad, Robinson & Davies 2010; docs/precision.md); -r is then the maximum (default 1000)")
      ->check(CLI::Range(1e-6, 1.0));
  cmd->add_option("-s,--seed", o.seed, "Master seed: the same seed gives identical results");
  cmd->add_option("-o,--output", o.output, "Folder for results files")->capture_default_str();
  cmd->add_option("-n,--name", o.name, "Base name of the results files (default: the scenario names joined by +, or the sweep file's name)");
  cmd->add_option("-j,--jobs", o.jobs, "Worker processes running replications at once")->check(CLI::Range(1, 1024));
  auto* force = cmd->add_flag("--force", o.force, "Overwrite existing results files of the same name");
  auto* resume = cmd->add_flag("--resume", o.resume, "Finish an interrupted run from its .h5.partial file");
  force->excludes(resume);
  resume->excludes(force);
  auto* only = cmd->add_option("--only-replication", o.only_replication, "Rerun one replication alone (prints it, writes nothing)")->check(CLI::NonNegativeNumber);
  only->excludes(resume);
  cmd->add_flag("--totals-only", totals_only, "Print figures for all areas together only (the default)");
  cmd->add_flag("--full-table", o.by_area, "Print each area's figures as well as all areas'");
  cmd->add_flag("--monthly-by-pool", o.monthly_by_pool,
                "Also store monthly series for every pool (pool_monthly_data; large for big batches)");
  cmd->add_flag("-q,--quiet", o.quiet, "No progress and no table (results files only)");
  cmd->add_flag("--progress-lines", o.progress_lines, "Off a terminal, print a progress line per finished replication");
}
}  // namespace

int main(int argc, char** argv) {
  batch::start_ranks(&argc, &argv);
  const int status = dispatch(argc, argv);
  batch::stop_ranks();
  return status;
}

int dispatch(int argc, char** argv) {
  CLI::App app{"dasim: discrete-event simulation of demand for domestic abuse services, for comparing commissioning options"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("dasim ") + DASIM_VERSION + " (" + output::build_commit() + ")");

  RunOptions o;
  bool totals_only = false;
  CLI::App* run_cmd = app.add_subcommand("run", "Run scenarios for N replications on common random numbers; write HDF5 and CSV results");
  run_cmd->add_option("scenarios", o.scenarios, "Scenario files (TOML); the first is the baseline for differences")->required()->check(CLI::ExistingFile);
  add_run_options(run_cmd, o, totals_only);
  run_cmd->add_flag("--sensitivity", o.sensitivity,
                    "Also vary each parameter of the baseline marked `assumption` one at a time (tornado-chart data)");
  run_cmd->add_option("--spread", o.spread, "Sensitivity: low and high are (1 - spread) and (1 + spread) times the value")
      ->check(CLI::Range(0.01, 0.99))->capture_default_str();
  run_cmd->add_option("--sensitivity-replications", o.sensitivity_replications, "Sensitivity: replications per variant")
      ->check(CLI::Range(2, 100000))->capture_default_str();
  run_cmd->add_option("--metric", o.metrics, "Sensitivity output SERVICE:AREA:METRIC, repeatable (default (total):all:outcome_cost)");
  run_cmd->add_option("--vary-only", o.vary_only,
                      "Sensitivity: comma-separated key patterns (* matches anything); each pattern's parameters vary together");

  std::string sweep_file;
  CLI::App* sweep_cmd = app.add_subcommand("sweep", "Run every point of a sweep file (lists or a grid of parameter values) on common random numbers");
  sweep_cmd->add_option("sweep", sweep_file, "Sweep file (TOML: scenario, mode, [[vary]] key/values)")->required()->check(CLI::ExistingFile);
  add_run_options(sweep_cmd, o, totals_only);

  std::vector<std::string> check_files;
  std::uint64_t check_seed = 1;
  CLI::App* check_cmd = app.add_subcommand("check", "Validate scenarios, print resolved parameters and each pool's offered load");
  check_cmd->add_option("scenarios", check_files, "Scenario files (TOML)")->required();
  check_cmd->add_option("-s,--seed", check_seed, "Seed of the pilot replication");

  std::string results, out;
  CLI::App* report_cmd = app.add_subcommand("report", "Write the charts and the board pack (HTML and PDF) from a results file");
  report_cmd->add_option("results", results, "Results file (.h5)")->required();
  report_cmd->add_option("--out", out, "Folder for the charts and the board pack (default: beside the results)");
  bool no_pdf = false;
  std::string report_baseline;
  report_cmd->add_option("--baseline", report_baseline,
                         "The option the others are compared with (the run's first scenario; another name is refused)");
  report_cmd->add_flag("--no-pdf", no_pdf, "Charts and HTML only (the PDF needs Chromium)");

  const serve::ServeCommand serve_cmd = serve::register_serve(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  try {
    if (totals_only) o.by_area = false;
    if (o.precision > 0 && !o.replications_given) o.replications = 1000;
    if (*run_cmd) return run(load_all(o.scenarios), o);
    if (*sweep_cmd) {
      const scenario::Sweep sweep = scenario::load_sweep(sweep_file);
      std::vector<model::Scenario> points;
      for (const auto& point : sweep.points) {
        points.push_back(scenario::load(sweep.scenario, point.overrides));
        points.back().name = point.name;
      }
      if (o.name.empty()) o.name = fs::path(sweep_file).stem().string();
      return run(std::move(points), o);
    }
    if (*check_cmd) return check(check_files, check_seed);
    if (*report_cmd) return report(results, out, !no_pdf, report_baseline);
    if (serve_cmd.chosen()) return serve_cmd.run();
  } catch (const scenario::LoadError& e) {
    fmt::print(stderr, "dasim: {}\n", e.what());
    return 2;
  } catch (const batch::ReplicationFailure& e) {
    fmt::print(stderr, "\ndasim: {}\n", e.what());
    return 1;
  } catch (const std::invalid_argument& e) {
    fmt::print(stderr, "dasim: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "dasim: {}\n", e.what());
    return 1;
  }
  return 0;
}

}  // namespace dasim::cli
