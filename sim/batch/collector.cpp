#include "batch/collector.hpp"

#include <stdexcept>

#include "batch/schema.hpp"

namespace dasim::batch {

Collector::Collector(RunRecord& record, Sink sink) : record_(record), sink_(std::move(sink)) {
  for (ScenarioRun& s : record.scenarios) {
    figures_.emplace_back(*s.scenario);
    // The kept arrays are made now, at their final size, and only filled later: made as results arrive, each would
    // pin the heap between the larger arrays freed around it, and the parent would grow by a whole result each.
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
  if (r >= run.replications.size()) throw std::out_of_range("a replication beyond the run's count");
  if (sink_) sink_(scenario, result);
  // The record keeps the summary's groups; the folded ones wait (if at all) only for the figures.
  ReplicationResult& kept = run.replications[r];
  ReplicationResult folding;
  folding.replication = kept.replication = r;
  for (const Group& g : groups()) {
    if (folded(g)) folding.*g.field = std::move(result.*g.field);
    else (kept.*g.field).assign((result.*g.field).begin(), (result.*g.field).end());  // into the space made for it
  }
  const bool again = run.done[r];
  run.done[r] = true;
  if (again || r < next_[scenario]) return;  // already folded (a resumed run's journal may repeat one)
  waiting_[scenario][r] = std::move(folding);
  drain(static_cast<std::size_t>(scenario), hold_, false);
}

void Collector::drain(std::size_t scenario, std::uint64_t below, bool skip_gaps) {
  auto& waiting = waiting_[scenario];
  // Fold in replication order: the next one once it has arrived; at the end, past replications that never ran.
  while (!waiting.empty() && waiting.begin()->first < below) {
    const std::uint64_t r = waiting.begin()->first;
    if (r != next_[scenario] && !skip_gaps) break;  // a gap: wait for it
    figures_[scenario].add(waiting.begin()->second);
    waiting.erase(waiting.begin());
    next_[scenario] = r + 1;
  }
}

void Collector::hold_from(std::uint64_t count) {
  hold_ = count;
  for (std::size_t s = 0; s < waiting_.size(); ++s) drain(s, hold_, false);
}

RunSummary Collector::summarise() {
  RunSummary out{summary_rows(record_), {}};
  for (std::size_t s = 0; s < record_.scenarios.size(); ++s) {
    // The end: what still waits is folded in order, gaps (replications never run) left out, and a sequential
    // run's replications beyond its count dropped.
    drain(s, record_.scenarios[s].replications.size(), true);
    waiting_[s].clear();
    out.scenarios.push_back(figures_[s].figures());
  }
  return out;
}

}  // namespace dasim::batch
