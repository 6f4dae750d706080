#pragma once
// How many replications: run until the key measures are known to a relative precision (docs/precision.md).
//
// Hoad, Robinson and Davies (2010), "Automated selection of the number of replications for a discrete-event
// simulation", J. Oper. Res. Soc. 61(11): the replication algorithm. After n replications (n >= 3), the relative
// half-width of a measure's 95% confidence interval is d_n = t(n-1) s_n / (sqrt(n) |mean_n|). The solution is the
// first n at which d_n is within the precision for every key measure AND stays within it for the next f(n)
// replications (the look-ahead, kLimit = 5, or n kLimit / 100 beyond 100 replications), which guards against a
// chance early agreement. Decisions use replications 0, 1, 2, ... in that order only, so the count depends on the
// seed alone, never on how many workers or MPI ranks ran them.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "batch/results.hpp"
#include "stats/summary.hpp"

namespace dasim::batch {

struct PrecisionRule {
  double relative = 0.02;  // the half-width as a share of the mean
  double confidence = 0.95;
  int initial = 3;         // Hoad et al.: at least three replications before judging
  int look_ahead = 5;      // kLimit
  int maximum = 1000;      // give up here, and say which measures fell short
};

/// One measure the rule is applied to: of one scenario, or the paired difference of a scenario from the baseline
/// (judged against the baseline's mean, since a difference near zero has no relative precision of its own).
struct KeyMeasure {
  std::string label;
  int scenario = 0;
  bool difference = false;
  std::function<double(const ReplicationResult&)> value;
  std::function<double(const ReplicationResult&)> baseline_value;  // differences: the same measure in the baseline
};

/// The key measures of a run: per scenario, each service's mean wait, people started and completed (all areas),
/// and the totals of people and outcome costs; per later scenario, the paired differences of the same.
std::vector<KeyMeasure> key_measures(const RunRecord& record);

/// The replications look-ahead after n: kLimit up to 100, then n kLimit / 100.
int look_ahead(int n, const PrecisionRule& rule);

struct PrecisionDecision {
  bool decided = false;  // stop: the rule is met, or the maximum is reached
  bool met = false;
  int replications = 0;  // the solution (or the maximum)
  std::vector<std::string> short_of;  // key measures outside the precision at the maximum
  std::string reason;    // one sentence for the console and the results file
  /// Undecided: the solution will be at least this many replications (every smaller count has been ruled out), so
  /// replications below it are certain to be kept.
  int settled = 0;
};

/// The key measures' running moments, judged replication by replication in order as results arrive in any order:
/// a run keeps no replication's values for the rule (batch::Collector feeds it).
class PrecisionTracker {
 public:
  PrecisionTracker(std::vector<KeyMeasure> keys, std::size_t scenarios, const PrecisionRule& rule);
  /// Replication `replication` of scenario `scenario`, once; judged when every scenario's has arrived.
  void add(int scenario, std::uint64_t replication, const ReplicationResult& result);
  /// Applies the rule to replications 0 .. available-1 (all judged). Undecided when more are needed.
  PrecisionDecision decide(int available) const;
  /// Numbers held for replications not yet judged (those ahead of a gap): bounded by the replications in flight.
  std::size_t values_held() const;

 private:
  struct Arrived {  // one replication's key values, until every scenario's are in
    std::vector<double> own, baseline;
    std::size_t scenarios = 0;
  };
  void judge(const Arrived& values);
  std::vector<KeyMeasure> keys_;
  std::size_t scenarios_;
  PrecisionRule rule_;
  std::map<std::uint64_t, Arrived> arrived_;
  std::vector<stats::Moments> values_, baseline_;
  std::vector<bool> met_;                 // [n - 1]: every key within the precision after n replications
  std::vector<double> at_maximum_;        // each key's relative half-width after rule.maximum replications
};

/// Applies the rule to replications 0 .. available-1 of a record that keeps them all (all done).
PrecisionDecision decide(const RunRecord& record, const std::vector<KeyMeasure>& keys, int available,
                         const PrecisionRule& rule);

/// Keeps the first n replications of every scenario (the solution), as if the run had asked for n.
void keep_first(RunRecord& record, int n);

}  // namespace dasim::batch
