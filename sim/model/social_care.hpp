#pragma once
// Children's social care as states with durations and costs (000 §3.21-3.23, docs/model.md §9.2). When an adult
// victim's case closes, each child of the household draws a trajectory: whether they enter Child in Need, Child
// Protection or Looked After, then plan periods in that state, each ending in another period, an escalation, a
// step down or closure. The adult's support result changes the chances. A trajectory is drawn at once, from a
// stream of the child's own with a fixed number of variates, so the same child meets the same uniforms in every
// option (common random numbers); its costs and counts are then booked for the part inside the measured window.
// It is plain arithmetic, not events: the engine never sees it.
#include <array>
#include <cstdint>
#include <vector>

#include "model/spec.hpp"
#include "random/rng.hpp"

namespace dasim::model {

/// Plan periods one trajectory may hold: a child still in care after them leaves it (the cap keeps the number of
/// variates fixed; at the default chances fewer than 1 in 10,000 children reach it).
constexpr int kMaxCarePeriods = 12;
/// Uniforms one child's trajectory draws, whatever the chances: the entry, then a length and a review per period.
constexpr int kCareVariates = 1 + 2 * kMaxCarePeriods;

/// The chances for the children of one adult, after their support result has changed them.
struct CareChances {
  std::array<double, kCareStates> entry{};
  // At a review, by state: escalate, step down, close; the rest is another period.
  std::array<std::array<double, 3>, kCareStates> exits{};
};

/// The chances for the children of an adult whose support ended as `result` (thinned: given above a recommended
/// caseload) after `waited` days. Where the effects push a state's exits above 1 they are scaled to sum to 1, and
/// the entry chances likewise.
CareChances care_chances(const SocialCareSpec& spec, SupportResult result, bool thinned, double waited);

/// A stretch of days in one state, and the state the child went to after it (none: closed).
struct CareSpell {
  CareState state = CareState::none;
  double from = 0, to = 0;
  CareState next = CareState::none;
  /// Child Protection stepped down to Child in Need or closed: a de-escalation as 000 §3.21 counts them.
  bool de_escalated() const {
    return state == CareState::child_protection && (next == CareState::child_in_need || next == CareState::none);
  }
};

/// One child's path through CSC from `start` (days); empty when they never enter. Draws kCareVariates uniforms.
std::vector<CareSpell> draw_care_trajectory(const SocialCareSpec& spec, const CareChances& chances, double start,
                                            random::Rng& rng);

/// What a trajectory, or many, put inside the measured window.
struct CareTally {
  std::array<double, kCareStates> entered{};     // children entering each state
  std::array<double, kCareStates> child_days{};  // days children spent in each state
  double de_escalations = 0;                     // Child Protection stepped down or closed
  double de_escalations_after_support = 0;       // of which the adult had completed support (as 000 §3.21 counts)
  double cost = 0;                               // £
  void add(const CareTally& other);
};

/// Books the part of `spells` inside [window_from, window_to] days: entries and de-escalations that happen in it,
/// the days in it, each entry's initial cost and each state's annual cost for the days in it.
CareTally book_care(const std::vector<CareSpell>& spells, const SocialCareSpec& spec, double window_from, double window_to);

/// The stream of child `k`'s trajectory, from the one-uniform seed the adult draws when their case closes.
std::uint64_t care_stream(std::uint64_t household_seed, std::size_t k);

}  // namespace dasim::model
