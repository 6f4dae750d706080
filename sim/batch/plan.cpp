#include "batch/plan.hpp"

#include <csignal>

#include "batch/wire.hpp"

namespace dasim::batch {

namespace {
std::atomic<bool> g_stop{false};
void on_signal(int) { g_stop = true; }

void store(RunRecord& record, int scenario, ReplicationResult&& result) {
  const std::uint64_t r = result.replication;
  record.scenarios.at(scenario).done.at(r) = true;
  record.scenarios[scenario].replications[r] = std::move(result);
}

/// Sends this rank's finished results to rank 0, which stores every rank's. Returns whether every rank finished;
/// `failure` becomes the first failure any rank saw.
using Take = std::function<void(int, ReplicationResult&&)>;

bool gather(RunRecord& record, const std::vector<Task>& mine, bool finished, std::string& failure, const Take& take) {
  RankReport report{finished, failure, {}};
  if (!ranks().root())  // rank 0 has its own already
    for (const auto& t : mine)
      if (record.scenarios[t.scenario].done[t.replication])
        report.results.push_back({t.scenario, record.scenarios[t.scenario].replications[t.replication]});
  const std::vector<std::string> all = gather_at_root(encode(report));
  bool all_finished = finished;
  for (std::size_t rank = 1; rank < all.size(); ++rank) {
    RankReport theirs = decode_rank_report(all[rank]);
    all_finished = all_finished && theirs.finished;
    if (failure.empty()) failure = theirs.failure;
    for (auto& item : theirs.results) take(item.scenario, std::move(item.result));
  }
  return all_finished;
}
}  // namespace

RunRecord new_record(const std::vector<model::Scenario>& scenarios, std::uint64_t master_seed, int replications,
                     bool monthly_by_pool) {
  RunRecord record;
  record.master_seed = master_seed;
  record.replications = replications;
  record.created = utc_now();
  record.monthly_by_pool = monthly_by_pool;
  for (const auto& s : scenarios)
    record.scenarios.push_back({&s, std::vector<ReplicationResult>(replications), std::vector<bool>(replications, false)});
  return record;
}

std::vector<Task> plan_tasks(const RunRecord& record, long only_replication) {
  std::vector<Task> tasks;
  for (int r = 0; r < record.replications; ++r)
    for (std::size_t s = 0; s < record.scenarios.size(); ++s)
      if (!record.scenarios[s].done[r] && (only_replication < 0 || r == only_replication))
        tasks.push_back({static_cast<int>(s), static_cast<std::uint64_t>(r)});
  return tasks;
}

std::vector<Task> share_of(const std::vector<Task>& tasks, const Ranks& ranks) {
  std::vector<Task> mine;
  for (std::size_t i = 0; i < tasks.size(); ++i)
    if (static_cast<int>(i % ranks.size) == ranks.rank) mine.push_back(tasks[i]);
  return mine;
}

const std::atomic<bool>& stop_on_signals() {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  return g_stop;
}

PlanOutcome run_plan(RunRecord& record, const std::vector<Task>& tasks, const RunnerOptions& options,
                     const std::function<void(std::size_t, std::size_t)>& progress,
                     const std::function<void(int, const ReplicationResult&)>& stored) {
  return run_plan_into(record, tasks, options, progress, [&](int scenario, ReplicationResult&& r) {
    const std::uint64_t at = r.replication;
    store(record, scenario, std::move(r));
    if (stored) stored(scenario, record.scenarios[scenario].replications[at]);
  });
}

PlanOutcome run_plan_into(RunRecord& record, const std::vector<Task>& tasks, const RunnerOptions& options,
                          const std::function<void(std::size_t, std::size_t)>& progress, const Take& take) {
  const Ranks& here = ranks();
  const std::vector<Task> mine = share_of(tasks, here);
  std::vector<const model::Scenario*> scenarios;
  for (const auto& s : record.scenarios) scenarios.push_back(s.scenario);
  // A rank other than 0 keeps its results whole until it sends them.
  const bool keep = !here.root();
  PlanOutcome out;
  progress(0, mine.size());
  try {
    out.finished = run_tasks(scenarios, mine, options, [&](const Task& t, ReplicationResult&& r) {
      if (keep) store(record, t.scenario, std::move(r));
      else take(t.scenario, std::move(r));
      progress(++out.done, mine.size());
    });
  } catch (const ReplicationFailure& e) {
    out.failure = e.what();
  }
  if (here.size > 1) {
    out.finished = gather(record, mine, out.finished, out.failure, take);
    out.done = 0;
    for (const auto& t : tasks) out.done += record.scenarios[t.scenario].done[t.replication];
  }
  return out;
}

}  // namespace dasim::batch
