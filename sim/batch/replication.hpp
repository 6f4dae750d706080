#pragma once
// One replication, run in this process, reduced to flat arrays of metrics (plain data that crosses a pipe or an
// MPI message unchanged). The layout of each array is fixed by the metric name lists below and documented in
// docs/results-format.md.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "model/spec.hpp"

namespace dasim::batch {

inline const std::vector<std::string> kAreaMetrics{"entered", "declined", "started", "disengaged", "completed",
                                                    "wait_mean", "wait_p50", "wait_p90", "wait_p95", "within_target"};
inline const std::vector<std::string> kAreaUnits{"people/year", "people/year", "people/year", "people/year", "people/year",
                                                  "days", "days", "days", "days", "share"};
inline const std::vector<std::string> kServiceMetrics{"mean_queue", "mean_busy", "mean_capacity", "occupancy"};
inline const std::vector<std::string> kServiceUnits{"people", "places", "places", "share"};
inline const std::vector<std::string> kPoolMetrics{"mean_queue", "mean_busy", "mean_capacity", "occupancy",
                                                    "little_L", "little_lambda_W", "throughput"};
inline const std::vector<std::string> kPoolUnits{"people", "places", "places", "share", "people", "people", "people/year"};
inline const std::vector<std::string> kMonthlyMetrics{"entered", "declined", "started", "disengaged", "completed",
                                                       "wait_mean", "mean_queue", "mean_busy", "occupancy"};
inline const std::vector<std::string> kMonthlyUnits{"people", "people", "people", "people", "people",
                                                     "days", "people", "places", "share"};
inline const std::vector<std::string> kTotals{"people", "repeats", "relocations", "retriaged", "lost_at_retriage",
                                               "service_cost", "outcome_cost", "cashable_outcome_cost",
                                               "societal_outcome_cost", "events"};
inline const std::vector<std::string> kTotalUnits{"people/year", "people/year", "people/year", "people/year",
                                                   "people/year", "GBP/year", "GBP/year", "GBP/year", "GBP/year", "events"};
constexpr int kHistogramBins = 256;

struct ReplicationResult {
  std::uint64_t replication = 0;
  std::vector<double> area_metrics;     // [services][areas+1][kAreaMetrics]
  std::vector<double> service_metrics;  // [services][kServiceMetrics]
  std::vector<double> pool_metrics;     // [pools][kPoolMetrics]
  std::vector<double> monthly;          // [services][months][kMonthlyMetrics]
  std::vector<double> pool_monthly;     // [pools][months][kMonthlyMetrics], only when asked for (it is large)
  std::vector<double> histogram;        // [services][areas+1][kHistogramBins]
  std::vector<double> totals;        // [kTotals]
  std::vector<double> outcome_cost;  // [payers][2]: cashable, societal; £ a year
};

/// Seed that identifies replication k of a run (stored in results, and what `--only-replication` reruns).
std::uint64_t replication_seed(std::uint64_t master_seed, std::uint64_t replication);

/// Runs one replication in this process. SimGrid allows one per process: call it in a fresh worker.
ReplicationResult run_replication(const model::Scenario& scenario, std::uint64_t master_seed, std::uint64_t replication,
                                  bool monthly_by_pool = false);

/// Annual service cost per funder, from the contracts (the same in every replication).
std::vector<double> funder_costs(const model::Scenario& scenario);

/// Month labels "YYYY-MM" of the monthly bins.
std::vector<std::string> month_labels(const model::Scenario& scenario);

/// Binary form for pipes and MPI messages.
std::string serialize(const ReplicationResult& result);
ReplicationResult deserialize(const std::string& bytes);

}  // namespace dasim::batch
