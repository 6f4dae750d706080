#include "batch/collector.hpp"

#include <stdexcept>

#include "batch/schema.hpp"

namespace dasim::batch {

namespace {

/// The summary arrays of a result (those summary rows read), moved out of it.
ReplicationResult summary_arrays(ReplicationResult& result) {
  ReplicationResult out;
  out.replication = result.replication;
  for (const Group& g : groups())
    if (!Collector::folded(g)) out.*g.field = std::move(result.*g.field);
  return out;
}

std::size_t values_in(const ReplicationResult& r) {
  std::size_t n = 0;
  for (const Group& g : groups()) n += (r.*g.field).size();
  return n;
}

}  // namespace

Collector::Collector(RunRecord& record, Sink sink, std::size_t keep)
    : record_(record), sink_(std::move(sink)), keep_(keep), specs_(row_specs(record)),
      moments_(specs_, record.scenarios.size()) {
  for (ScenarioRun& s : record.scenarios) {
    figures_.emplace_back(*s.scenario);
    // Only the first `keep` replications are kept; their arrays are made now, at their final size, and only filled
    // later: made as results arrive, each would pin the heap between the larger arrays freed around it.
    if (s.replications.size() > keep_) {
      s.replications.resize(keep_);
      s.replications.shrink_to_fit();
    }
    for (ReplicationResult& r : s.replications)
      for (const Group& g : groups())
        if (!folded(g)) (r.*g.field).reserve(g.shape(*s.scenario).size());
  }
  waiting_.resize(record.scenarios.size());
  next_.assign(record.scenarios.size(), 0);
}

bool Collector::folded(const Group& group) {
  // By field, not by name: any other group of the schema (a new one too) stays in the record for the summary.
  return group.field == monthly_group().field || group.field == pool_monthly_group().field ||
         group.field == histogram_group().field;
}

void Collector::add(int scenario, ReplicationResult&& result) {
  ScenarioRun& run = record_.scenarios.at(static_cast<std::size_t>(scenario));
  const std::uint64_t r = result.replication;
  if (r >= run.done.size()) throw std::out_of_range("a replication beyond the run's count");
  if (sink_) sink_(scenario, result);
  if (r < run.replications.size()) {  // kept: the summary arrays, copied into the space made for them
    ReplicationResult& kept = run.replications[r];
    kept.replication = r;
    for (const Group& g : groups())
      if (!folded(g)) (kept.*g.field).assign((result.*g.field).begin(), (result.*g.field).end());
  }
  const bool again = run.done[r];
  run.done[r] = true;
  if (again || r < next_[scenario]) return;  // already folded (a resumed run's journal may repeat one)
  if (precision_) precision_->add(scenario, r, result);
  waiting_[scenario][r] = std::move(result);
  drain(static_cast<std::size_t>(scenario), hold_, false);
}

void Collector::drain(std::size_t scenario, std::uint64_t below, bool skip_gaps) {
  auto& waiting = waiting_[scenario];
  // Fold in replication order: the next one once it has arrived; at the end, past replications that never ran.
  while (!waiting.empty() && waiting.begin()->first < below) {
    const std::uint64_t r = waiting.begin()->first;
    if (r != next_[scenario] && !skip_gaps) break;  // a gap: wait for it
    fold(scenario, std::move(waiting.begin()->second));
    waiting.erase(waiting.begin());
    next_[scenario] = r + 1;
  }
}

void Collector::fold(std::size_t scenario, ReplicationResult&& result) {
  static const std::size_t events_at = totals_group().metric("events");
  if (result.totals.size() > events_at) events_ += result.totals[events_at];
  figures_[scenario].add(result);
  moments_.add_plain(scenario, result);
  if (record_.scenarios.size() < 2) return;
  // The paired rows wait until every option has folded this replication (each folds in order, so pairs complete
  // in order too).
  const std::uint64_t r = result.replication;
  auto& pair = pairing_[r];
  pair.resize(record_.scenarios.size());
  pair[scenario] = summary_arrays(result);
  std::vector<const ReplicationResult*> all;
  for (const auto& p : pair) {
    if (!p) return;
    all.push_back(&*p);
  }
  moments_.add_paired(all);
  pairing_.erase(r);
}

void Collector::hold_from(std::uint64_t count) {
  hold_ = count;
  for (std::size_t s = 0; s < waiting_.size(); ++s) drain(s, hold_, false);
}

void Collector::track(std::vector<KeyMeasure> keys, const PrecisionRule& rule) {
  precision_ = std::make_unique<PrecisionTracker>(std::move(keys), record_.scenarios.size(), rule);
}

PrecisionDecision Collector::decide(int available) const {
  if (!precision_) throw std::logic_error("Collector::decide without track()");
  return precision_->decide(available);
}

std::size_t Collector::values_held() const {
  std::size_t n = 0;
  for (const ScenarioRun& s : record_.scenarios)
    for (const ReplicationResult& r : s.replications) n += values_in(r);
  for (const auto& w : waiting_)
    for (const auto& [r, result] : w) n += values_in(result);
  for (const auto& [r, pair] : pairing_)
    for (const auto& p : pair) n += p ? values_in(*p) : 0;
  return n + (precision_ ? precision_->values_held() : 0);
}

RunSummary Collector::summarise(const ReplicationReader* reader, std::size_t budget) {
  for (std::size_t s = 0; s < record_.scenarios.size(); ++s) {
    // The end: what still waits is folded in order, gaps (replications never run) left out, and a sequential
    // run's replications beyond its count dropped.
    drain(s, record_.scenarios[s].done.size(), true);
    waiting_[s].clear();
  }
  pairing_.clear();  // replications that some option never ran: no pair
  const RecordReader from_record(record_);
  if (!reader) {
    for (const ScenarioRun& s : record_.scenarios)
      if (s.replications.size() < s.done.size())
        throw std::logic_error("Collector::summarise: the record keeps only some replications; read them back from the file");
    reader = &from_record;
  }
  RunSummary out{rows_of(specs_, summaries(specs_, moments_.moments(), record_, *reader, budget)), {}};
  for (std::size_t s = 0; s < record_.scenarios.size(); ++s) out.scenarios.push_back(figures_[s].figures());
  return out;
}

}  // namespace dasim::batch
