#include "model/pools.hpp"

#include "model/breakdown.hpp"

#include <algorithm>
#include <cmath>

namespace dasim::model {

Pool::Pool(World& world, const PoolSpec& spec)
    : world_(world),
      spec_(spec),
      stats_(static_cast<int>(world.scenario().areas.size()), world.calendar().months_in_horizon(),
             static_cast<int>(risk_levels(world.scenario()).size()), static_cast<int>(source_count(world.scenario()))),
      queue_(spec.priority_attribute >= 0 ? static_cast<int>(spec.priority_rank.size()) : 1) {}

void Pool::start() {
  set_capacity(spec_.count);
  if (!spec_.capacity_changes.empty())
    world_.schedule(spec_.capacity_changes.front().day, event(kCapacityChange));
}

void Pool::set_capacity(int count) {
  capacity_ = capacity_for(count);
  recorder_->capacity_changed(world_.now(), spec_.places_for(count));
}

void Pool::on_event(const Event& e) {
  if (e.kind == kRenege) return patience_due(e.epoch);
  if (e.kind == kCapacityChange) {
    set_capacity(spec_.capacity_changes[next_capacity_change_++].count);
    if (next_capacity_change_ < spec_.capacity_changes.size())
      world_.schedule(spec_.capacity_changes[next_capacity_change_].day, event(kCapacityChange));
    return dispatch();
  }
  handle(e);
}

void Pool::enter(std::uint32_t case_id) {
  world_.case_at(case_id).entered = world_.now();
  recorder_->entered(world_.now(), world_.who(case_id));
}

void Pool::enqueue(std::uint32_t case_id) {
  Case& c = world_.case_at(case_id);
  const Person& person = world_.person_of(case_id);
  const int level = spec_.priority_attribute >= 0 ? spec_.priority_rank[person.attributes[spec_.priority_attribute]] : 0;
  c.queued = true;
  queue_.push(case_id, c.epoch, level);
  recorder_->joined_queue(world_.now());
  if (spec_.patience) {
    const double deadline = world_.now() + spec_.patience->sample(world_.person_of(case_id).rng);
    deadlines_.add(deadline, case_id, c.epoch);
    // The timer moves only if this deadline comes before the one it is set for (the earliest of the others).
    if (!patience_armed_ || deadline < armed_for_.date) arm_patience();
  }
}

void Pool::arm_patience() {
  const PatienceDeadline* next = deadlines_.earliest([this](std::uint32_t id, std::uint32_t epoch) { return is_live(id, epoch); });
  if (patience_armed_) world_.cancel(patience_timer_);
  patience_armed_ = next != nullptr;
  if (!next) return;
  armed_for_ = *next;
  patience_timer_ = world_.schedule_cancellable(next->date, event(kRenege, 0, ++patience_generation_));
}

void Pool::settle_patience() {
  if (!spec_.patience || (patience_armed_ && is_live(armed_for_.case_id, armed_for_.epoch))) return;
  arm_patience();
}

void Pool::patience_due(std::uint32_t generation) {
  if (!patience_armed_ || generation != patience_generation_) return;  // replaced after its date's batch began
  patience_armed_ = false;
  const double now = world_.now();
  // Every waiting case whose deadline is now gives up, in the order they joined (ties are rare: a fixed patience).
  while (const PatienceDeadline* due = deadlines_.earliest([this](std::uint32_t id, std::uint32_t epoch) { return is_live(id, epoch); })) {
    if (due->date > now) break;
    const PatienceDeadline leaving = *due;
    deadlines_.pop();
    renege(leaving.case_id, leaving.epoch);  // may route a case back here, which may arm the timer
  }
  settle_patience();
}

bool Pool::is_live(std::uint32_t case_id, std::uint32_t epoch) {
  const Case& c = world_.case_at(case_id);
  return c.queued && c.epoch == epoch;
}

bool Pool::take_from_queue(std::uint32_t& case_id) {
  if (!queue_.pop([this](std::uint32_t id, std::uint32_t epoch) { return is_live(id, epoch); }, case_id)) return false;
  Case& c = world_.case_at(case_id);
  c.queued = false;
  ++c.epoch;  // its patience deadline is now dead, and dropped when it reaches the front
  const double now = world_.now(), wait = now - c.entered;
  world_.person_of(case_id).waited += wait;
  const bool on_time = spec_.target_working_days ? now <= world_.calendar().add_working_days(c.entered, spec_.target_days)
                                                 : wait <= spec_.target_days;
  recorder_->started_after_wait(now, world_.who(case_id), wait, on_time);
  return true;
}

void Pool::renege(std::uint32_t case_id, std::uint32_t epoch) {
  if (!is_live(case_id, epoch)) return;
  Case& c = world_.case_at(case_id);
  c.queued = false;
  ++c.epoch;
  queue_.forget_one();
  const double now = world_.now(), wait = now - c.entered;
  world_.person_of(case_id).waited += wait;
  recorder_->gave_up_waiting(now, world_.who(case_id), wait);
  world_.finished(case_id, Outcome::disengaged);
}

void Pool::decline(std::uint32_t case_id) {
  recorder_->declined(world_.now(), world_.who(case_id));
  world_.finished(case_id, Outcome::declined);
}

// ---------------------------------------------------------------------------------------------------------------

void PlacePool::start() {
  Pool::start();  // the doors' opening is scheduled only while someone waits for it (arm_opening)
}

void PlacePool::arm_opening() {
  if (places_.open.always || opening_armed_) return;
  // The next opening after now: today's if the doors have not opened yet, else the next open day's.
  const double now = world_.now();
  const double day_to_search = open_now() ? std::floor(now) + 1 : now;
  world_.schedule(next_opening(places_.open, world_.calendar(), day_to_search), event(kOpening));
  opening_armed_ = true;
}

bool PlacePool::open_now() const { return places_.open.always || is_open(places_.open, world_.calendar(), world_.now()); }

void PlacePool::arrive(std::uint32_t case_id) {
  enter(case_id);
  if (!matches(spec_.eligible, world_.person_of(case_id))) return decline(case_id);
  const bool full = busy_ >= limit();
  if (!full && queue_.size() == 0 && open_now()) {
    recorder_->started_without_wait(world_.now(), world_.who(case_id));
    return begin(case_id);
  }
  if ((full && places_.decline_when_full) || queue_.size() >= spec_.max_queue) return decline(case_id);
  enqueue(case_id);
  arm_opening();
}

void PlacePool::begin(std::uint32_t case_id) {
  Case& c = world_.case_at(case_id);
  c.started = world_.now();
  // Begun above the recommended caseload: the support is thinner and shorter.
  const bool stretched = busy_ >= capacity_;
  ++busy_;
  recorder_->occupied(c.started, 1);
  Person& person = world_.person_of(case_id);
  double duration = spec_.duration.sample(person.rng);
  if (stretched) duration *= places_.stretched_duration, person.thinned = person.thinned || spec_.support;
  world_.schedule(c.started + duration, event(kServiceEnd, case_id, c.epoch));
}

void PlacePool::dispatch() {
  if (!open_now()) return;
  std::uint32_t case_id;
  while (busy_ < limit() && take_from_queue(case_id)) begin(case_id);
  settle_patience();
}

void PlacePool::handle(const Event& e) {
  const double now = world_.now();
  switch (e.kind) {
    case kServiceEnd: {
      recorder_->completed(now, world_.who(e.id));
      if (places_.move_on) {
        // Support has ended but the place stays occupied until move-on accommodation is found.
        const double hold = places_.move_on->sample(world_.person_of(e.id).rng);
        world_.schedule(now + hold, event(kRelease));
      } else {
        --busy_;
        recorder_->released(now, 1);
      }
      world_.finished(e.id, Outcome::completed);
      if (!places_.move_on) dispatch();
      break;
    }
    case kRelease:
      --busy_;
      recorder_->released(now, 1);
      dispatch();
      break;
    case kOpening:
      dispatch();
      // An opening with nobody waiting would do nothing: the next is armed when someone next queues.
      opening_armed_ = false;
      if (queue_.size() > 0) arm_opening();
      break;
    default: break;
  }
}

// ---------------------------------------------------------------------------------------------------------------

void GroupPool::start() {
  Pool::start();
  if (group_.schedule_every > 0) world_.schedule(std::max(0.0, group_.schedule_first), event(kGroupStart));
}

void GroupPool::arrive(std::uint32_t case_id) {
  enter(case_id);
  if (!matches(spec_.eligible, world_.person_of(case_id))) return decline(case_id);
  if (queue_.size() >= spec_.max_queue) return decline(case_id);
  enqueue(case_id);
  if (group_.schedule_every <= 0) dispatch();
}

void GroupPool::dispatch() {
  while (running_ < capacity_ && queue_.size() >= group_.group_min) start_cohort();
  settle_patience();
}

void GroupPool::start_cohort() {
  const std::uint32_t index = cohorts_.acquire();
  Cohort& cohort = cohorts_[index];
  cohort.members.clear();
  cohort.started = world_.now();
  std::uint32_t case_id;
  while (static_cast<int>(cohort.members.size()) < group_.group_max && take_from_queue(case_id)) {
    Case& c = world_.case_at(case_id);
    c.group = index;
    c.started = cohort.started;
    cohort.members.emplace_back(case_id, c.epoch);
  }
  ++running_;
  recorder_->occupied(cohort.started, static_cast<int>(cohort.members.size()));
  // The programme's length is drawn from its first member's stream; each member's dropout from their own.
  const double length = spec_.duration.sample(world_.person_of(cohort.members.front().first).rng);
  for (const auto& [id, epoch] : cohort.members) {
    random::Rng& rng = world_.person_of(id).rng;
    if (group_.dropout > 0 && rng.uniform() < group_.dropout)
      world_.schedule(cohort.started + rng.uniform() * length, event(kDropout, id, epoch));
  }
  world_.schedule(cohort.started + length, event(kGroupEnd, index));
}

void GroupPool::handle(const Event& e) {
  const double now = world_.now();
  switch (e.kind) {
    case kGroupStart:
      dispatch();
      world_.schedule(now + group_.schedule_every, event(kGroupStart));
      break;
    case kDropout: {
      Case& c = world_.case_at(e.id);
      if (c.epoch != e.epoch) break;
      ++c.epoch;  // a dropped member is not completed at the end of the cohort
      recorder_->disengaged_in_service(now, world_.who(e.id));
      world_.finished(e.id, Outcome::disengaged);
      break;
    }
    case kGroupEnd: {
      Cohort& cohort = cohorts_[e.id];
      // Places in a closed cohort stay taken until it ends, dropouts included.
      recorder_->released(now, static_cast<int>(cohort.members.size()));
      --running_;
      const auto members = std::move(cohort.members);
      cohorts_.release(e.id);
      for (const auto& [id, epoch] : members) {
        Case& c = world_.case_at(id);
        if (c.epoch != epoch) continue;
        ++c.epoch;
        recorder_->completed(now, world_.who(id));
        world_.finished(id, Outcome::completed);
      }
      if (group_.schedule_every <= 0) dispatch();
      break;
    }
    default: break;
  }
}

// ---------------------------------------------------------------------------------------------------------------

void MeetingPool::start() {
  Pool::start();
  world_.schedule(meeting_.first, event(kSitting));
}

void MeetingPool::arrive(std::uint32_t case_id) {
  enter(case_id);
  if (!matches(spec_.eligible, world_.person_of(case_id))) return decline(case_id);
  enqueue(case_id);
}

void MeetingPool::handle(const Event& e) {
  const double now = world_.now();
  switch (e.kind) {
    case kSitting: {
      // Review up to the sitting's capacity; the rest wait for the next one.
      std::uint32_t case_id;
      for (int reviewed = 0; reviewed < meeting_.cases_per_sitting && take_from_queue(case_id); ++reviewed) {
        Case& c = world_.case_at(case_id);
        c.started = now;
        world_.schedule(now + spec_.duration.sample(world_.person_of(case_id).rng), event(kServiceEnd, case_id, c.epoch));
      }
      settle_patience();
      world_.schedule(now + meeting_.interval, event(kSitting));
      break;
    }
    case kServiceEnd: {
      Case& c = world_.case_at(e.id);
      if (c.epoch != e.epoch) break;
      recorder_->completed(now, world_.who(e.id));
      world_.finished(e.id, Outcome::completed);
      break;
    }
    default: break;
  }
}

// ---------------------------------------------------------------------------------------------------------------

std::unique_ptr<Pool> make_pool(World& world, const PoolSpec& spec) {
  struct Make {
    World& world;
    const PoolSpec& spec;
    std::unique_ptr<Pool> operator()(const PlacesSpec& p) const { return std::make_unique<PlacePool>(world, spec, p); }
    std::unique_ptr<Pool> operator()(const GroupSpec& g) const { return std::make_unique<GroupPool>(world, spec, g); }
    std::unique_ptr<Pool> operator()(const MeetingSpec& m) const { return std::make_unique<MeetingPool>(world, spec, m); }
  };
  return std::visit(Make{world, spec}, spec.kind);
}

}  // namespace dasim::model
