#pragma once
// A run's replication results by scenario, and the summary rows (means, CIs, paired differences) every writer and
// the console table share.
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "batch/replication.hpp"
#include "batch/schema.hpp"
#include "model/spec.hpp"
#include "stats/summary.hpp"

namespace dasim::batch {

struct ScenarioRun {
  const model::Scenario* scenario = nullptr;
  /// By replication index. A run that streams its results to a file keeps only the first few here (batch::Collector):
  /// done.size() is the number of replications.
  std::vector<ReplicationResult> replications;
  std::vector<bool> done;
};

/// One row of a one-at-a-time sensitivity analysis: an assumption set low and high in every option, and one
/// option's output's response. For an option other than the baseline, also how the difference option − baseline
/// (both at the same setting, same replications) moves: what a decision between them rests on.
struct SensitivityRow {
  std::string parameter, where, output, units;
  double base_value = 0, low_value = 0, high_value = 0;
  double output_base = 0, output_at_low = 0, output_at_high = 0;  // means over the sensitivity replications
  stats::Summary effect_low, effect_high;  // paired differences from the base, per replication
  std::string scenario;                    // the option whose output this is
  double difference_base = std::numeric_limits<double>::quiet_NaN();  // option − baseline; NaN for the baseline
  double difference_at_low = std::numeric_limits<double>::quiet_NaN(), difference_at_high = std::numeric_limits<double>::quiet_NaN();
  stats::Summary difference_change_low, difference_change_high;  // change in that difference, per replication
};

struct RunRecord {
  std::vector<SensitivityRow> sensitivity;
  bool monthly_by_pool = false;
  int sensitivity_replications = 0;
  std::uint64_t master_seed = 1;
  int replications = 0;
  std::string created;  // ISO 8601 UTC
  std::string replication_procedure = "fixed";  // or the sequential rule that chose the count (--precision)
  std::string stop_reason;                      // why a sequential run stopped where it did
  std::vector<ScenarioRun> scenarios;
  bool complete() const;
};

struct Row {
  std::string kind;  // "summary" or "difference"
  std::string scenario, baseline, service, pool, area, metric, units;
  stats::Summary summary;
};

/// How one summary row is read in one replication: from its option's result and, for a comparison, from the
/// baseline's result in the same replication. The rows' values are never kept by a streamed run: it keeps each spec's
/// running moments and reads the values back from its results file for the percentiles (batch/readback.hpp).
struct RowSpec {
  Row row;                   // what the row is; its summary is filled in at the end
  std::size_t scenario = 0;  // the option whose replications it reads
  bool paired = false;       // also reads the baseline (scenario 0): only replications both options ran count
  std::vector<std::vector<double> ReplicationResult::*> reads;  // the arrays it reads (of both results when paired)
  std::function<double(const ReplicationResult& own, const ReplicationResult& baseline)> value;
  bool hidden = false;   // an input of other rows (the extra service cost a return per £1 divides by), not a row
  int refused_by = -1;   // a return per £1: the hidden spec whose summary may refuse it (refusal())
};

/// The specs of every summary row, in the order of the rows: summary rows for every scenario, then paired
/// differences of each later scenario against the first. Besides the schema's groups, each scenario has rows of
/// service "(all services)": the area metrics that add across services (counts a year), summed over services, for
/// all areas. Rows by risk level and by referral source name their cell in the area column (breakdown_cell).
std::vector<RowSpec> row_specs(const RunRecord& run);
/// The rows, from each spec's summary (in the order of the specs): hidden specs are left out, and a return per £1
/// whose extra service cost refuses it is blanked and says why in its units.
std::vector<Row> rows_of(const std::vector<RowSpec>& specs, const std::vector<stats::Summary>& summaries);

/// The summary rows of a record that holds every replication's results (a run without a results file, a test).
std::vector<Row> summary_rows(const RunRecord& run);
constexpr const char* kAllServices = "(all services)";
/// Rows of outcome costs by risk level or referral source have this service; their area column names the cell.
constexpr const char* kOutcomeBy = "(outcome by person)";
/// Rows of children's social care (states, entries, de-escalations, cost) have this service; the area column names
/// the area, "all", or a risk or source cell.
constexpr const char* kSocialCare = "(children's social care)";
/// The area column of a row that is split by risk level or referral source instead of area: "risk:high",
/// "source:police". Rows split by area keep the area's name, or "all".
std::string breakdown_cell(Axis axis, const std::string& label);

/// Reads one measure, named as in the summary rows (service, area, metric), from a replication's result.
/// Throws std::invalid_argument naming what exists when there is no such measure.
std::function<double(const ReplicationResult&)> measure(const model::Scenario& scenario, const std::string& service,
                                                        const std::string& area, const std::string& metric,
                                                        std::string* units = nullptr);

std::string utc_now();

}  // namespace dasim::batch
