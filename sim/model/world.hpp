#pragma once
// One replication: a fresh simulated world at t = 0, where people arrive, are sent from pool to pool by the Router
// and leave, with outcome costs and repeat referrals.
#include <array>
#include <boost/random/poisson_distribution.hpp>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "model/arrivals.hpp"
#include "model/calendar.hpp"
#include "model/household.hpp"
#include "model/recorder.hpp"
#include "model/person.hpp"
#include "model/router.hpp"
#include "model/scheduler.hpp"
#include "model/slab.hpp"
#include "model/social_care.hpp"
#include "model/spec.hpp"
#include "random/rng.hpp"

namespace dasim::model {

/// Raised when a scenario drives the model somewhere it cannot go (a routing loop, say).
struct ModelError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The most cases a replication may hold open at once. Each costs its case, its person and pending events; an
/// overloaded pool's queue grows without end, and this stops it with a message long before memory runs out.
constexpr std::size_t kMaxOpenCases = 2'000'000;

class Pool;

/// Totals of the whole replication, beside the per-pool records.
struct WorldTotals {
  double people = 0;            // new referrals after the warm-up
  double repeats = 0;           // repeat referrals after the warm-up
  double relocations = 0;       // moves across a boundary after triage
  double retriaged = 0;         // of which had to be triaged again (a different front door)
  double lost_at_retriage = 0;  // of which disengaged instead
  double events = 0;            // events scheduled and not cancelled, warm-up included
  double harmed_while_waiting = 0;  // people who suffered further abuse while waiting, after the warm-up
  // New referrals after the warm-up by role (MODEL.md §3): adult victims, the children in their households, and
  // perpetrators referred in their own right.
  double victims = 0, children = 0, perpetrators = 0;
  // Perpetrators whose case opened through the victim's referral (counted in `perpetrators` too), and of them
  // those who completed a programme, after the warm-up (docs/model.md §4.3).
  double linked_perpetrators = 0, linked_completed = 0;
  // Perpetrators opened with their family at early help, and self-referring perpetrators matched to a household
  // still open (docs/model.md §4.3), after the warm-up.
  double family_perpetrators = 0, matched_perpetrators = 0;
  // Children on cases of their own who left after the warm-up: those who completed a service, and the days they
  // waited in all (over the observed window, their time-average number waiting by Little's law).
  double children_supported = 0, child_wait_days = 0;
  // Expected outcome cost the households' completed perpetrator programmes avoided, after the warm-up: for each
  // household leaving with its perpetrator's programme completed, its chance of each outcome without the programme
  // less its chance with it, times the outcome's cost; [cashable, societal], £ over the observed window.
  std::array<double, 2> perpetrator_cost_avoided{};
  std::uint64_t households = 0;  // order-free fingerprint of every household referred, warm-up included (model/household)
  std::vector<double> outcome_count;                 // by outcome
  std::vector<std::array<double, 2>> outcome_cost;   // by payer: [cashable, societal], £ over the observed window
  // The same outcome costs by the person's risk level and by their referral source (model/breakdown.hpp).
  std::vector<std::array<double, 2>> outcome_cost_by_risk, outcome_cost_by_source;
  // Children's social care inside the measured window (model/social_care.hpp), by the household's home area, risk
  // level and referral source; its cost is in the outcome costs above too, under its payer.
  std::vector<CareTally> care_by_area, care_by_risk, care_by_source;
};

class World final : public EventTarget {
 public:
  World(const Scenario& scenario, Scheduler& scheduler, std::uint64_t master_seed, std::uint64_t replication);
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  /// Schedules the first arrivals and the calendar; the engine then runs to `horizon()`.
  void start();
  /// Closes the time averages at the end of the run.
  void finish();
  double horizon() const { return scenario_.simulation.horizon_days(); }

  const std::vector<std::unique_ptr<Pool>>& pools() const { return pools_; }
  const WorldTotals& totals() const { return totals_; }
  const Calendar& calendar() const { return calendar_; }
  const Scenario& scenario() const { return scenario_; }

  // for pools
  double now() const { return scheduler_.now(); }
  void schedule(double date, const Event& event) { schedule_cancellable(date, event); }
  /// As schedule, keeping a handle for cancel.
  EventHandle schedule_cancellable(double date, const Event& event) {
    ++totals_.events;
    return scheduler_.schedule(date, event);
  }
  /// Withdraws an event that would only be stale when it fired; it no longer counts as simulated.
  void cancel(const EventHandle& handle) {
    if (scheduler_.cancel(handle)) --totals_.events;
  }
  Case& case_at(std::uint32_t id) { return cases_[id]; }
  Person& person_of(std::uint32_t case_id) { return people_[cases_[case_id].person]; }
  int area_of(std::uint32_t case_id) { return person_of(case_id).attributes[kArea]; }
  /// The cells the case's person is counted in: home area, risk level and referral source.
  Who who(std::uint32_t case_id) {
    const Person& p = person_of(case_id);
    return Who{p.attributes[kArea], risk_of(p), p.attributes[kSource]};
  }
  /// A pool is done with a case: send it on by the pool's routes for this outcome, or close it.
  void finished(std::uint32_t case_id, Outcome outcome);
  bool after_warmup() const { return warm_; }

  void on_event(const Event& event) override;

 private:
  enum Kind : std::uint32_t { kArrival, kMonth, kWarmupEnd, kDelayedEntry, kRepeat };
  void arrive(int source_index);
  void draw_attributes(Person& person, const ArrivalSpec& arrival);
  void send(std::uint32_t case_id, int service, const Route* route);
  std::uint32_t open_case(std::uint32_t person_id);
  void close_case(std::uint32_t case_id);
  /// The person's last case has closed: book outcome costs, then a repeat referral or goodbye.
  void person_leaves(std::uint32_t person_id);
  /// Draws whether the leaving person suffered further abuse while waiting (WaitingHarmSpec), and counts it.
  bool harmed_while_waiting(Person& person);
  int risk_of(const Person& person) const { return risk_attribute_ >= 0 ? person.attributes[risk_attribute_] : 0; }
  /// Books one outcome's cost to its payer, and under the person's risk level and referral source.
  void book_outcome(const Person& person, const OutcomeSpec& outcome);
  /// Draws the trajectory through children's social care of each child of a leaving adult, and books its part
  /// inside the measured window (model/social_care.hpp).
  void children_in_social_care(Person& adult);
  /// Opens a case at `to` for each child of the adult's household: each child a person of their own, with the
  /// household's area, source and risk and a stream made from the adult's (model/household.cpp).
  void open_child_cases(std::uint32_t adult_id, const Destination& to);
  /// Opens a case at `to` for the perpetrator the adult victim's referral names, if it names one: a person of
  /// their own with the household's area, source and risk and a stream made from the victim's. The victim's
  /// household stays open until that case ends, so its outcomes and re-referral follow the programme's result.
  void open_perpetrator_case(std::uint32_t victim_id, const Destination& to, Person::Link link);
  /// A linked perpetrator has left: their result passes to the victim's household, which may now leave too.
  void perpetrator_done(std::uint32_t perpetrator_id);
  /// The adult takes a whole-family route: their children, and the perpetrator where the route allows, open cases
  /// at the same service.
  void open_family_cases(std::uint32_t adult_id, const Destination& to);
  /// A self-referring perpetrator just arrived: links them to a household referred recently in their area, if the
  /// stream matches households and that household is still open (docs/model.md §4.3).
  void match_household(std::uint32_t perpetrator_id, const ArrivalSpec& arrival);
  /// Hands a case to its pool; a family admitted to a pool with `children_to` has its children referred on.
  void enter(std::uint32_t case_id);
  /// Counts a move across a boundary after triage, after the warm-up.
  void count(Move move);
  /// Stops the replication when kMaxOpenCases is passed, naming the pool with the longest queue.
  [[noreturn]] void too_many_open_cases() const;

  const Scenario& scenario_;
  Scheduler& scheduler_;
  Calendar calendar_;
  std::vector<ArrivalRate> rates_;
  std::vector<random::Rng> arrival_rngs_;
  std::vector<std::uint64_t> arrival_counts_;
  std::vector<std::uint64_t> person_streams_;  // stream family of each arrival stream's people
  // Count attributes' Poisson laws by [attribute][row], built once: a Boost Poisson sets up its tables (exp, log,
  // sqrt of the mean) on construction and draws with a const call, so sharing one changes no variate.
  std::vector<std::vector<boost::random::poisson_distribution<int>>> count_laws_;
  int children_attribute_ = -1;
  int risk_attribute_ = -1;
  HouseholdSlots household_slots_;
  HouseholdLaw household_law_;
  // Victims' new referrals by area over the longest matching window: what a self-referring perpetrator is matched
  // to. Filled from the arrivals alone, so it is the same in every option (common random numbers).
  struct KnownHousehold {
    double referred = 0;
    std::uint64_t stream = 0;  // who: checked against the slot, which may since have been given to someone else
    std::uint32_t person = 0;
  };
  std::vector<std::deque<KnownHousehold>> known_households_;
  double match_window_ = 0;
  Router router_;
  std::vector<std::unique_ptr<Pool>> pools_;
  Slab<Person> people_;
  Slab<Case> cases_;
  WorldTotals totals_;
  int month_ = 0;
  int routing_depth_ = 0;
  std::size_t open_cases_ = 0;
  bool warm_ = false;
};

}  // namespace dasim::model
