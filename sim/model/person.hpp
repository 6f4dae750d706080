#pragma once
// People are data, not actors: a Person holds attributes and a random stream of their own; a Case is one line of
// support a person is on, moving from pool to pool.
#include <array>
#include <cstdint>
#include <limits>

#include "model/household.hpp"
#include "model/scheduler.hpp"
#include "model/spec.hpp"
#include "random/rng.hpp"

namespace dasim::model {

struct Person {
  std::array<std::int16_t, kMaxAttributes> attributes{};
  static_assert(kMaxCount <= std::numeric_limits<std::int16_t>::max() && kMaxValues <= 64,
                "the loader's limits must fit how attributes are stored and tested");
  random::Rng rng;
  double arrived = 0;
  double waited = 0;  // days queued, summed over every pool on this referral
  int open_cases = 0; // open cases, plus one while a repeat referral is pending
  bool completed = false, disengaged = false, declined = false, relocated = false;
  bool thinned = false;  // some of their support was given above a recommended caseload
  Household household;   // who came with the referral: children, and the perpetrator (model/household.hpp)
  std::uint64_t stream = 0;  // seed of `rng`: the person's own stream, from which their children's are made
  bool child = false;        // a child of a household, on a case of their own (World::open_child_cases)
  // For a perpetrator whose case opened through the victim's referral (World::open_perpetrator_case): the victim,
  // whose household waits for the programme's end before its outcomes and re-referral are drawn.
  static constexpr std::uint32_t kNoVictim = std::numeric_limits<std::uint32_t>::max();
  std::uint32_t victim = kNoVictim;
  // How a perpetrator with a `victim` came to be linked to that household (docs/model.md §4.3).
  enum class Link : std::uint8_t { none, referral, family, self_referral };
  Link link = Link::none;
  // On a victim: their household's perpetrator has a case open now, so no second one is opened or matched.
  bool perpetrator_in_work = false;
  SupportResult result() const {
    return completed ? SupportResult::completed : disengaged ? SupportResult::disengaged
                     : declined ? SupportResult::declined : SupportResult::none;
  }
};

struct Case {
  std::uint32_t person = 0;
  int pool = -1;
  double entered = 0;      // arrived at the current pool
  double started = 0;      // began service there
  std::uint32_t epoch = 0; // bumped on every change that makes pending events for this case stale
  std::uint32_t group = 0; // group pools: the cohort it belongs to
  bool queued = false;
};

/// How a pool finished with a case.
enum class Outcome { completed, declined, disengaged };

/// Whether the person's attributes pass every clause of the condition.
inline bool matches(const Condition& condition, const Person& person) {
  for (const Clause& c : condition.clauses) {
    const int v = person.attributes[c.attribute];
    if (v < c.min || v > c.max) return false;
    if (v >= 0 && v < 64 && !(c.allowed_mask >> v & 1)) return false;
  }
  return true;
}

}  // namespace dasim::model
