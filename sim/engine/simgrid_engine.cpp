#include "engine/simgrid_engine.hpp"

#include <algorithm>
#include <atomic>
#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/NetZone.hpp>
#include <stdexcept>
#include <xbt/log.h>

namespace dasim::engine {

using simgrid::kernel::timer::Timer;

namespace {
std::atomic<bool> engine_made{false};
}

SimGridEngine::SimGridEngine() {
  if (engine_made.exchange(true))
    throw std::logic_error("SimGrid keeps one clock per process: run each replication in a fresh process");
  xbt_log_control_set("root.thresh:critical");
  int argc = 1;
  char name[] = "dasim";
  char* argv[] = {name, nullptr};
  // The engine lives for the rest of the process, as SimGrid expects.
  auto* engine = new simgrid::s4u::Engine(&argc, argv);
  auto* zone = simgrid::s4u::create_full_zone("world");
  zone->create_host("services", 1.0);
  zone->seal();
  (void)engine;
}

double SimGridEngine::now() const { return now_; }

void SimGridEngine::schedule(double date, const model::Event& event) {
  std::uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<std::uint32_t>(pending_.size());
    pending_.push_back({next_sequence_++, event});
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
    pending_[slot] = {next_sequence_++, event};
  }
  Timer::set(date, [this, slot] { fire(slot); });
}

void SimGridEngine::fire(std::uint32_t slot) {
  const auto [sequence, event] = pending_[slot];
  free_slots_.push_back(slot);
  if (failure_) return;
  try {
    const double date = now_ = simgrid::s4u::Engine::get_clock();
    if (same_date_.empty() && Timer::next() != date) {  // the common case: no other timer at this date
      return event.target->on_event(event);
    }
    same_date_.emplace_back(sequence, event);
    if (Timer::next() == date) return;  // more of this date still to come
    auto batch = std::move(same_date_);
    same_date_.clear();
    std::sort(batch.begin(), batch.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [seq, e] : batch) {
      e.target->on_event(e);
    }
  } catch (...) {
    // An exception must not escape into SimGrid's kernel: keep it and rethrow after the run.
    failure_ = std::current_exception();
  }
}

void SimGridEngine::run_until(double horizon) {
  simgrid::s4u::Engine::get_instance()->run_until(horizon);
  now_ = horizon;
  if (failure_) std::rethrow_exception(failure_);
}

}  // namespace dasim::engine
