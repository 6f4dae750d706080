#pragma once
// `dasim size`: the least capacity of one service that meets a target on one measure (docs/size.md).
//
// The search is a bisection on the integer capacity level whose every comparison is a sequential test: at a level,
// replications 0 .. n-1 (the same seeds at every level: common random numbers) are run at fixed counts n0, 2 n0,
// 4 n0 ... up to a maximum until the 95% t-interval of the measure lies wholly on one side of the threshold. This is
// the repeated-sampling bisection that Waeber, Frazier and Henderson (2013, "Bisection search with noisy responses",
// SIAM J. Control Optim. 51(3)) take as the baseline for probabilistic bisection, with the sign of f(level) - target
// decided by a fixed-width sequential confidence interval (Chow and Robbins 1965). It relies on the measure being
// monotone in capacity and checks that on every pair of neighbouring levels it visits (a paired-t interval).
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "batch/replication.hpp"
#include "batch/schema.hpp"
#include "model/spec.hpp"
#include "stats/summary.hpp"

namespace dasim::batch {

/// A target on one measure, e.g. "within_target >= 0.9" or "declined_share <= 0.2".
struct Target {
  std::string metric;
  bool at_least = true;  // ">=": met when the CI's lower end reaches the threshold; "<=": its upper end
  double threshold = 0;
  std::string text() const;
};
/// Parses "METRIC >= NUMBER" or "METRIC <= NUMBER"; throws std::invalid_argument saying what is wrong.
Target parse_target(const std::string& text);

/// One cell of the results schema: a group, a metric and one label on each of the group's axes. Selections name
/// axes by their schema name (service, area, and any axis the schema gains, e.g. risk), so a new axis plugs in by
/// name without changing the search.
struct MeasureCell {
  const Group* group = nullptr;
  std::size_t metric = 0;
  std::size_t at = 0;  // position in the group's array
  std::string description;  // for people: display name of the metric, the service and the area
  // A share of two metrics ("declined/entered"): the cell divided by this one, replication by replication.
  const Group* per_group = nullptr;
  std::size_t per_at = 0;
  double value(const ReplicationResult& result) const {
    const double x = (result.*(group->field))[at];
    return per_group ? x / (result.*(per_group->field))[per_at] : x;
  }
};
/// The cell of `metric` for `selections` (axis name -> label) in `scenario`: the first group of the schema holding
/// the metric whose axes are all selected; a selection of an axis the group does not have must be "all" (a
/// service-wide figure is for all areas). "A/B" is the share of two metrics, e.g. "declined/entered". Throws
/// std::invalid_argument naming what exists.
MeasureCell find_cell(const model::Scenario& scenario, const std::string& metric,
                      const std::map<std::string, std::string>& selections);

enum class Verdict { meets, fails, unclear };
const char* verdict_name(Verdict v);

struct SizeRule {
  int initial = 10;    // replications at each level first
  int maximum = 80;    // at most, near the boundary (counts double: 10, 20, 40, 80)
  double confidence = 0.95;
  int floor = 1;       // the least level tried
  int ceiling = 100;   // the most: a target unmet here is reported as impossible up to it
};

struct LevelResult {
  int level = 0;
  std::vector<double> values;  // the measure in replications 0 .. n-1
  stats::Summary summary;
  Verdict verdict = Verdict::unclear;
};

enum class SizeStatus { found, between, impossible, non_monotone, undefined };
const char* status_name(SizeStatus s);

struct SizeOutcome {
  SizeStatus status = SizeStatus::found;
  int level = 0;   // found/between: the least level shown to meet the target
  int below = -1;  // the level under it that was judged (-1: the answer is the floor, nothing below was tried)
  std::map<int, LevelResult> levels;  // every level visited
  int replications = 0;               // run in all, over every level
  std::string message;                // one paragraph for people
};

/// The measure in replications from .. to-1 at `level` (the caller runs them, on the same seeds at every level).
using LevelMeasure = std::function<std::vector<double>(int level, int from, int to)>;

/// Searches levels rule.floor .. rule.ceiling from `start` (the option's own level).
SizeOutcome search(const Target& target, int start, const SizeRule& rule, const LevelMeasure& measure);

}  // namespace dasim::batch
