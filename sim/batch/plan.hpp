#pragma once
// A run's plan: which replications are still to do (after a resume), this MPI rank's share of them, and running
// that share with the results gathered at rank 0. The command line parses options and calls run_plan.
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "batch/ranks.hpp"
#include "batch/results.hpp"
#include "batch/runner.hpp"

namespace dasim::batch {

/// A run record with every replication of every scenario still to do.
RunRecord new_record(const std::vector<model::Scenario>& scenarios, std::uint64_t master_seed, int replications,
                     bool monthly_by_pool);

/// The tasks not yet done, replication by replication and within one replication scenario by scenario (so an
/// interrupted run has whole replications to compare). With `only_replication` >= 0, that replication alone.
std::vector<Task> plan_tasks(const RunRecord& record, long only_replication = -1);

/// Rank `ranks.rank`'s share: every `ranks.size`-th task from its own index on.
std::vector<Task> share_of(const std::vector<Task>& tasks, const Ranks& ranks);

/// Sets and returns a flag that SIGINT and SIGTERM raise: running replications end and no new ones start.
const std::atomic<bool>& stop_on_signals();

struct PlanOutcome {
  bool finished = false;  // every planned task, on every rank, ran to the end
  std::string failure;    // the first replication failure, if any (the run stopped there)
  std::size_t done = 0;   // planned tasks that finished (on every rank, at rank 0)
};

/// Runs this rank's share of `tasks` (`progress` is told each time one finishes) and, under MPI, gathers every
/// rank's results into `record` at rank 0. Other ranks return after sending theirs.
/// `stored`, if given, is told of each result as it is stored at this rank (to journal it at once).
PlanOutcome run_plan(RunRecord& record, const std::vector<Task>& tasks, const RunnerOptions& options,
                     const std::function<void(std::size_t done, std::size_t of)>& progress,
                     const std::function<void(int scenario, const ReplicationResult&)>& stored = {});

/// As run_plan, but each finished result (at rank 0: every rank's) is handed to `take` rather than stored in
/// `record` (a Collector keeps the run flat in replications). Other ranks keep theirs in `record` to send.
PlanOutcome run_plan_into(RunRecord& record, const std::vector<Task>& tasks, const RunnerOptions& options,
                          const std::function<void(std::size_t done, std::size_t of)>& progress,
                          const std::function<void(int scenario, ReplicationResult&&)>& take);

}  // namespace dasim::batch
