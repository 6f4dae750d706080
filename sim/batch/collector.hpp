#pragma once
// Where a run's finished replications go, so that the parent's memory stays flat in replications. Each result is
// handed at once to a sink (the journal and the streamed results file keep it whole). In replication order, whatever
// order results arrive in, it is folded into running figures: the monthly bands and histograms (FigureAccumulator),
// the moments of every summary row and of the paired differences (RowMoments), and, for --precision, the key
// measures (PrecisionTracker); then it is dropped. At the end the exact percentiles are read back from where the
// results were streamed (batch/readback.hpp). The record keeps the arrays of its first few replications only.
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "batch/figures.hpp"
#include "batch/precision.hpp"
#include "batch/readback.hpp"
#include "batch/results.hpp"

namespace dasim::batch {

class Collector {
 public:
  using Sink = std::function<void(int scenario, const ReplicationResult&)>;
  static constexpr std::size_t kKeepAll = std::numeric_limits<std::size_t>::max();
  /// Fills `record` (which must outlive this) as results arrive; `sink`, if any, sees every whole result first.
  /// Replications below `keep` keep their summary arrays in the record (a sensitivity run and the console read the
  /// first few); with kKeepAll every one does, and summarise() needs no reader (a run that writes no results file).
  Collector(RunRecord& record, Sink sink, std::size_t keep = kKeepAll);

  /// One finished replication of scenario `scenario`, in any order.
  void add(int scenario, ReplicationResult&& result);
  /// Replications from `count` on wait before reaching the figures: a sequential run may yet stop below them.
  void hold_from(std::uint64_t count);
  /// Judges the key measures of --precision as replications arrive (whatever the hold), in replication order.
  void track(std::vector<KeyMeasure> keys, const PrecisionRule& rule);
  /// The precision rule on replications 0 .. available-1 (all arrived): see batch::decide.
  PrecisionDecision decide(int available) const;
  /// The summary of the record's replications (after a sequential run's keep_first, of the first n only). The
  /// percentiles are read back through `reader` (nullptr: from the record, which must then keep every replication).
  RunSummary summarise(const ReplicationReader* reader = nullptr, std::size_t budget = kReadbackBudget);
  /// Events simulated in the replications folded so far (all scenarios), for the console's rate.
  double events() const { return events_; }
  /// How many numbers the collector and the record hold for replications, other than the done flags: what must not
  /// grow with the number of replications (a test checks it).
  std::size_t values_held() const;

  /// Whether a group is folded into the figures only; the others are summary arrays, which summary rows read.
  static bool folded(const Group& group);

 private:
  void drain(std::size_t scenario, std::uint64_t below, bool skip_gaps);
  void fold(std::size_t scenario, ReplicationResult&& result);
  RunRecord& record_;
  Sink sink_;
  std::size_t keep_;
  std::vector<RowSpec> specs_;
  RowMoments moments_;
  std::vector<FigureAccumulator> figures_;
  std::vector<std::map<std::uint64_t, ReplicationResult>> waiting_;  // per scenario: ahead of a gap, or held
  std::vector<std::uint64_t> next_;                                  // per scenario: the next replication to fold
  /// Replications folded by some scenarios but not yet all: their summary arrays, for the paired rows.
  std::map<std::uint64_t, std::vector<std::optional<ReplicationResult>>> pairing_;
  std::uint64_t hold_ = std::numeric_limits<std::uint64_t>::max();
  std::unique_ptr<PrecisionTracker> precision_;
  double events_ = 0;
};

}  // namespace dasim::batch
