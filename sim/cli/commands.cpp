#include "cli/commands.hpp"

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <fnmatch.h>
#include <map>
#include <sstream>
#include <cstring>
#include <set>
#include <unistd.h>

#include "batch/replication.hpp"
#include "batch/ranks.hpp"
#include "batch/results.hpp"
#include "batch/runner.hpp"
#include "output/writers.hpp"
#include "scenario/loader.hpp"
#include "serve/serve.hpp"

namespace fs = std::filesystem;

namespace dasim::cli {

namespace {

std::atomic<bool> g_stop{false};
bool g_progress_lines = false;  // --progress-lines: a line per finished replication (for dasim serve's progress bar)
void on_signal(int) { g_stop = true; }

/// Progress on stderr: a bar with an ETA on a terminal, plain lines every ten seconds otherwise.
class Progress {
 public:
  Progress(std::size_t total, bool quiet) : total_(total), quiet_(quiet), tty_(::isatty(2)) {}
  void update(std::size_t done) {
    if (quiet_ || total_ == 0) return;
    const double elapsed = seconds();
    const double eta = done > 0 ? elapsed / static_cast<double>(done) * static_cast<double>(total_ - done) : NAN;
    if (tty_) {
      const int width = 30, filled = static_cast<int>(width * done / total_);
      fmt::print(stderr, "\r[{}{}] {}/{} replications, {:.1f} s elapsed, ETA {}   ", std::string(filled, '#'),
                 std::string(width - filled, '.'), done, total_, elapsed, done ? fmt::format("{:.0f} s", eta) : "-");
      if (done == total_) fmt::print(stderr, "\n");
    } else if (done == total_ || elapsed - last_line_ >= 10 || g_progress_lines) {
      last_line_ = elapsed;
      fmt::print(stderr, "progress: {}/{} replications, {:.1f} s elapsed{}\n", done, total_, elapsed,
                 done && done < total_ ? fmt::format(", about {:.0f} s to go", eta) : "");
    }
  }
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::size_t total_;
  bool quiet_, tty_;
  double last_line_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

/// "mean (low–high)"; a share's interval (`share`) is kept within 0–100%, the range a share can take.
std::string with_ci(const stats::Summary& s, const char* format, double scale = 1, bool share = false) {
  if (s.n == 0 || std::isnan(s.mean)) return "-";
  const std::string mean = fmt::format(fmt::runtime(format), s.mean * scale);
  if (std::isnan(s.ci_low)) return mean;
  const double low = share ? std::max(0.0, s.ci_low) : s.ci_low, high = share ? std::min(1.0, s.ci_high) : s.ci_high;
  return fmt::format("{} ({}–{})", mean, fmt::format(fmt::runtime(format), low * scale),
                     fmt::format(fmt::runtime(format), high * scale));
}

/// The console table: per service and area (all areas only with --totals-only), each option's figures, then
/// paired differences from the first option.
void print_summary(const batch::RunRecord& run, const std::vector<batch::Row>& rows, bool by_area) {
  std::map<std::tuple<std::string, std::string, std::string, std::string, std::string, std::string>, const batch::Row*> index;
  for (const auto& r : rows) index[{r.kind, r.scenario, r.service, r.pool, r.area, r.metric}] = &r;
  auto get = [&](const std::string& kind, const std::string& scenario, const std::string& service, const std::string& area,
                 const std::string& metric, const std::string& pool = "") -> stats::Summary {
    const auto it = index.find({kind, scenario, service, pool, area, metric});
    return it == index.end() ? stats::Summary{} : it->second->summary;
  };
  // An area's occupancy is that of the pool serving it in each option (shared when the option pools it).
  auto area_occupancy = [&](const model::Scenario& s, const std::string& service, const std::string& area) {
    const auto sv = std::find(s.services.begin(), s.services.end(), service) - s.services.begin();
    const auto a = std::find_if(s.areas.begin(), s.areas.end(), [&](const auto& x) { return x.name == area; }) - s.areas.begin();
    if (sv == static_cast<long>(s.services.size()) || a == static_cast<long>(s.areas.size())) return stats::Summary{};
    return get("summary", s.name, service, "all", "occupancy", s.pools[s.service_pool[sv][a]].name);
  };
  const model::Scenario& base = *run.scenarios.front().scenario;
  std::vector<std::string> areas{"all"};
  if (by_area)
    for (const auto& a : base.areas) areas.push_back(a.name);
  fmt::print("\nResults: mean (95% CI) over {} replications, seed {}\n", run.replications, run.master_seed);
  const std::string header = fmt::format("  {:<26} {:>22} {:>22} {:>20} {:>19} {:>19} {:>19}", "option", "median wait (d)",
                                         "90th pct wait (d)", "within target (%)", "disengaged/yr", "declined/yr", "occupancy (%)");
  for (const auto& service : base.services)
    for (const auto& area : areas) {
      if (get("summary", base.name, service, area, "entered").n == 0) continue;
      fmt::print("\n{} — {}\n{}\n", service, area == "all" ? "all areas" : area, header);
      auto line = [&](const std::string& kind, const model::Scenario& s, const std::string& label) {
        const std::string& scenario = s.name;
        fmt::print("  {:<26} {:>22} {:>22} {:>20} {:>19} {:>19} {:>19}\n", label,
                   with_ci(get(kind, scenario, service, area, "wait_p50"), "{:.2f}"),
                   with_ci(get(kind, scenario, service, area, "wait_p90"), "{:.2f}"),
                   with_ci(get(kind, scenario, service, area, "within_target"), "{:.1f}", 100, kind == "summary"),
                   with_ci(get(kind, scenario, service, area, "disengaged"), "{:.1f}"),
                   with_ci(get(kind, scenario, service, area, "declined"), "{:.1f}"),
                   area == "all"          ? with_ci(get(kind, scenario, service, area, "occupancy"), "{:.1f}", 100, kind == "summary")
                   : kind == "summary"    ? with_ci(area_occupancy(s, service, area), "{:.1f}", 100, true)
                                          : "");
      };
      for (const auto& sr : run.scenarios) line("summary", *sr.scenario, sr.scenario->name);
      for (std::size_t k = 1; k < run.scenarios.size(); ++k)
        line("difference", *run.scenarios[k].scenario, "  " + run.scenarios[k].scenario->name + " − " + base.name);
    }
  fmt::print("\nMoney (£ a year)\n");
  for (const auto& sr : run.scenarios) {
    const auto& s = *sr.scenario;
    fmt::print("  {}\n", s.name);
    for (const auto& f : s.funders)
      fmt::print("    service cost, {:<32} {:>14}\n", f, with_ci(get("summary", s.name, "(cost)", f, "service_cost"), "{:.0f}"));
    fmt::print("    {:<46} {:>14}\n", "outcome costs (cashable + societal)", with_ci(get("summary", s.name, "(total)", "all", "outcome_cost"), "{:.0f}"));
  }
  for (std::size_t k = 1; k < run.scenarios.size(); ++k) {
    const std::string& name = run.scenarios[k].scenario->name;
    fmt::print("  {} against {}\n", name, base.name);
    fmt::print("    {:<46} {:>14}\n", "service cost difference", with_ci(get("difference", name, "(total)", "all", "service_cost"), "{:.0f}"));
    fmt::print("    {:<46} {:>14}\n", "cost avoided (all)", with_ci(get("difference", name, "(total)", "all", "cost_avoided"), "{:.0f}"));
    fmt::print("    {:<46} {:>14}\n", "cost avoided, cashable", with_ci(get("difference", name, "(total)", "all", "cashable_cost_avoided"), "{:.0f}"));
    fmt::print("    {:<46} {:>14}\n", "cost avoided, societal", with_ci(get("difference", name, "(total)", "all", "societal_cost_avoided"), "{:.0f}"));
    fmt::print("    {:<46} {:>14}\n", "return per £1 of service cost", with_ci(get("difference", name, "(total)", "all", "return_per_pound"), "{:.2f}"));
  }
}

/// Sends this rank's results to rank 0, which stores them in `record`. Returns whether every rank finished;
/// `failure` becomes the first rank's failure message, if any.
bool gather_results(batch::RunRecord& record, const std::vector<batch::Task>& mine, bool finished, std::string& failure) {
  std::string blob;
  auto put = [&blob](const auto& value) { blob.append(reinterpret_cast<const char*>(&value), sizeof value); };
  put(static_cast<std::uint8_t>(finished));
  put(static_cast<std::uint64_t>(failure.size()));
  blob += failure;
  for (const auto& t : mine) {
    if (!record.scenarios[t.scenario].done[t.replication]) continue;
    const std::string bytes = batch::serialize(record.scenarios[t.scenario].replications[t.replication]);
    put(static_cast<std::int32_t>(t.scenario));
    put(static_cast<std::uint64_t>(bytes.size()));
    blob += bytes;
  }
  const std::vector<std::string> all = batch::gather_at_root(blob);
  bool all_finished = true;
  for (std::size_t r = 1; r < all.size(); ++r) {
    const std::string& b = all[r];
    std::size_t at = 0;
    auto get = [&](auto& value) {
      std::memcpy(&value, b.data() + at, sizeof value);
      at += sizeof value;
    };
    std::uint8_t rank_finished;
    std::uint64_t length;
    get(rank_finished);
    get(length);
    all_finished = all_finished && rank_finished;
    if (failure.empty() && length) failure = b.substr(at, length);
    at += length;
    while (at < b.size()) {
      std::int32_t scenario;
      get(scenario);
      get(length);
      batch::ReplicationResult result = batch::deserialize(b.substr(at, length));
      at += length;
      record.scenarios[scenario].done[result.replication] = true;
      record.scenarios[scenario].replications[result.replication] = std::move(result);
    }
  }
  return finished && all_finished;
}

void print_warmup(const batch::RunRecord& run) {
  for (const auto& sr : run.scenarios) {
    const auto checks = batch::warmup_checks(sr);
    std::vector<std::string> short_ones;
    int worst = 0;
    for (const auto& c : checks) {
      worst = std::max(worst, c.mser_months);
      if (c.drifting) short_ones.push_back(fmt::format("{} (still drifting at half the run: no steady level)", c.service));
      else if (!c.long_enough()) short_ones.push_back(fmt::format("{} ({} months)", c.service, c.mser_months));
    }
    if (checks.empty()) continue;
    if (short_ones.empty())
      fmt::print("\nwarm-up ({}): {} months is long enough; MSER truncation is at most {} months for every service\n",
                 sr.scenario->name, checks.front().warmup_months, worst);
    else
      fmt::print("\nwarm-up ({}): WARNING: {} months may be too short; MSER suggests more for: {}\n", sr.scenario->name,
                 checks.front().warmup_months, fmt::join(short_ones, ", "));
  }
}

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

}  // namespace

/// One-at-a-time sensitivity: each assumption of the baseline set to (1 ∓ spread) × its value, on the same
/// replications (common random numbers) as the baseline's first `sensitivity_replications`.
void run_sensitivity(const model::Scenario& base, batch::RunRecord& record, const RunOptions& o) {
  const int reps = std::min(o.sensitivity_replications, o.replications);
  std::vector<std::string> specs = o.metrics.empty() ? std::vector<std::string>{"(total):all:outcome_cost"} : o.metrics;
  struct Output {
    std::string spec, units;
    std::function<double(const batch::ReplicationResult&)> value;
  };
  std::vector<Output> outputs;
  for (const auto& spec : specs) {
    const auto a = spec.find(':'), b = spec.rfind(':');
    if (a == std::string::npos || a == b) throw std::invalid_argument(fmt::format("--metric '{}': expected SERVICE:AREA:METRIC, e.g. refuge:all:wait_p90", spec));
    Output out{spec, "", nullptr};
    out.value = batch::measure(base, spec.substr(0, a), spec.substr(a + 1, b - a - 1), spec.substr(b + 1), &out.units);
    outputs.push_back(std::move(out));
  }
  // A parameter is one assumption, or with --vary-only a group: every assumption matching a pattern such as
  // `pools.refuge-*.duration.median` moves together, as one assumption written in several pools.
  struct Variant {
    std::string name, where;
    double value, low, high;
  };
  const std::vector<scenario::Assumption> all = scenario::assumptions(o.baseline_file);
  std::vector<std::pair<std::string, std::vector<scenario::Assumption>>> groups;
  if (o.vary_only.empty()) {
    for (const auto& a : all) groups.push_back({a.key, {a}});
  } else {
    std::stringstream patterns(o.vary_only);
    for (std::string pattern; std::getline(patterns, pattern, ',');) {
      std::vector<scenario::Assumption> matched;
      for (const auto& a : all)
        if (::fnmatch(pattern.c_str(), a.key.c_str(), 0) == 0) matched.push_back(a);
      if (matched.empty()) fmt::print(stderr, "sensitivity: no parameter marked `assumption` matches '{}'\n", pattern);
      else groups.push_back({pattern, matched});
    }
  }
  auto scaled = [&](const scenario::Assumption& a, double factor) {
    double v = a.value * factor;
    if (a.integer) {
      v = std::round(v);
      if (v == a.value) v = a.value + (factor < 1 ? -1 : 1);
    }
    return v;
  };
  std::vector<Variant> variants;
  std::vector<model::Scenario> scenarios;  // low, high for each variant
  for (const auto& [name, members] : groups) {
    std::vector<scenario::Override> low, high;
    for (const auto& a : members)
      if (a.value != 0) {  // nothing to scale
        low.push_back({a.key, scaled(a, 1 - o.spread)});
        high.push_back({a.key, scaled(a, 1 + o.spread)});
      }
    if (low.empty()) continue;
    try {
      model::Scenario lo = scenario::load(o.baseline_file, low);
      model::Scenario hi = scenario::load(o.baseline_file, high);
      lo.name = fmt::format("{}[{} low]", base.name, name);
      hi.name = fmt::format("{}[{} high]", base.name, name);
      scenarios.push_back(std::move(lo));
      scenarios.push_back(std::move(hi));
      const auto& first = members.front();
      variants.push_back({name, members.size() > 1 ? fmt::format("{} (+{} more)", first.where, members.size() - 1) : first.where,
                          first.value, low.front().value, high.front().value});
    } catch (const scenario::LoadError& e) {
      fmt::print(stderr, "sensitivity: leaving out {}: {}\n", name, e.what());
    }
  }
  if (variants.empty()) {
    fmt::print(stderr, "sensitivity: no parameter marked `assumption` in {}{}\n", o.baseline_file,
               o.vary_only.empty() ? "" : " matches --vary-only");
    return;
  }
  std::vector<const model::Scenario*> pointers;
  for (const auto& s : scenarios) pointers.push_back(&s);
  std::vector<batch::Task> tasks;
  for (int r = 0; r < reps; ++r)
    for (std::size_t v = 0; v < scenarios.size(); ++v) tasks.push_back({static_cast<int>(v), static_cast<std::uint64_t>(r)});
  std::vector<std::vector<batch::ReplicationResult>> results(scenarios.size(), std::vector<batch::ReplicationResult>(reps));
  if (!o.quiet) fmt::print(stderr, "sensitivity: {} assumptions, low and high, {} replications each\n", variants.size(), reps);
  Progress progress(tasks.size(), o.quiet);
  std::size_t done = 0;
  if (!batch::run_tasks(pointers, tasks, {o.seed, o.jobs, &g_stop}, [&](const batch::Task& t, batch::ReplicationResult&& r) {
        results[t.scenario][t.replication] = std::move(r);
        progress.update(++done);
      })) {
    // The main run is complete and worth keeping; only the sensitivity table is lost.
    fmt::print(stderr, "\nsensitivity: interrupted; the main results are written without it\n");
    return;
  }
  const batch::ScenarioRun& baseline = record.scenarios.front();
  for (std::size_t v = 0; v < variants.size(); ++v)
    for (const Output& out : outputs) {
      std::vector<double> base_values, low, high;
      for (int r = 0; r < reps; ++r) {
        base_values.push_back(out.value(baseline.replications[r]));
        low.push_back(out.value(results[2 * v][r]));
        high.push_back(out.value(results[2 * v + 1][r]));
      }
      batch::SensitivityRow row;
      row.parameter = variants[v].name;
      row.where = variants[v].where;
      row.output = out.spec;
      row.units = out.units;
      row.base_value = variants[v].value;
      row.low_value = variants[v].low;
      row.high_value = variants[v].high;
      row.output_base = stats::summarize(base_values).mean;
      row.output_at_low = stats::summarize(low).mean;
      row.output_at_high = stats::summarize(high).mean;
      row.effect_low = stats::summarize(stats::paired_differences(low, base_values));
      row.effect_high = stats::summarize(stats::paired_differences(high, base_values));
      record.sensitivity.push_back(std::move(row));
    }
  record.sensitivity_replications = reps;
}

int run(std::vector<model::Scenario> scenarios, const RunOptions& o) {
  const fs::path dir = o.output;
  const std::string name = o.name.empty() ? default_name(scenarios) : o.name;
  const fs::path h5 = dir / (name + ".h5"), csv = dir / (name + "-summary.csv"), partial = dir / (name + ".h5.partial");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) throw output::OutputError(fmt::format("{}: cannot create the output folder: {}", dir.string(), ec.message()));
  if (::access(dir.c_str(), W_OK) != 0) throw output::OutputError(fmt::format("{}: the output folder is not writable", dir.string()));
  const bool single = o.only_replication >= 0;
  if (!single && !o.force && !o.resume && (fs::exists(h5) || fs::exists(csv)))
    throw output::OutputError(fmt::format("{} already exists: choose another --name or --output, or pass --force to overwrite it", h5.string()));

  batch::RunRecord record;
  record.master_seed = o.seed;
  record.replications = o.replications;
  record.created = batch::utc_now();
  record.monthly_by_pool = o.monthly_by_pool;
  for (const auto& s : scenarios)
    record.scenarios.push_back({&s, std::vector<batch::ReplicationResult>(o.replications), std::vector<bool>(o.replications, false)});
  if (o.resume) {
    if (!fs::exists(partial))
      throw output::OutputError(fmt::format("{}: nothing to resume (no partial results file of that name)", partial.string()));
    output::read_hdf5_for_resume(record, partial);
  }
  std::vector<batch::Task> tasks;
  for (int r = 0; r < o.replications; ++r)
    for (std::size_t s = 0; s < scenarios.size(); ++s)
      if (!record.scenarios[s].done[r] && (!single || r == o.only_replication)) tasks.push_back({static_cast<int>(s), static_cast<std::uint64_t>(r)});
  if (single && o.only_replication >= o.replications)
    throw std::invalid_argument(fmt::format("--only-replication {} is not below --replications {}", o.only_replication, o.replications));

  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::vector<const model::Scenario*> pointers;
  for (const auto& s : scenarios) pointers.push_back(&s);
  // Under mpirun each rank takes every size-th task; rank 0 gathers the results below.
  const batch::Ranks& ranks = batch::ranks();
  std::vector<batch::Task> mine;
  for (std::size_t i = 0; i < tasks.size(); ++i)
    if (static_cast<int>(i % ranks.size) == ranks.rank) mine.push_back(tasks[i]);
  Progress progress(mine.size(), o.quiet || !ranks.root());
  std::size_t done = 0;
  progress.update(0);
  std::string failure;
  bool finished = false;
  try {
    finished = batch::run_tasks(pointers, mine, {o.seed, o.jobs, &g_stop, o.monthly_by_pool}, [&](const batch::Task& t, batch::ReplicationResult&& r) {
      record.scenarios[t.scenario].replications[t.replication] = std::move(r);
      record.scenarios[t.scenario].done[t.replication] = true;
      progress.update(++done);
    });
  } catch (const batch::ReplicationFailure& e) {
    failure = e.what();
  }
  if (ranks.size > 1) {
    finished = gather_results(record, mine, finished, failure);
    if (!ranks.root()) return failure.empty() ? 0 : 1;
    done = 0;
    for (const auto& t : tasks) done += record.scenarios[t.scenario].done[t.replication];
  }
  const double seconds = progress.seconds();

  if (single) {
    // A rerun of one replication, for diagnosis: print it, write nothing.
    if (!failure.empty()) throw batch::ReplicationFailure(failure, 0, static_cast<std::uint64_t>(o.only_replication));
    batch::RunRecord one = record;
    for (auto& s : one.scenarios) {
      s.replications = {s.replications[o.only_replication]};
      s.done = {s.done[o.only_replication]};
    }
    one.replications = 1;
    print_summary(one, batch::summary_rows(one), o.by_area);
    return finished ? 0 : 130;
  }
  if (o.sensitivity && finished && failure.empty()) run_sensitivity(scenarios.front(), record, o);
  const std::vector<batch::Row> rows = batch::summary_rows(record);
  if (!failure.empty()) {
    output::write_atomically(partial, [&](const fs::path& tmp) { output::write_hdf5(record, rows, tmp); });
    throw batch::ReplicationFailure(failure + fmt::format("; the {} replications that finished are kept in {}", done, partial.string()), 0, 0);
  }
  if (!finished) {
    output::write_atomically(partial, [&](const fs::path& tmp) { output::write_hdf5(record, rows, tmp); });
    fmt::print(stderr, "\ninterrupted: {} of {} replications kept in {} (marked incomplete); finish with the same command and --resume\n",
               done, tasks.size(), partial.string());
    return 130;
  }
  output::write_atomically(h5, [&](const fs::path& tmp) { output::write_hdf5(record, rows, tmp); });
  output::write_atomically(csv, [&](const fs::path& tmp) { output::write_csv(rows, tmp); });
  if (!record.sensitivity.empty()) {
    const fs::path sensitivity_csv = dir / (name + "-sensitivity.csv");
    output::write_atomically(sensitivity_csv, [&](const fs::path& tmp) { output::write_sensitivity_csv(record, tmp); });
  }
  fs::remove(partial, ec);
  if (!o.quiet) {
    print_summary(record, rows, o.by_area);
    print_warmup(record);
  }
  double events = 0;
  for (const auto& s : record.scenarios)
    for (const auto& r : s.replications) events += r.totals.empty() ? 0 : r.totals.back();
  fmt::print("\n{} replications in {:.1f} s ({:.0f} events/s with {} job{}); results: {} and {}\n", done, seconds,
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
    const std::size_t areas = s.areas.size(), na = batch::kAreaMetrics.size();
    fmt::print("\noffered load from a pilot replication (rho = arrivals x mean duration / capacity):\n");
    int warnings = 0;
    for (std::size_t p = 0; p < s.pools.size(); ++p) {
      const model::PoolSpec& pool = s.pools[p];
      if (pool.kind == model::PoolKind::meeting) continue;
      // arrivals at this pool: its service's entries from the areas it serves
      double per_year = 0;
      for (std::size_t a = 0; a < areas; ++a)
        if (pool.serves_area[a]) per_year += pilot.area_metrics[(pool.service * (areas + 1) + a) * na];  // entered
      const double hold = pool.duration.mean() + (pool.move_on ? pool.move_on->mean() : 0);
      const double places = pool.kind == model::PoolKind::group ? static_cast<double>(pool.workers) * pool.group_max : pool.capacity();
      const double rho = per_year / model::kDaysPerYear * hold / places;
      const bool over = rho >= 1 && !pool.decline_when_full;
      warnings += over;
      fmt::print("  {:<32} {:>9.1f} a year x {:>7.1f} d / {:>5.0f} places = rho {:.2f}{}\n", pool.name, per_year, hold, places, rho,
                 over ? "  WARNING: rho >= 1, the queue will grow without bound" : "");
    }
    if (warnings) fmt::print("{} pool(s) overloaded\n", warnings);
  }
  return 0;
}

int report(const std::string& results, const std::string& out, bool pdf) {
  const fs::path script = fs::path(DASIM_SOURCE_DIR) / "plots" / "board_pack.py";
  if (!fs::exists(script)) throw std::runtime_error(fmt::format("{}: the board-pack script is missing", script.string()));
  std::vector<std::string> args{"/usr/bin/python3", script.string(), results};
  if (!out.empty()) args.insert(args.end(), {"--out", out});
  if (!pdf) args.push_back("--no-pdf");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::fflush(nullptr);
  ::execv(argv[0], argv.data());
  throw std::runtime_error(fmt::format("cannot run {}: {}", args[0], std::strerror(errno)));
}

int main(int argc, char** argv) {
  batch::start_ranks(&argc, &argv);
  const int status = dispatch(argc, argv);
  batch::stop_ranks();
  return status;
}

int dispatch(int argc, char** argv) {
  CLI::App app{"dasim: discrete-event simulation of demand for domestic abuse services, for comparing commissioning options"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("dasim ") + DASIM_VERSION + " (" + DASIM_GIT_COMMIT + ")");

  RunOptions o;
  CLI::App* run_cmd = app.add_subcommand("run", "Run scenarios for N replications on common random numbers; write HDF5 and CSV results");
  run_cmd->add_option("scenarios", o.scenarios, "Scenario files (TOML); the first is the baseline for differences")->required()->check(CLI::ExistingFile);
  run_cmd->add_option("-r,--replications", o.replications, "Replications per scenario")->check(CLI::Range(1, 10'000'000));
  run_cmd->add_option("-s,--seed", o.seed, "Master seed: the same seed gives identical results");
  run_cmd->add_option("-o,--output", o.output, "Folder for results files")->capture_default_str();
  run_cmd->add_option("-n,--name", o.name, "Base name of the results files (default: the scenario names joined by +)");
  run_cmd->add_option("-j,--jobs", o.jobs, "Worker processes running replications at once")->check(CLI::Range(1, 1024));
  auto* force = run_cmd->add_flag("--force", o.force, "Overwrite existing results files of the same name");
  auto* resume = run_cmd->add_flag("--resume", o.resume, "Finish an interrupted run from its .h5.partial file");
  force->excludes(resume);
  resume->excludes(force);
  auto* only = run_cmd->add_option("--only-replication", o.only_replication, "Rerun one replication alone (prints it, writes nothing)")->check(CLI::NonNegativeNumber);
  only->excludes(resume);
  bool totals_only = false;
  run_cmd->add_flag("--totals-only", totals_only, "Print figures for all areas together only, not for each area");
  run_cmd->add_flag("--monthly-by-pool", o.monthly_by_pool,
                    "Also store monthly series for every pool (pool_monthly_data; large for big batches)");
  run_cmd->add_flag("-q,--quiet", o.quiet, "No progress and no table (results files only)");
  run_cmd->add_flag("--progress-lines", g_progress_lines, "Off a terminal, print a progress line per finished replication");
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
  for (CLI::App* cmd : {sweep_cmd}) {
    cmd->add_option("-r,--replications", o.replications, "Replications per point")->check(CLI::Range(1, 10'000'000));
    cmd->add_option("-s,--seed", o.seed, "Master seed");
    cmd->add_option("-o,--output", o.output, "Folder for results files")->capture_default_str();
    cmd->add_option("-n,--name", o.name, "Base name of the results files");
    cmd->add_option("-j,--jobs", o.jobs, "Worker processes")->check(CLI::Range(1, 1024));
    cmd->add_flag("--force", o.force, "Overwrite existing results files of the same name");
    cmd->add_flag("-q,--quiet", o.quiet, "No progress and no table");
  }

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
  report_cmd->add_flag("--no-pdf", no_pdf, "Charts and HTML only (the PDF needs Chromium)");

  const serve::ServeCommand serve_cmd = serve::register_serve(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  try {
    if (*run_cmd) {
      o.by_area = !totals_only;
      o.baseline_file = o.scenarios.front();
      return run(load_all(o.scenarios), o);
    }
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
    if (*report_cmd) return report(results, out, !no_pdf);
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
