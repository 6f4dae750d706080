#pragma once
// What `dasim size` found for one option, and the rows every writer shares (console, CSV, HDF5 /sizing).
#include <string>
#include <vector>

#include "batch/size.hpp"
#include "batch/size_capacity.hpp"

namespace dasim::batch {

struct SizingAnswer {
  CapacityPlan plan;
  Target target;
  MeasureCell cell;         // the target measure
  std::string selection;    // e.g. "service=idva, area=all"
  SizeOutcome outcome;
  model::Scenario at_answer;  // the option with the service at the level found (for found/between)
  std::vector<ReplicationResult> results;        // at the answer, replications 0 .. n-1
  double seconds = 0;
};

/// One line of the answer: kind "answer", "target", "cost", "other" or "level"; `level` is the capacity it is at.
struct SizingRow {
  std::string option, service, kind, name, units;
  int level = 0;
  stats::Summary summary;  // a cost has no spread: mean = ci_low = ci_high
  std::string note;
};

/// The rows of one answer: the answer itself; the target measure at the level and one below; annual cost by funder
/// at the level and its change from the option as given; every other service's share within target, mean wait
/// and people declined at the level; and each level the search visited.
std::vector<SizingRow> sizing_rows(const SizingAnswer& answer);

/// Annual cost by funder of a scenario (the commissioning path's figure, model/commissioning and funder_costs).
std::vector<double> costs_by_funder(const model::Scenario& scenario);

}  // namespace dasim::batch
