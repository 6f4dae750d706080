#pragma once
// The summary rows of a run that keeps no replication's values: running moments of every row, fed replication by
// replication in order (so the mean, SD and CI are bit for bit those of the whole record, whatever --jobs or MPI
// ranks), and at the end the exact percentiles, selected from the values read back from where they were streamed
// (the results file, output::ResultsStream, or the record itself) in a few passes whatever the number of
// replications: each pass narrows every row's wanted order statistics at once, by a histogram or by collecting the
// few values left, within a fixed memory budget.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "batch/results.hpp"
#include "stats/summary.hpp"

namespace dasim::batch {

/// Where a run's per-replication arrays can be read back from at its end.
class ReplicationReader {
 public:
  virtual ~ReplicationReader() = default;
  /// Group `group` of scenario `scenario`, replications [first, first + count), one replication's array after
  /// another (a replication not done may read as anything: its done flag says to skip it).
  virtual std::vector<double> read(std::size_t scenario, const Group& group, std::size_t first, std::size_t count) const = 0;
};

/// Reads a record that kept every replication's arrays (a run without a results file; tests).
class RecordReader : public ReplicationReader {
 public:
  explicit RecordReader(const RunRecord& run) : run_(run) {}
  std::vector<double> read(std::size_t scenario, const Group& group, std::size_t first, std::size_t count) const override;

 private:
  const RunRecord& run_;
};

/// Each row spec's running moments. A replication's results are added once every option that ran it is in (a
/// paired row needs the baseline's and its option's), in replication order.
class RowMoments {
 public:
  RowMoments(const std::vector<RowSpec>& specs, std::size_t scenarios);
  /// Replication r of every scenario (nullptr where that scenario did not run it); call in replication order.
  void add(const std::vector<const ReplicationResult*>& results);
  /// The plain rows of one scenario only (its options' results come later, or never).
  void add_plain(std::size_t scenario, const ReplicationResult& result);
  /// The paired rows, given every scenario's result of one replication.
  void add_paired(const std::vector<const ReplicationResult*>& results);
  const std::vector<stats::Moments>& moments() const { return moments_; }

 private:
  const std::vector<RowSpec>& specs_;
  std::vector<std::vector<std::size_t>> plain_;  // per scenario: its specs that read it alone
  std::vector<std::size_t> paired_;
  std::vector<stats::Moments> moments_;
};

/// Values held at once while percentiles are read back (8 bytes each; as many again for the arrays read), and an
/// eighth of the histogram counters (4 bytes each): bounds the end phase's memory, 2 + 2 + 8 MB, whatever the number
/// of replications.
constexpr std::size_t kReadbackBudget = std::size_t{1} << 18;

/// Every spec's summary: mean, SD and CI from `moments` (accumulated in replication order), percentiles (the order
/// statistics stats::percentile_ranks names, found exactly between the moments' min and max) from the values read
/// back through `reader` for the replications `run`'s done flags mark (a paired spec: both options').
/// Throws std::logic_error if what is read back does not match the moments (a file that is not this run's).
std::vector<stats::Summary> summaries(const std::vector<RowSpec>& specs, const std::vector<stats::Moments>& moments,
                                      const RunRecord& run, const ReplicationReader& reader,
                                      std::size_t budget = kReadbackBudget);

}  // namespace dasim::batch
