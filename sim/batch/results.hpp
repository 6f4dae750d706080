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

std::string utc_now();

}  // namespace dasim::batch
