#pragma once
// A run's replication results by scenario, and the summary rows (means, CIs, paired differences) every writer and
// the console table share.
#include <cstdint>
#include <string>
#include <vector>

#include "batch/replication.hpp"
#include "model/spec.hpp"
#include "stats/summary.hpp"

namespace dasim::batch {

struct ScenarioRun {
  const model::Scenario* scenario = nullptr;
  std::vector<ReplicationResult> replications;  // by replication index
  std::vector<bool> done;
};

struct RunRecord {
  std::uint64_t master_seed = 1;
  int replications = 0;
  std::string created;  // ISO 8601 UTC
  std::vector<ScenarioRun> scenarios;
  bool complete() const;
};

struct Row {
  std::string kind;  // "summary" or "difference"
  std::string scenario, baseline, service, pool, area, metric, units;
  stats::Summary summary;
};

/// Summary rows for every scenario, then paired differences of each later scenario against the first.
std::vector<Row> summary_rows(const RunRecord& run);

/// Whether the warm-up was long enough, per service: MSER (White 1997) on the replication-averaged monthly number
/// in the system (queued + in service) picks the truncation point that minimises the standard error of the mean
/// of what is kept; a point beyond the warm-up means the warm-up was too short.
struct WarmupCheck {
  std::string service;
  int warmup_months = 0;
  int mser_months = 0;  // suggested truncation, months from the start
  bool long_enough() const { return mser_months <= warmup_months; }
};
std::vector<WarmupCheck> warmup_checks(const ScenarioRun& run);

std::string utc_now();

}  // namespace dasim::batch
