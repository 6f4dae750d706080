#include "engine/simgrid_engine.hpp"

#include <algorithm>
#include <atomic>
#include <simgrid/kernel/Timer.hpp>
#include <simgrid/kernel/resource/Model.hpp>
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
  // dasim asks SimGrid for timers only, never for a CPU, network or disk action. Yet at every distinct date the
  // kernel's solve() and handle_ended_actions() visit each resource model the platform registered (four of them,
  // a host being required), which measured as half of SimGrid's instructions per event (bench/SIMGRID-STEP.md).
  // With no actions those visits find nothing, so the adapter empties the engine's list of models: timers still
  // run through SimGrid's own future-event set, in its own loop. get_all_models() hands out the engine's vector
  // itself (not a copy), which makes this possible; bench/SIMGRID-STEP.md says what to do if an upgrade changes it.
  auto& models = const_cast<std::vector<simgrid::kernel::resource::Model*>&>(engine->get_all_models());
  models.clear();
}

double SimGridEngine::now() const { return now_; }

model::EventHandle SimGridEngine::schedule(double date, const model::Event& event) {
  std::uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<std::uint32_t>(pending_.size());
    pending_.push_back({});
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  const std::uint64_t sequence = next_sequence_++;
  pending_[slot] = {sequence, event, Timer::set(date, [this, slot] { fire(slot); })};
  return {slot, sequence};
}

const model::Event* SimGridEngine::pending(const model::EventHandle& handle) const {
  if (handle.slot >= pending_.size()) return nullptr;
  const Pending& p = pending_[handle.slot];
  return p.timer && p.sequence == handle.sequence ? &p.event : nullptr;
}

bool SimGridEngine::cancel(const model::EventHandle& handle) {
  if (!pending(handle)) return false;
  Pending& p = pending_[handle.slot];
  p.timer->remove();  // erases it from the kernel's heap and deletes it
  p.timer = nullptr;
  free_slots_.push_back(handle.slot);
  return true;
}

void SimGridEngine::fire(std::uint32_t slot) {
  const auto [sequence, event, timer] = pending_[slot];
  pending_[slot].timer = nullptr;  // SimGrid deletes a timer once it has run
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
