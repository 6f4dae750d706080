#pragma once
// Figures derived from a scenario's replications or its contracts, each computed once here and then printed or
// written: the merged wait histogram, the warm-up check, the split of contract costs, and the monthly series'
// confidence bands. Writers lay them out; they do no arithmetic of their own.
#include <string>
#include <vector>

#include "batch/results.hpp"

namespace dasim::batch {

/// Whether the warm-up was long enough, per service: MSER (White 1997) on the replication-averaged monthly number
/// in the system (queued + in service) picks the truncation point that minimises the standard error of the mean
/// of what is kept; a point beyond the warm-up means the warm-up was too short.
struct WarmupCheck {
  std::string service;
  int warmup_months = 0;
  int mser_months = 0;  // suggested truncation, months from the start
  bool drifting = false;  // the truncation hit its limit (half the run): the series has no steady level
  // The first month after the warm-up in which the service's capacity changes (a pay award eroding a fixed envelope),
  // or -1: from then on the series trends because its inputs do, which no warm-up removes.
  int capacity_trend_month = -1;
  bool long_enough() const { return mser_months <= warmup_months; }
  bool trends() const { return capacity_trend_month >= 0; }
};
std::vector<WarmupCheck> warmup_checks(const ScenarioRun& run);

/// A contract's annual cost and how it is split between funders and between services. The service split is by the
/// workers of the contract's pools, an approximation where one contract buys several services.
struct ContractSplit {
  std::string name;
  double annual_cost = 0;
  std::vector<double> funder_share;   // [funders]
  std::vector<double> service_share;  // [services]
};
std::vector<ContractSplit> contract_splits(const model::Scenario& scenario);

/// The statistics the monthly band holds per cell, in order.
inline const std::vector<std::string> kBandStatistics{"mean", "ci_low", "ci_high"};

struct ScenarioFigures {
  std::vector<double> wait_histogram;  // [services][areas+1][bins]: the finished replications' histograms summed
  std::vector<WarmupCheck> warmup;     // per service; empty when the run is too short to judge
  std::vector<ContractSplit> contracts;
  std::vector<double> monthly_band;    // [services][months][monthly metrics][kBandStatistics]: 95% CI of the mean
};
ScenarioFigures scenario_figures(const ScenarioRun& run);

/// The replication-dependent figures built one replication at a time, so that a run need not keep every
/// replication's monthly series and histograms: fed in replication order, it gives exactly (bit for bit) what
/// scenario_figures computes over the same replications (the same Welford update as stats::summarize).
class FigureAccumulator {
 public:
  explicit FigureAccumulator(const model::Scenario& scenario);
  /// Adds the next replication, in replication order (the sums and the running variance depend on the order).
  void add(const ReplicationResult& result);
  ScenarioFigures figures() const;

 private:
  const model::Scenario* scenario_;
  int replications_ = 0;
  std::vector<double> histogram_;             // summed
  std::vector<std::vector<double>> warmup_;   // per service: monthly number in system, summed
  std::vector<double> band_n_, band_mean_, band_m2_;  // per monthly cell: Welford's running moments
};

/// Everything a run's writers and console print, computed once.
struct RunSummary {
  std::vector<Row> rows;
  std::vector<ScenarioFigures> scenarios;  // in run order
};
RunSummary summarise(const RunRecord& run);

}  // namespace dasim::batch
