#pragma once
// Where a run's finished replications go, so that the parent's memory stays flat in replications. Each result is
// handed at once to a sink (the journal and the streamed results file keep it whole); the run record keeps only the
// groups the summary rows are read from (a few hundred numbers a replication, for exact percentiles); the monthly
// series and histograms are folded into running figures in replication order and dropped.
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <vector>

#include "batch/figures.hpp"
#include "batch/results.hpp"

namespace dasim::batch {

class Collector {
 public:
  using Sink = std::function<void(int scenario, const ReplicationResult&)>;
  /// Fills `record` (which must outlive this) as results arrive; `sink`, if any, sees every whole result first.
  Collector(RunRecord& record, Sink sink);

  /// One finished replication of scenario `scenario`, in any order.
  void add(int scenario, ReplicationResult&& result);
  /// Replications from `count` on wait before reaching the figures: a sequential run may yet stop below them.
  void hold_from(std::uint64_t count);
  /// The summary of the record's replications (after a sequential run's keep_first, of the first n only).
  RunSummary summarise();

  /// Whether a group is folded into the figures rather than kept in the record.
  static bool folded(const Group& group);

 private:
  void drain(std::size_t scenario, std::uint64_t below, bool skip_gaps);
  RunRecord& record_;
  Sink sink_;
  std::vector<FigureAccumulator> figures_;
  std::vector<std::map<std::uint64_t, ReplicationResult>> waiting_;  // per scenario: ahead of a gap, or held
  std::vector<std::uint64_t> next_;                                  // per scenario: the next replication to fold
  std::uint64_t hold_ = std::numeric_limits<std::uint64_t>::max();
};

}  // namespace dasim::batch
