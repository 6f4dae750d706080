#pragma once
// The results schema: the one place that says what a replication's result holds. Each metric group is one flat
// array of ReplicationResult and one dataset of the results file; the group names its axes (service, area, pool,
// month, payer, bin, risk, source), its metrics (name, units, display name) and how its cells become summary rows. Everything that
// reads or writes results asks the schema where metric m is, instead of counting positions.
//
// A new per-pool measure: record it in the model, then add one line to pool_measures() in schema.cpp (name, units,
// display name, and how to read it from model::PoolStats). The arrays, the HDF5 datasets and their labels, resume,
// the summary rows and CSV, and the Python reader all follow from that line.
#include <array>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <vector>

#include "model/pool_stats.hpp"
#include "model/social_care.hpp"
#include "model/spec.hpp"

namespace dasim::model {
struct WorldTotals;
}

namespace dasim::batch {

struct ReplicationResult;

/// An axis of a metric group. The replication axis comes first in every dataset and is not listed.
enum class Axis { service, area, pool, month, payer, bin, risk, source };
const char* axis_name(Axis axis);
/// The labels along an axis in a scenario: services; areas then "all"; pools; months "YYYY-MM"; payers; risk levels
/// (the `risk` attribute's values) and referral sources (model/breakdown.hpp). Bins have no labels (their edges are
/// bin_edges()).
std::vector<std::string> axis_labels(Axis axis, const model::Scenario& scenario);
std::size_t axis_size(Axis axis, const model::Scenario& scenario);

struct Metric {
  std::string name;     // key in files and summary rows, e.g. "wait_p90"
  std::string units;    // e.g. "days", "people/year", "share"
  std::string display;  // for people, e.g. "90th-percentile wait (days)"
};

/// A metric with the rule that computes it from what the model recorded. `years` is the observed window in years
/// (counts become rates a year).
template <class Source>
struct Measure {
  Metric metric;
  double (*value)(const Source& source, double years);
};

/// Time integrals of every pool that provides a service, added up.
struct ServiceTime {
  double queue_area = 0, busy_area = 0, capacity_area = 0, over_area = 0, observed_days = 0;
};
/// What the whole-system totals are computed from.
struct TotalsSource {
  const model::WorldTotals* world = nullptr;
  double service_cost = 0;                       // £ a year, all funders
  double cashable_outcome = 0, societal_outcome = 0;  // £ a year, all payers
};
/// One payer's outcome costs over the observed window: cashable, societal.
using PayerCost = std::array<double, 2>;

const std::vector<Measure<model::AreaTally>>& area_measures();
const std::vector<Measure<ServiceTime>>& service_measures();
const std::vector<Measure<model::PoolStats>>& pool_measures();
const std::vector<Measure<model::MonthBin>>& monthly_measures();
const std::vector<Measure<TotalsSource>>& total_measures();
const std::vector<Measure<PayerCost>>& outcome_measures();
/// Children's social care in one cell (an area, a risk level or a referral source): model/social_care.hpp.
const std::vector<Measure<model::CareTally>>& care_measures();

/// The shape of one group in one scenario: its axes' sizes, then the number of metrics (when it has a metric axis).
struct Shape {
  std::vector<std::size_t> dims;
  std::size_t size() const;
  /// Row-major position of a cell; `index` gives one value per dimension.
  std::size_t at(std::initializer_list<std::size_t> index) const;
};

struct Group {
  std::string name;          // "area_metrics"; also the /schema subgroup
  std::string dataset;       // per-scenario dataset of [replication, axes..., metric]
  std::string labels;        // per-scenario dataset naming the metrics ("" when there is none)
  std::vector<Axis> axes;    // outer axes, before the metric axis
  bool metric_axis = true;   // false: one value per cell, the dataset has no metric dimension
  bool optional = false;     // stored only when asked for (pool_monthly)
  std::vector<Metric> metrics;
  std::vector<double> ReplicationResult::*field = nullptr;

  Shape shape(const model::Scenario& scenario) const;
  /// Index of a metric by name; throws std::logic_error when the schema has none (a programming error).
  std::size_t metric(const std::string& name) const;
  /// Units for the dataset's `units` attribute: one per metric when the metrics are labelled, else the single unit.
  std::vector<std::string> units() const;
};

/// Whether a metric adds up across services into an all-services figure (a count a year does; a wait does not).
bool adds_across_services(const Metric& metric);

/// Every group, in the order of the wire format.
const std::vector<Group>& groups();
const Group& area_group();
const Group& service_group();
const Group& pool_group();
const Group& monthly_group();
const Group& pool_monthly_group();
const Group& histogram_group();
const Group& totals_group();
const Group& outcome_group();
/// The area metrics again by risk level and by referral source, per service; outcome costs by risk and by source.
const Group& risk_group();
const Group& source_group();
const Group& risk_outcome_group();
const Group& source_outcome_group();
/// Children's social care of the households referred, by home area (areas, then "all"), risk level and source.
const Group& care_group();
const Group& risk_care_group();
const Group& source_care_group();

/// Edges of the wait-histogram bins in days: each bin's lower edge, then the top edge of the last bin.
std::vector<double> bin_edges();
constexpr int kHistogramBins = model::WaitHistogram::kBins;

/// Month labels "YYYY-MM" of the monthly bins.
std::vector<std::string> month_labels(const model::Scenario& scenario);

}  // namespace dasim::batch
