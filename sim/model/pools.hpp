#pragma once
// Capacity: caseloads and beds (places held for a duration), group programmes (cohorts), periodic meetings.
// Each pool takes cases from World::send and hands them back through World::finished; it reports what it sees to
// a Recorder (its own PoolStats unless told otherwise). Each kind reads its own part of the spec; the base class
// holds what they share and never asks which kind it is.
#include <cstdint>
#include <deque>
#include <memory>
#include <utility>
#include <vector>

#include "model/patience.hpp"
#include "model/pool_stats.hpp"
#include "model/recorder.hpp"
#include "model/slab.hpp"
#include "model/world.hpp"

namespace dasim::model {

/// Waiting cases, FIFO within priority levels. Cases that leave early are dropped lazily: an entry whose
/// epoch no longer matches its case is skipped.
class CaseQueue {
 public:
  explicit CaseQueue(int levels) : levels_(std::max(1, levels)) {}
  void push(std::uint32_t case_id, std::uint32_t epoch, int level) { levels_[level].emplace_back(case_id, epoch); ++live_; }
  void forget_one() { --live_; }  // a queued case left by itself
  /// Takes the first live case, or returns false.
  template <class IsLive>
  bool pop(IsLive is_live, std::uint32_t& out) {
    for (auto& level : levels_) {
      while (!level.empty()) {
        const auto [id, epoch] = level.front();
        level.pop_front();
        if (is_live(id, epoch)) {
          --live_;
          out = id;
          return true;
        }
      }
    }
    return false;
  }
  int size() const { return live_; }

 private:
  std::vector<std::deque<std::pair<std::uint32_t, std::uint32_t>>> levels_;
  int live_ = 0;
};

class Pool : public EventTarget {
 public:
  Pool(World& world, const PoolSpec& spec);
  virtual ~Pool() = default;
  /// Sets the starting capacity and schedules the pool's own calendar (openings, capacity changes, sittings).
  virtual void start();
  virtual void arrive(std::uint32_t case_id) = 0;
  const PoolSpec& spec() const { return spec_; }
  const PoolStats& stats() const { return stats_; }
  /// Cases in the queue now.
  int waiting() const { return queue_.size(); }
  Recorder& recorder() { return *recorder_; }
  /// Sends what the pool sees to `recorder` instead of its own statistics (a test watching the pool).
  void report_to(Recorder& recorder) { recorder_ = &recorder; }

 protected:
  enum Kind : std::uint32_t { kServiceEnd, kRelease, kRenege, kOpening, kCapacityChange, kGroupStart, kGroupEnd, kDropout, kSitting };
  void on_event(const Event& event) override;
  virtual void handle(const Event& event) = 0;
  /// Hook: the kind's working capacity for `count` of its unit (places, or groups run at once).
  virtual int capacity_for(int count) const { return count; }
  /// Hook: dispatch whatever can start now; called after anything that frees capacity or opens the doors.
  virtual void dispatch() = 0;

  /// Puts a case in the queue, with a patience deadline if the pool has one.
  void enqueue(std::uint32_t case_id);
  /// Takes the first live case from the queue. The caller calls settle_patience() once it has taken what it will.
  bool take_from_queue(std::uint32_t& case_id);
  bool is_live(std::uint32_t case_id, std::uint32_t epoch);
  void renege(std::uint32_t case_id, std::uint32_t epoch);
  /// The patience timer has fired: every waiting case whose deadline has come gives up, then the timer is re-armed.
  void patience_due(std::uint32_t generation);
  /// Re-arms the patience timer if the case it was set for has left the queue (once after a run of takes, so a
  /// batch of starts costs at most one cancel).
  void settle_patience();
  /// Sets the one patience timer at the earliest deadline of a case still waiting, cancelling the old one.
  void arm_patience();
  void decline(std::uint32_t case_id);
  /// Marks the case as arrived now and reports it.
  void enter(std::uint32_t case_id);
  /// The pool has `count` of its unit from now on.
  void set_capacity(int count);
  Event event(Kind kind, std::uint32_t id = 0, std::uint32_t epoch = 0) { return Event{this, kind, id, epoch}; }

  World& world_;
  const PoolSpec& spec_;
  PoolStats stats_;
  Recorder* recorder_ = &stats_;
  CaseQueue queue_;
  // Patience: the deadlines of queued cases and the one engine timer, set at the earliest live deadline. Stale
  // timers (whose cancel came too late, in a batch of their date) carry an older generation and do nothing.
  PatienceDeadlines deadlines_;
  EventHandle patience_timer_;
  bool patience_armed_ = false;
  PatienceDeadline armed_for_;
  std::uint32_t patience_generation_ = 0;
  int capacity_ = 0;
  std::size_t next_capacity_change_ = 0;
};

/// Caseloads and beds: `capacity` places, each held by one case for its duration (plus move-on for beds).
class PlacePool final : public Pool {
 public:
  PlacePool(World& world, const PoolSpec& spec, const PlacesSpec& places) : Pool(world, spec), places_(places) {}
  void start() override;
  void arrive(std::uint32_t case_id) override;

 private:
  void handle(const Event& event) override;
  void dispatch() override;
  int capacity_for(int count) const override { return spec_.places_for(count); }
  void begin(std::uint32_t case_id);
  bool open_now() const;
  /// Schedules the next opening of the doors unless one is pending: called whenever a case joins the queue.
  void arm_opening();
  /// Places that may be held at once: the recommended ones, stretched under pressure.
  int limit() const { return capacity_ + static_cast<int>(capacity_ * places_.stretch); }
  const PlacesSpec& places_;
  int busy_ = 0;
  bool opening_armed_ = false;
};

/// Cohort programmes: a group starts when enough are waiting, or on scheduled dates, and runs for a set time.
class GroupPool final : public Pool {
 public:
  GroupPool(World& world, const PoolSpec& spec, const GroupSpec& group) : Pool(world, spec), group_(group) {}
  void start() override;
  void arrive(std::uint32_t case_id) override;

 private:
  struct Cohort {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> members;  // (case, epoch)
    double started = 0;
  };
  void handle(const Event& event) override;
  void dispatch() override;
  void start_cohort();
  const GroupSpec& group_;
  Slab<Cohort> cohorts_;
  int running_ = 0;
};

/// Periodic meetings such as MARAC: cases wait for the next sitting and are reviewed there in a batch.
class MeetingPool final : public Pool {
 public:
  MeetingPool(World& world, const PoolSpec& spec, const MeetingSpec& meeting) : Pool(world, spec), meeting_(meeting) {}
  void start() override;
  void arrive(std::uint32_t case_id) override;

 private:
  void handle(const Event& event) override;
  void dispatch() override {}
  const MeetingSpec& meeting_;
};

/// The pool of the spec's kind.
std::unique_ptr<Pool> make_pool(World& world, const PoolSpec& spec);

}  // namespace dasim::model
