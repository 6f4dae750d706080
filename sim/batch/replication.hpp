#pragma once
// One replication, run in this process, reduced to flat arrays of metrics (plain data that crosses a pipe or an
// MPI message unchanged). Where each metric sits in the arrays is said by the results schema (batch/schema.hpp).
#include <cstdint>
#include <vector>

#include "model/spec.hpp"

namespace dasim::batch {

/// One array per metric group of the schema; the comments give each array's layout.
struct ReplicationResult {
  std::uint64_t replication = 0;
  std::vector<double> area_metrics;     // [services][areas+1][area metrics]
  std::vector<double> service_metrics;  // [services][service metrics]
  std::vector<double> pool_metrics;     // [pools][pool metrics]
  std::vector<double> monthly;          // [services][months][monthly metrics]
  std::vector<double> pool_monthly;     // [pools][months][monthly metrics], only when asked for (it is large)
  std::vector<double> histogram;        // [services][areas+1][histogram bins]
  std::vector<double> totals;           // [total metrics]
  std::vector<double> outcome_cost;     // [payers][cashable, societal]; £ a year
  std::vector<double> risk_metrics;         // [services][risk levels][area metrics]
  std::vector<double> source_metrics;       // [services][referral sources][area metrics]
  std::vector<double> risk_outcome_cost;    // [risk levels][cashable, societal]; £ a year
  std::vector<double> source_outcome_cost;  // [referral sources][cashable, societal]; £ a year
  std::vector<double> care_metrics;         // [areas+1][care metrics]: children's social care
  std::vector<double> risk_care_metrics;    // [risk levels][care metrics]
  std::vector<double> source_care_metrics;  // [referral sources][care metrics]
};

/// Seed that identifies replication k of a run (stored in results, and what `--only-replication` reruns).
std::uint64_t replication_seed(std::uint64_t master_seed, std::uint64_t replication);

/// Runs one replication in this process. SimGrid allows one per process: call it in a fresh worker.
ReplicationResult run_replication(const model::Scenario& scenario, std::uint64_t master_seed, std::uint64_t replication,
                                  bool monthly_by_pool = false);

/// Annual service cost per funder, from the contracts (the same in every replication).
std::vector<double> funder_costs(const model::Scenario& scenario);

}  // namespace dasim::batch
