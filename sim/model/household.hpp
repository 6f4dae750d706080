#pragma once
// A household is the unit a referral brings in (issue 10, MODEL.md §3): the adult referred, their children, each a
// person with an age band and a sex, and the perpetrator, known to the service or not. It is drawn once, at the
// referral, from the adult's own random stream after their attributes, so the same households arrive in every
// option (common random numbers, MODEL.md §1). Parameters are sourced or named assumptions (docs/model.md §11).
#include <array>
#include <cstdint>
#include <vector>

#include "model/spec.hpp"
#include "random/rng.hpp"

namespace dasim::model {

struct Person;

enum class AgeBand : std::uint8_t { under_5, age_5_to_10, age_11_to_13, age_14_to_17 };
constexpr int kAgeBands = 4;
/// "0-4", "5-10", "11-13", "14-17".
const char* age_band_name(AgeBand band);

/// A child of the household: a victim in their own right (Domestic Abuse Act 2021, 000 §2.2).
struct Child {
  AgeBand age = AgeBand::under_5;
  bool male = false;
  /// A boy aged 14 or over: his family cannot be placed in communal refuge (000 §3.7).
  bool teen_boy() const { return male && age == AgeBand::age_14_to_17; }
};

struct Household {
  std::vector<Child> children;
  bool perpetrator_known = false;  // named in the referral, so perpetrator work can be offered (000 §2.13)
  bool has_teen_boy() const;
};

/// How a household's people are drawn, beyond the attributes the scenario gives (`children`, the count).
struct HouseholdLaw {
  // Ages 0-17 equally likely, so bands in proportion to the years they span: assumption (no age profile in the
  // papers; 000 §2.9.2 gives only the refuge count).
  std::array<double, kAgeBands> age_share{5.0 / 18, 6.0 / 18, 3.0 / 18, 4.0 / 18};
  double male_share = 0.512;  // 105 boys per 100 girls at birth (ONS): assumption, not in the papers
  // Share of victims' referrals naming a perpetrator the service can contact: as perpetrator_linked (000 §2.13),
  // assumption.
  double perpetrator_known = 0.7;
};

/// The attribute slots a household reads and sets, resolved once per scenario (-1 where the scenario has none).
struct HouseholdSlots {
  explicit HouseholdSlots(const Scenario& scenario);
  int children = -1;      // count: the children who come with the adult (0 for a victim with none)
  int teen_boy = -1;      // flag, set from the children drawn
  int role = -1;              // categorical: whose referral it is
  int perpetrator_role = -1;  // the value of `role` that marks a perpetrator, or -1
  int child_role = -1;        // the value of `role` a child on a case of their own takes, or -1
  int perpetrator_completed = -1;  // flag: the household's perpetrator completed a programme
  bool is_perpetrator(const Person& person) const;
  /// Whether the scenario has households at all: one with neither `children` nor `role` (a queueing check, say)
  /// draws none, and its people's streams stay as they were.
  bool any() const { return children >= 0 || role >= 0; }
};

/// Draws the household of a person just referred, from their own stream, and sets `teen_boy` from the children. A
/// perpetrator's own referral brings no children: they are counted with the victim's household.
Household draw_household(Person& person, const HouseholdSlots& slots, const HouseholdLaw& law);

/// The stream of child `k` of a household: made from the adult's stream without drawing from it, so a child is the
/// same person whenever and wherever their case opens.
std::uint64_t child_stream(std::uint64_t adult_stream, std::size_t k);

/// The stream of the household's perpetrator when their case opens through the victim's referral: made from the
/// adult's stream without drawing from it, as a child's.
std::uint64_t perpetrator_stream(std::uint64_t adult_stream);

/// The stream a self-referring perpetrator's household match is drawn from: made from their own stream without
/// drawing from it, so matching leaves their other draws (routing, service) as they were.
std::uint64_t match_stream(std::uint64_t perpetrator_stream);

/// An order-free fingerprint of one household and whose it is (the person's stream), for checking that two options
/// saw the same households.
std::uint64_t fingerprint(const Household& household, std::uint64_t person_stream);

}  // namespace dasim::model
