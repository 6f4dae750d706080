#pragma once
// The Monte Carlo runner: replications of scenarios, each in a freshly forked worker process (SimGrid keeps one
// clock per process), at most `jobs` at a time. Results do not depend on `jobs`: a replication's streams are a
// pure function of (master seed, replication, stream name), and results are stored by index, not by arrival.
#include <atomic>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "batch/replication.hpp"
#include "model/spec.hpp"

namespace dasim::batch {

struct Task {
  int scenario = 0;
  std::uint64_t replication = 0;
};

/// A replication that failed: which one, with what seed, and why; enough to rerun it alone.
struct ReplicationFailure : std::runtime_error {
  ReplicationFailure(const std::string& what, int scenario, std::uint64_t replication)
      : std::runtime_error(what), scenario(scenario), replication(replication) {}
  int scenario;
  std::uint64_t replication;
};

struct RunnerOptions {
  std::uint64_t master_seed = 1;
  int jobs = 1;
  /// Set (e.g. by a signal handler) to stop: no new replications start and running ones are ended.
  const std::atomic<bool>* stop = nullptr;
  /// Also keep monthly series for every pool (large: pools × months per replication).
  bool monthly_by_pool = false;
};

/// Runs `tasks`, calling `on_result` in this process as each replication completes (in completion order).
/// Throws ReplicationFailure for the first replication that crashes or throws, after ending the others.
/// Returns false if stopped before every task was done.
bool run_tasks(const std::vector<const model::Scenario*>& scenarios, const std::vector<Task>& tasks,
               const RunnerOptions& options, const std::function<void(const Task&, ReplicationResult&&)>& on_result);

}  // namespace dasim::batch
