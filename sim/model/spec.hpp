#pragma once
// The validated description of one scenario: plain data, built by sim/scenario/ from TOML and read by the model.
// Names have been resolved to indices here, so the model never looks anything up by string.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/display_names.hpp"
#include "random/distribution.hpp"

namespace dasim::model {

constexpr double kDaysPerYear = 365.25;
constexpr int kMaxAttributes = 16;
/// Values a condition can tell apart (areas, sources, categories): it holds the allowed ones in 64 bits.
constexpr std::size_t kMaxValues = 64;
/// The largest count an attribute may take: people store attribute values in 16 bits.
constexpr int kMaxCount = 32767;
constexpr double kUnlimited = std::numeric_limits<double>::infinity();

/// Attribute slots every person has. `area` and `source` come first so that rules can test them like any other.
enum BuiltinAttribute : int { kArea = 0, kSource = 1, kFirstDrawnAttribute = 2 };

/// A test on one attribute: categorical and flag values by set membership, counts by range.
struct Clause {
  int attribute = 0;
  std::uint64_t allowed_mask = ~0ULL;  // bit v set: value v allowed (categorical and flag)
  int min = std::numeric_limits<int>::min();
  int max = std::numeric_limits<int>::max();
};
/// All clauses must hold; an empty condition always holds.
struct Condition {
  std::vector<Clause> clauses;
  bool empty() const { return clauses.empty(); }
};

enum class AttributeKind { categorical, flag, count };

/// How one attribute is drawn at arrival. The row of `weights` (categorical, flag) or `means` (count: Poisson)
/// is chosen by the value of attribute `by`, which is drawn earlier; without `by` there is one row.
struct AttributeSpec {
  std::string name;
  AttributeKind kind = AttributeKind::flag;
  std::vector<std::string> values;           // categorical names; flags are {"false", "true"}
  int by = -1;
  std::vector<std::vector<double>> weights;  // [row][value]
  std::vector<double> means;                 // [row], counts: min_count + Poisson(mean - min_count)
  int min_count = 0;
  Condition when;                            // drawn only when this holds, else 0
  int max_count = 20;
};

/// Rate multiplier over a date range, e.g. the festive period; `yearly` repeats it every year of the run.
struct DatedFactor {
  int first_day = 0;  // day offsets from the start date, inclusive
  int last_day = 0;
  double factor = 1;
  bool yearly = false;
};

/// A non-homogeneous Poisson stream of referrals from one source in one area.
struct ArrivalSpec {
  std::string name;
  int area = 0;
  int source = 0;
  double rate_per_year = 0;
  std::array<double, 12> seasonal{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};  // January..December
  double trend_per_year = 0;  // compound growth of the rate, e.g. 0.03 = +3% a year
  std::vector<DatedFactor> dated;
  int service = 0;  // where referrals enter
  std::vector<std::pair<int, int>> fixed_attributes;  // (attribute, value) set instead of drawn
  // A perpetrator's self-referral matched to a household already known to the services (docs/model.md §4.3): with
  // chance `match_known` their victim is one referred in the same area within the last `match_within_days`, chosen
  // from the perpetrator's own stream; otherwise (or when `match_within_days` is 0) they stay unlinked.
  double match_known = 0;
  double match_within_days = 0;
  bool matches_household() const { return match_known > 0 && match_within_days > 0; }
};

/// A route's destination that ends the case (`to = "exit"`), rather than a service.
constexpr int kExit = -1;

/// One way onward: if `when` holds, with probability `p`, go to one of `to` (weighted), after `delay`.
struct Route {
  Condition when;
  double p = 1;
  std::vector<int> to;          // services
  std::vector<double> weights;  // cumulative, normalised
  std::optional<random::Distribution> delay;
  bool each_child = false;  // an `also` route that opens a case for each child of the household, not the adult
  // An `also` route that opens a case for the household's perpetrator, when the referral names one: perpetrator
  // work linked to the victim it protects (docs/model.md §4.3).
  bool household_perpetrator = false;
  // An exclusive route that takes the whole family (early help, 003 §4d): the household's children open cases at
  // the same service, and its perpetrator too when known and when `family_perpetrator` holds for the adult (000
  // §3.11: "including the perpetrator where risk assessed as safe to do so").
  bool whole_family = false;
  std::optional<Condition> family_perpetrator;
};

/// What a pool's `workers` count: staff on a caseload, bed units, groups run at once, or meetings sitting at once.
enum class CapacityUnit { staff, units, groups, sittings };

/// From `day` on, the pool has `count` of its unit.
struct CapacityChange {
  double day = 0;
  int count = 0;
};

/// When service may start: days of the week (bit 0 = Monday) and hours of the day.
struct OpeningHours {
  bool always = true;
  std::uint8_t days = 0x7f;
  double from_hour = 0, to_hour = 24;
};

/// Caseloads (staff, each holding some open cases) and beds (units): places each held by one case.
struct PlacesSpec {
  CapacityUnit unit = CapacityUnit::staff;
  int cases_per_worker = 1;                      // caseload: open cases each worker holds
  std::optional<random::Distribution> move_on;  // occupied after support ends, until move-on is found
  bool decline_when_full = false;
  OpeningHours open;
  // Under pressure a caseload stretches rather than refuses (SafeLives, MODEL.md §5): above its recommended places
  // it takes on up to `stretch` more (a share of them) before anyone waits, and a case begun above the recommended
  // level gets `stretched_duration` of the support (thinner, shorter).
  double stretch = 0;
  double stretched_duration = 1;
};

/// Cohort programmes: a group starts when enough are waiting, or on scheduled dates.
struct GroupSpec {
  int group_min = 1, group_max = 1;
  double schedule_first = -1, schedule_every = 0;  // scheduled starts (days); schedule_every = 0: none
  double dropout = 0;                              // share who leave before the end
};

/// Periodic meetings such as MARAC, reviewing waiting cases at each sitting.
struct MeetingSpec {
  double first = 0, interval = 14;  // days
  int cases_per_sitting = std::numeric_limits<int>::max();
};

/// One contract's capacity for one service, serving some areas: what every pool has, and its kind's own part.
struct PoolSpec {
  std::string name;
  int service = 0;
  std::vector<bool> serves_area;
  int count = 1;  // the scenario's `workers`, in unit(): staff, units, groups or sittings
  std::vector<CapacityChange> capacity_changes;
  random::Distribution duration;
  std::optional<random::Distribution> patience;  // leaves the queue after this long
  double max_queue = kUnlimited;
  Condition eligible;
  int priority_attribute = -1;
  std::vector<int> priority_rank;  // by value of priority_attribute; lower is served first
  double target_days = 1;
  bool target_working_days = false;  // target counted in working days (Monday to Friday)

  std::vector<Route> next;        // exclusive: the first route that applies
  std::vector<Route> also;        // in parallel: every route that applies opens a case there too
  std::vector<Route> on_decline;  // full, ineligible or queue cap reached
  std::vector<Route> on_disengage;
  bool support = true;  // completing here counts as having been supported (not so a front door's triage)
  std::vector<std::pair<int, int>> on_complete_set;  // (attribute, value) set on completing
  // The service a family's children are referred to when the adult is admitted here (or waits for a place): the
  // refuge children's worker for a refuge (000 §2.9.5). -1: none.
  int children_to = -1;

  std::variant<PlacesSpec, GroupSpec, MeetingSpec> kind;

  /// "caseload", "beds", "group" or "meeting", as the scenario names the kind.
  const char* kind_name() const;
  CapacityUnit unit() const;
  /// Cases that `count` of the unit hold at once: a meeting holds none (cases wait for it, then leave).
  int places_for(int count) const;
  int places() const { return places_for(count); }
  /// Mean days a case holds a place: the duration, plus move-on for beds.
  double mean_hold() const;
  bool declines_when_full() const;
};

/// How a person's support ended, for outcome probabilities and repeat hazards.
enum class SupportResult : int { completed = 0, disengaged = 1, declined = 2, none = 3 };
constexpr int kSupportResults = 4;

/// One thing a contract buys: a share of its front-line money spent on one pool at a unit cost (£ a year per worker,
/// bed unit or group running all year). The pool's capacity is what that money buys (model/commissioning).
struct Purchase {
  int pool = 0;
  double share = 1;      // of the contract's front-line money
  double unit_cost = 0;  // £ a year per unit of the pool (staff, units, groups)
};

/// One contract: what it buys, what it costs, who pays.
///
/// Money comes first: `annual_value` less the commissioners' `efficiency` cut is the envelope. Each contract spends
/// `management_cost` (£ a year: management, contract monitoring and reporting) and an on-cost `overhead` on
/// every £ of front-line spending. A joint contract that `merges` several separate ones needs one management team
/// instead of `merges`: the duplicate management it removes is its `saving`, banked (the envelope falls) or
/// reinvested (it buys units of `reinvest_pool`).
struct ContractSpec {
  std::string name;
  std::vector<int> pools;            // every pool it pays for: those in `buys`, or fixed-capacity pools
  std::vector<Purchase> buys;        // empty: a fixed-capacity contract whose pools keep their `workers`
  double annual_value = 0;           // £ a year before efficiency
  double efficiency = 0;             // share cut from the value by the commissioners (000 §7.1)
  double management_cost = 0;        // £ a year per contract
  double overhead = 0;               // on-cost share on front-line spending
  int merges = 1;                    // separate contracts this one replaces
  double pay_inflation = 0;          // a year: the fixed envelope buys less each contract year (000 §3.13)
  std::vector<double> funder_share;  // by funder index
  bool reinvested = false;
  int reinvest_pool = -1;
  double cost_per_worker = 0;
  int extra_workers = 0;             // reinvested saving as units of the reinvest pool (places, for a bought caseload)

  double envelope() const { return annual_value * (1 - efficiency); }
  /// Duplicate management removed by joining `merges` contracts into one.
  double saving() const { return (merges - 1) * management_cost; }
  /// What the funders pay a year: the envelope, less a banked saving.
  double annual_cost() const { return envelope() - (reinvested ? 0 : saving()); }
  /// £ a year left for front-line units once management and on-costs are paid, before any reinvested saving:
  /// the same whether the saving is banked or reinvested.
  double front_line() const { return (envelope() - merges * management_cost) / (1 + overhead); }
};

/// A cost that may follow a person's time in the system, with a probability shaped by their support.
struct OutcomeSpec {
  std::string name;
  int payer = 0;
  bool cashable = true;
  double initial_cost = 0, annual_cost = 0, years = 0;
  double probability = 0;
  std::array<double, kSupportResults> effect{1, 1, 1, 1};
  double wait_penalty = 0;  // relative rise in probability per day waited
  double thin_support_loss = 0;  // share of completed support's effect lost when it was given above a recommended caseload
  bool per_child = false;
  bool after_waiting_harm = false;  // a cost of further abuse while waiting: `probability` is its chance among those harmed
  // Factor on the chance when the household's perpetrator completed a programme (`perpetrator_completed`), e.g.
  // police DA incidents -30% (Drive evaluation 2020, MODEL.md §7).
  double perpetrator_completed_effect = 1;
  Condition when;
  double cost() const { return initial_cost + annual_cost * years; }
  /// The chance of this outcome for one person: from how support ended, how long they waited and, for a cost of
  /// further abuse while waiting, whether they suffered it.
  double chance(SupportResult result, bool thinned, double waited, bool harmed_while_waiting) const {
    if (after_waiting_harm) return harmed_while_waiting ? probability : 0;
    return std::min(1.0, probability * effect_for(result, thinned) * (1 + wait_penalty * waited));
  }
  /// The effect for a person whose support ended as `result`, thinned if it was given above a recommended caseload.
  double effect_for(SupportResult result, bool thinned) const {
    const double e = effect[static_cast<int>(result)];
    if (result != SupportResult::completed || !thinned) return e;
    return e + thin_support_loss * (effect[static_cast<int>(SupportResult::none)] - e);
  }
};

/// Children's social care (CSC) states a child can be in, after none: Child in Need, Child Protection, Looked After
/// (000 §3.22-3.23). The model of how a child moves through them is model/social_care.hpp.
enum class CareState : int { child_in_need = 0, child_protection = 1, looked_after = 2, none = 3 };
constexpr int kCareStates = 3;  // the states with a plan and a cost: none is not one of them

/// One CSC state: what it costs, how long a plan period lasts and where a child goes at a period's end. The chances
/// are those of a child whose adult had no support; what is left of 1 after them is another period in the state.
struct CareStateSpec {
  double initial_cost = 0;   // £ on entering the state
  double annual_cost = 0;    // £ a year in it
  double period_years = 1;   // mean length of one plan period (exponential), at whose end the plan is reviewed
  double entry = 0;          // chance that a child enters CSC in this state when the adult's case closes
  double escalate = 0;       // at a review: Child in Need -> Child Protection, Child Protection -> Looked After
  double step_down = 0;      // at a review: Child Protection -> Child in Need
  double close = 0;          // at a review: the case closes
};

/// Children's social care for the children of the adults whose case closes (docs/model.md §9.2): each child draws
/// a trajectory through the states, and the adult's support changes its chances.
struct SocialCareSpec {
  bool enabled = false;
  int payer = 0;
  bool cashable = true;
  std::array<CareStateSpec, kCareStates> states;
  // Factors by how the adult's support ended: on the entry chances, on escalations and on de-escalations
  // (Child Protection stepped down or closed, 000 §3.21).
  std::array<double, kSupportResults> entry_effect{1, 1, 1, 1};
  std::array<double, kSupportResults> escalation_effect{1, 1, 1, 1};
  std::array<double, kSupportResults> de_escalation_effect{1, 1, 1, 1};
  double wait_penalty = 0;       // relative rise in the entry chances per day the adult waited
  double thin_support_loss = 0;  // share of completed support's effects lost when it was given above a caseload
  Condition when;                // whose children: the adult's attributes (victims)
  const CareStateSpec& state(CareState s) const { return states[static_cast<int>(s)]; }
};

/// Further abuse while waiting for support (22.2% of women waiting for refuge, Women's Aid 2024): a risk that grows
/// with the days a person really queued, and one of its own for someone declined with no place found anywhere.
struct WaitingHarmSpec {
  bool enabled = false;
  double daily_risk = 0;     // hazard per day queued
  double declined_risk = 0;  // chance for someone whose support ended `declined`: no place anywhere
  Condition when;            // who is at risk (victims)
  double chance(double days_waited, SupportResult result) const {
    const double spared_decline = result == SupportResult::declined ? 1 - declined_risk : 1;
    return 1 - spared_decline * std::exp(-daily_risk * days_waited);
  }
};

struct RepeatSpec {
  bool enabled = false;
  std::array<double, kSupportResults> annual_hazard{0, 0, 0, 0};
  std::vector<std::pair<Condition, double>> modifiers;
  int service = 0;
  std::vector<std::pair<int, int>> set;
};

struct RelocationSpec {
  bool enabled = false;
  int front_door = 0;
  double probability = 0;
  std::optional<random::Distribution> retriage_delay;
  double retriage_dropout = 0;
};

struct AreaSpec {
  std::string name;
  double population = 0;
  double adult_females = 0;
};

struct SimulationSpec {
  int start_year = 2025, start_month = 4, start_day = 1;
  double years = 1;
  double warmup_days = 0;
  double pay_award = 0;  // a year: every contract's `pay_inflation` unless it states its own (000 §3.13)
  double horizon_days() const { return years * kDaysPerYear; }
};

struct Scenario {
  std::string name;
  std::string description;
  std::string display_name;  // the option as a board reads it; the name made readable when the scenario gives none
  DisplayNames display_names;
  std::string source_text;  // the verbatim files, for the results record
  /// Each file of the `extends` chain as the loader read it, base first: (name as given, verbatim text). A
  /// sensitivity run reads these again with overrides, so it varies the text that ran, not the file on disk now.
  std::vector<std::pair<std::string, std::string>> source_files;
  std::vector<std::pair<std::string, double>> overrides;  // (dotted key, value) applied over those files at load
  SimulationSpec simulation;
  std::vector<AreaSpec> areas;
  std::vector<std::string> sources;
  std::vector<std::string> services;
  std::vector<AttributeSpec> attributes;  // indices from kFirstDrawnAttribute; area and source are 0 and 1
  std::vector<ArrivalSpec> arrivals;
  std::vector<PoolSpec> pools;
  std::vector<std::vector<int>> service_pool;  // [service][area] -> pool
  std::vector<std::string> funders;
  std::vector<std::string> payers;
  std::vector<ContractSpec> contracts;
  std::vector<OutcomeSpec> outcomes;
  WaitingHarmSpec waiting_harm;
  RepeatSpec repeat;
  RelocationSpec relocation;
  SocialCareSpec social_care;

  int attribute_index(const std::string& name) const;
  const AttributeSpec* attribute(int index) const {
    return index >= kFirstDrawnAttribute ? &attributes[index - kFirstDrawnAttribute] : nullptr;
  }
};

}  // namespace dasim::model
