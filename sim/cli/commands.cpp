#include "cli/commands.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <memory>
#include <optional>
#include <set>
#include <unistd.h>

#include "batch/collector.hpp"
#include "batch/figures.hpp"
#include "batch/plan.hpp"
#include "batch/precision.hpp"
#include "batch/schema.hpp"
#include "batch/sensitivity.hpp"
#include "cli/console.hpp"
#include "cli/size_command.hpp"
#include "output/run_files.hpp"
#include "output/hdf5.hpp"
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

/// An option's variants for a sensitivity run, read from the files that ran (kept in the scenario), so an edit
/// to a file since the run started cannot mix with its results.
batch::VariantSource variants_of(const model::Scenario& base) {
  batch::VariantSource source{base.source_files.empty() ? base.name : base.source_files.back().first, scenario::assumptions(base), nullptr};
  source.load = [&base](const std::vector<scenario::Override>& overrides) { return scenario::reload(base, overrides); };
  return source;
}

/// A time limit on reading a results file: HDF5 can spin for ever inside a damaged one (a zeroed block in its global
/// heap), and it cannot be interrupted safely, so past the limit the process says why and leaves (exit 2). The
/// limit grows with the file's size, far above what a whole file takes to read.
class ReadDeadline {
 public:
  explicit ReadDeadline(const fs::path& file) {
    std::error_code ec;
    const auto bytes = fs::file_size(file, ec);
    message() = fmt::format("\ndasim: {}: reading it did not finish in time: the file is damaged (HDF5 went round in "
                            "circles inside it); use another copy, or start the run again without --resume\n", file.string());
    std::signal(SIGALRM, [](int) {
      [[maybe_unused]] const ssize_t n = ::write(2, message().data(), message().size());
      _exit(2);
    });
    // 30 s, plus a second for every 8 MiB; DASIM_READ_DEADLINE sets the 30 (tests use a short one).
    const char* base = std::getenv("DASIM_READ_DEADLINE");
    const unsigned seconds = base && std::atoi(base) > 0 ? static_cast<unsigned>(std::atoi(base)) : 30;
    ::alarm(seconds + static_cast<unsigned>(ec ? 0 : bytes >> 23));
  }
  ~ReadDeadline() {
    ::alarm(0);
    std::signal(SIGALRM, SIG_DFL);
  }
  ReadDeadline(const ReadDeadline&) = delete;
  ReadDeadline& operator=(const ReadDeadline&) = delete;

 private:
  static std::string& message() {
    static std::string text;  // set before the alarm is armed; the handler only reads it
    return text;
  }
};

/// An interrupted run's streamed file, finished as it stands (marked incomplete), becomes NAME.h5.partial.
void write_partial(const batch::RunRecord& record, batch::Collector& collector, output::ResultsStream& stream,
                   output::RunFiles& files) {
  stream.finish(record, collector.summarise(&stream));
  files.place(".h5", ".h5.partial");
}

void note(const std::string& message) { fmt::print(stderr, "{}\n", message); }

}  // namespace

/// One replication's results are a few arrays shaped by the scenario (services x areas x months, pools x months...):
/// refuse a scenario whose arrays would not fit in memory, before any replication runs.
void check_result_size(const model::Scenario& s, bool monthly_by_pool, const std::string& where) {
  constexpr double kMaxValues = 25e6;  // 200 MB of doubles for one replication
  double values = 0;
  for (const batch::Group& g : batch::groups())
    if (!g.optional || monthly_by_pool) values += static_cast<double>(g.shape(s).size());
  if (values > kMaxValues)
    throw std::invalid_argument(fmt::format(
        "{}: scenario '{}': one replication's results would hold {:.3g} values ({} services, {} areas, {} pools, {:.0f} "
        "years), more than the {:.3g} dasim holds: use fewer services, areas or pools, or a shorter run{}", where, s.name, values,
        s.services.size(), s.areas.size(), s.pools.size(), s.simulation.years, kMaxValues,
        monthly_by_pool ? ", or leave out --monthly-by-pool" : ""));
}

/// The results files' base name must stay a plain file name inside the output folder.
void check_results_name(const std::string& name) {
  if (name.empty() || name == "." || name == ".." || name.find_first_of("/\\") != std::string::npos)
    throw std::invalid_argument(fmt::format("--name '{}': must be a file name without slashes, and not '.' or '..'", name));
  for (const unsigned char c : name)
    if (c < 0x20 || c == 0x7f) throw std::invalid_argument("--name: must not contain control characters");
}

int run(std::vector<model::Scenario> scenarios, const RunOptions& o) {
  const fs::path dir = o.output;
  const std::string name = o.name.empty() ? default_name(scenarios) : o.name;
  // Everything that can be refused is refused before the first replication runs, not after the run.
  check_results_name(name);
  for (std::size_t i = 0; i < scenarios.size(); ++i)
    check_result_size(scenarios[i], o.monthly_by_pool, i < o.scenarios.size() ? o.scenarios[i] : "sweep");
  if (o.sensitivity) batch::check_metrics(scenarios.front(), o.metrics);
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
  // Rank 0 streams each result into the results file as it arrives and keeps only what the summary needs.
  std::optional<output::ResultsStream> stream;
  if (files) stream.emplace(record, files->staged_path(".h5"));
  // The record keeps the first replications' summary arrays (a sensitivity run reads them, the console the first);
  // the summary's values of the rest are read back from the file at the end. Without a file it keeps them all.
  const std::size_t keep = !stream ? batch::Collector::kKeepAll
                                   : static_cast<std::size_t>(std::max(1, o.sensitivity ? o.sensitivity_replications : 1));
  batch::Collector collector(record, [&](int scenario, const batch::ReplicationResult& r) {
    if (stream) stream->write(scenario, r);
  }, keep);
  const batch::PrecisionRule rule{o.precision, 0.95, 3, 5, o.replications};
  // A sequential run may stop below any replication until its rule rules counts out (resumed ones included).
  if (o.precision > 0) collector.hold_from(0), collector.track(batch::key_measures(record), rule);
  auto store = [&](int scenario, batch::ReplicationResult&& r) {
    if (batch::ranks().root()) return collector.add(scenario, std::move(r));
    batch::ScenarioRun& run = record.scenarios.at(scenario);  // another rank: it only plans from what is done
    run.done.at(r.replication) = true;
    run.replications[r.replication] = std::move(r);
  };
  const output::RunIdentity identity = output::identity_of(scenarios, o.seed, o.replications, o.monthly_by_pool);
  if (o.resume) {
    if (!fs::exists(partial) && !fs::exists(journal))
      throw output::OutputError(fmt::format("{}: nothing to resume (no partial results file or journal of that name)", partial.string()));
    if (fs::exists(partial)) {
      const ReadDeadline deadline(partial);
      output::read_hdf5_for_resume(record, partial, store);
    }
    if (!batch::ranks().root() && fs::exists(journal)) output::read_journal(journal, &identity, store);
  }
  // Every rank checks and reads the run's files before rank 0 opens the journal (which creates or extends it), so
  // all plan from the same finished replications: the gather returns at rank 0 only once every rank has sent.
  if (batch::ranks().size > 1) batch::gather_at_root("");
  if (files) files->open_journal(identity, o.resume, store);
  if (single && o.only_replication >= o.replications)
    throw std::invalid_argument(fmt::format("--only-replication {} is not below --replications {}", o.only_replication, o.replications));
  if (o.precision > 0 && single) throw std::invalid_argument("--precision cannot be combined with --only-replication");

  const batch::RunnerOptions runner{o.seed, o.jobs, &batch::stop_on_signals(), o.monthly_by_pool};
  std::unique_ptr<Progress> bar;
  const auto started = std::chrono::steady_clock::now();
  auto take = [&](int scenario, batch::ReplicationResult&& r) {
    if (files) files->append(scenario, r);
    collector.add(scenario, std::move(r));
  };
  std::vector<batch::Task> tasks;
  batch::PlanOutcome outcome;
  if (o.precision > 0) {
    // Rounds of replications until the rule decides; it looks at replications in order only, so rounds (sized
    // by --jobs) change how many are run ahead, never the count chosen. Under MPI every rank runs its share of
    // each round (the same rounds: they depend on the options alone), rank 0 decides, and all follow it.
    const std::size_t keys = batch::key_measures(record).size();
    batch::PrecisionDecision decision;
    const std::vector<batch::Task> planned = batch::plan_tasks(record);  // the same at every rank
    for (int from = 0, target = std::min(rule.maximum, rule.initial + rule.look_ahead);; from = target,
             target = std::min(rule.maximum, target + std::max({2 * o.jobs, batch::look_ahead(target, rule), target / 4}))) {
      std::vector<batch::Task> round;
      for (const batch::Task& t : planned)
        if (t.replication >= static_cast<std::uint64_t>(from) && t.replication < static_cast<std::uint64_t>(target)) round.push_back(t);
      const batch::PlanOutcome part = batch::run_plan_into(record, round, runner, progress_bar(o.quiet, bar, o.progress_lines), take);
      tasks.insert(tasks.end(), round.begin(), round.end());
      outcome.done += part.done;
      outcome.failure = part.failure;
      outcome.finished = part.finished;
      int stop = 1;
      if (batch::ranks().root() && part.finished && part.failure.empty()) {
        decision = collector.decide(target);
        if (!decision.decided) collector.hold_from(static_cast<std::uint64_t>(decision.settled)), stop = 0;
      }
      if (batch::broadcast_from_root(stop)) break;
    }
    if (decision.decided) {
      batch::keep_first(record, decision.replications);
      record.replication_procedure = fmt::format("sequential: relative precision {:g} of the 95% CI half-width on {} key "
                                                 "measures; Hoad, Robinson and Davies (2010), look-ahead {}, at most {}",
                                                 rule.relative, keys, rule.look_ahead, rule.maximum);
      record.stop_reason = decision.reason;
      if (!o.quiet) fmt::print(stderr, "\n{} replications: {}\n", decision.replications, decision.reason);
    }
  } else {
    tasks = batch::plan_tasks(record, o.only_replication);
    outcome = batch::run_plan_into(record, tasks, runner, progress_bar(o.quiet, bar, o.progress_lines), take);
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
    write_partial(record, collector, *stream, *files);
    throw batch::ReplicationFailure(outcome.failure + fmt::format("; the {} replications that finished are kept in {}",
                                                                  outcome.done, partial.string()), 0, 0);
  }
  if (!outcome.finished) {
    write_partial(record, collector, *stream, *files);
    fmt::print(stderr, "\ninterrupted: {} of {} replications kept in {} (marked incomplete); finish with the same command and --resume\n",
               outcome.done, tasks.size(), partial.string());
    return 130;
  }
  if (o.sensitivity) {
    const batch::SensitivityOptions so{o.spread, o.sensitivity_replications, o.metrics, o.vary_only};
    std::unique_ptr<Progress> sensitivity_bar;
    std::vector<batch::VariantSource> sources;  // every option varies, so the tornado can rank by the difference
    for (const auto& s : scenarios) sources.push_back(variants_of(s));
    batch::run_sensitivity(record, sources, so, runner,
                           [](const std::string& m) { fmt::print(stderr, "{}\n", m); },
                           [&o](const std::string& m) { if (!o.quiet) fmt::print(stderr, "{}\n", m); },
                           progress_bar(o.quiet, sensitivity_bar, o.progress_lines));
  }
  // Every final file is staged under this process's own name, then all are moved into place as one commit.
  const batch::RunSummary summary = collector.summarise(&*stream);
  std::vector<std::string> suffixes{".h5", "-summary.csv"};
  if (!record.sensitivity.empty()) suffixes.push_back("-sensitivity.csv");
  try {
    stream->finish(record, summary);
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
  for (const auto& sr : record.scenarios)  // an overloaded pool's figures are not a steady state: say so, as check does
    if (!sr.replications.empty()) print_offered_load(*sr.scenario, sr.replications.front(), false);
  const double events = collector.events();
  fmt::print("\n{} replications in {:.1f} s ({:.0f} events/s with {} job{}); results: {} and {}\n", outcome.done, seconds,
             seconds > 0 ? events / seconds : 0, o.jobs, o.jobs == 1 ? "" : "s", h5.string(), csv.string());
  return 0;
}

int check(const std::vector<std::string>& files, std::uint64_t seed) {
  const std::vector<model::Scenario> scenarios = load_all(files);
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    const model::Scenario& s = scenarios[i];
    check_result_size(s, false, files[i]);
    fmt::print("{}", scenario::describe(s));
    // Offered load needs the flow reaching each pool, which depends on routing and attributes; measure it from
    // one pilot replication rather than guess it.
    std::vector<const model::Scenario*> one{&s};
    batch::ReplicationResult pilot;
    batch::run_tasks(one, {{0, 0}}, {seed, 1, nullptr}, [&](const batch::Task&, batch::ReplicationResult&& r) { pilot = std::move(r); });
    fmt::print("\noffered load from a pilot replication (rho = arrivals x mean duration / capacity):\n");
    const int warnings = print_offered_load(s, pilot, true);
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
  if (fs::is_regular_file(results)) {  // the board pack reads it with HDF5 too: check it is whole first
    const ReadDeadline deadline(results);
    try {
      output::h5::read_everything(results);
    } catch (const output::OutputError& e) {
      throw std::invalid_argument(e.what());  // a damaged results file is bad input (exit 2), like a bad scenario
    }
  }
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
/// A seed is a whole number from 0 to 2^64 - 1, written in digits: CLI11 alone would turn -1, or a number too
/// large, into 2^64 - 1 without a word.
const CLI::Validator kSeed(
    [](std::string& text) -> std::string {
      if (text.empty() || text.size() > 20 || text.find_first_not_of("0123456789") != std::string::npos)
        return fmt::format("seed '{}' must be a whole number from 0 to 18446744073709551615", text);
      errno = 0;
      (void)std::strtoull(text.c_str(), nullptr, 10);
      if (errno == ERANGE) return fmt::format("seed {} is above the largest, 18446744073709551615", text);
      return "";
    },
    "SEED");

/// The subcommand nearest to a mistyped one (edit distance at most 2), for a "did you mean" hint, or "".
std::string nearest_command(const std::string& typed, const std::vector<std::string>& commands) {
  std::string best;
  std::size_t best_distance = 3;
  for (const auto& c : commands) {
    std::vector<std::size_t> row(c.size() + 1);
    for (std::size_t j = 0; j <= c.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= typed.size(); ++i) {
      std::size_t diagonal = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= c.size(); ++j) {
        const std::size_t above = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (typed[i - 1] != c[j - 1])});
        diagonal = above;
      }
    }
    if (row[c.size()] < best_distance) best_distance = row[c.size()], best = c;
  }
  return best;
}

/// The options `run` and `sweep` share.
void add_run_options(CLI::App* cmd, RunOptions& o, bool& totals_only) {
  cmd->add_option("-r,--replications", o.replications, "Replications per scenario (with --precision: the most it may use)")
      ->check(CLI::Range(1, 10'000'000))
      ->each([&o](const std::string&) { o.replications_given = true; });
  cmd->add_option("--precision", o.precision,
                  "Add replications until every key measure's 95% CI half-width is within this share of its mean, "
                  "e.g. 0.02 (Hoad, Robinson & Davies 2010; docs/precision.md); -r is then the maximum (default 1000)")
      ->check(CLI::Range(1e-6, 1.0));
  cmd->add_option("-s,--seed", o.seed, "Master seed: the same seed gives identical results")->check(kSeed);
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
  run_cmd->add_option("scenarios", o.scenarios, "Scenario files (TOML); the first is the baseline for differences")->required();
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
  sweep_cmd->add_option("sweep", sweep_file, "Sweep file (TOML: scenario, mode, [[vary]] key/values)")->required();
  add_run_options(sweep_cmd, o, totals_only);

  std::vector<std::string> check_files;
  std::uint64_t check_seed = 1;
  CLI::App* check_cmd = app.add_subcommand("check", "Validate scenarios, print resolved parameters and each pool's offered load");
  check_cmd->add_option("scenarios", check_files, "Scenario files (TOML)")->required();
  check_cmd->add_option("-s,--seed", check_seed, "Seed of the pilot replication")->check(kSeed);

  std::string results, out;
  CLI::App* report_cmd = app.add_subcommand("report", "Write the charts and the board pack (HTML and PDF) from a results file");
  report_cmd->add_option("results", results, "Results file (.h5)")->required();
  report_cmd->add_option("--out", out, "Folder for the charts and the board pack (default: beside the results)");
  bool no_pdf = false;
  std::string report_baseline;
  report_cmd->add_option("--baseline", report_baseline,
                         "The option the others are compared with (the run's first scenario; another name is refused)");
  report_cmd->add_flag("--no-pdf", no_pdf, "Charts and HTML only (the PDF needs Chromium)");

  SizeOptions size_options;
  CLI::App* size_cmd = add_size_command(app, size_options);
  const serve::ServeCommand serve_cmd = serve::register_serve(app);
  // An unknown word where the subcommand goes: say so, with the nearest one, rather than "A subcommand is required".
  if (argc > 1 && argv[1][0] != '-') {
    std::vector<std::string> commands;
    for (const CLI::App* sub : app.get_subcommands({})) commands.push_back(sub->get_name());
    if (std::find(commands.begin(), commands.end(), argv[1]) == commands.end()) {
      const std::string hint = nearest_command(argv[1], commands);
      fmt::print(stderr, "dasim: unknown command '{}'{}; the commands are {} (dasim --help)\n", argv[1],
                 hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint), fmt::join(commands, ", "));
      return 2;
    }
  }
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
    if (*size_cmd) return size(size_options);
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
