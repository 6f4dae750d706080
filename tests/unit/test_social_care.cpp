// Children's social care as states (model/social_care): legal trajectories, costs that are initial + annual × time,
// a fixed number of variates per child, and effects of the adult's support in the right direction.
#include <gtest/gtest.h>

#include <cmath>

#include "model/social_care.hpp"

namespace dasim::model {
namespace {

/// Chances large enough that every kind of step happens often in a few thousand children.
SocialCareSpec busy_spec() {
  SocialCareSpec s;
  s.enabled = true;
  s.states[0] = {1000, 2000, 0.5, 0.3, 0.2, 0.0, 0.4};   // Child in Need
  s.states[1] = {3000, 6000, 0.5, 0.3, 0.2, 0.3, 0.2};   // Child Protection
  s.states[2] = {5000, 60000, 1.0, 0.2, 0.0, 0.0, 0.4};  // Looked After
  s.entry_effect = {0.5, 1, 1, 1};
  s.escalation_effect = {0.5, 1, 1, 1};
  s.de_escalation_effect = {1.5, 1, 1, 1};
  return s;
}

bool legal(CareState from, CareState to) {
  switch (from) {
    case CareState::child_in_need: return to == CareState::child_protection || to == CareState::none;
    case CareState::child_protection:
      return to == CareState::looked_after || to == CareState::child_in_need || to == CareState::none;
    case CareState::looked_after: return to == CareState::none;
    case CareState::none: return false;
  }
  return false;
}

TEST(SocialCare, TrajectoriesVisitStatesInALegalOrderWithPositiveDurations) {
  const SocialCareSpec spec = busy_spec();
  const CareChances chances = care_chances(spec, SupportResult::none, false, 0);
  int entered = 0, escalated = 0, stepped_down = 0, closed_from_protection = 0;
  for (std::uint64_t k = 0; k < 5000; ++k) {
    random::Rng rng(care_stream(12345, k));
    const std::vector<CareSpell> spells = draw_care_trajectory(spec, chances, 100.0, rng);
    if (spells.empty()) continue;
    ++entered;
    EXPECT_EQ(spells.front().from, 100.0);
    ASSERT_LE(spells.size(), static_cast<std::size_t>(kMaxCarePeriods));
    EXPECT_EQ(spells.back().next, CareState::none) << "a trajectory ends with the case closed";
    for (std::size_t i = 0; i < spells.size(); ++i) {
      const CareSpell& s = spells[i];
      EXPECT_NE(s.state, CareState::none);
      EXPECT_GT(s.to, s.from) << "spell " << i << " of child " << k;
      EXPECT_TRUE(legal(s.state, s.next)) << static_cast<int>(s.state) << " -> " << static_cast<int>(s.next);
      if (i + 1 < spells.size()) {
        EXPECT_EQ(spells[i + 1].state, s.next);
        EXPECT_EQ(spells[i + 1].from, s.to) << "no gap or overlap between states";
      }
      escalated += s.next == CareState::looked_after;
      stepped_down += s.state == CareState::child_protection && s.next == CareState::child_in_need;
      closed_from_protection += s.state == CareState::child_protection && s.next == CareState::none;
    }
  }
  // The entry chances sum to 0.8: the share entering is near it, and every kind of step was seen.
  EXPECT_NEAR(entered / 5000.0, 0.8, 0.03);
  EXPECT_GT(escalated, 50);
  EXPECT_GT(stepped_down, 50);
  EXPECT_GT(closed_from_protection, 50);
}

TEST(SocialCare, CostIsInitialPlusAnnualTimesTimeInsideTheWindow) {
  const SocialCareSpec spec = busy_spec();
  // Child in Need from day 100 to 465.25 (a year), then Child Protection to day 647.875 (half a year), closed.
  const std::vector<CareSpell> spells{{CareState::child_in_need, 100, 465.25, CareState::child_protection},
                                      {CareState::child_protection, 465.25, 647.875, CareState::none}};
  const CareTally all = book_care(spells, spec, 0, 10000);
  EXPECT_NEAR(all.cost, 1000 + 2000 * 1.0 + 3000 + 6000 * 0.5, 1e-6);
  EXPECT_EQ(all.entered[0], 1);
  EXPECT_EQ(all.entered[1], 1);
  EXPECT_NEAR(all.child_days[0], 365.25, 1e-9);
  EXPECT_NEAR(all.child_days[1], 182.625, 1e-9);
  EXPECT_EQ(all.de_escalations, 1) << "Child Protection closed";
  // A window from day 200 to 500: the Child in Need entry is before it (no initial cost), its days are clipped.
  const CareTally part = book_care(spells, spec, 200, 500);
  EXPECT_EQ(part.entered[0], 0);
  EXPECT_EQ(part.entered[1], 1);
  EXPECT_NEAR(part.child_days[0], 265.25, 1e-9);
  EXPECT_NEAR(part.child_days[1], 34.75, 1e-9);
  EXPECT_NEAR(part.cost, 2000 * 265.25 / kDaysPerYear + 3000 + 6000 * 34.75 / kDaysPerYear, 1e-6);
  EXPECT_EQ(part.de_escalations, 0) << "the closure is after the window";
  // Drawn trajectories book the same arithmetic: initial + annual x years, over a window that holds them all.
  const CareChances chances = care_chances(spec, SupportResult::none, false, 0);
  for (std::uint64_t k = 0; k < 200; ++k) {
    random::Rng rng(care_stream(99, k));
    const auto drawn = draw_care_trajectory(spec, chances, 0, rng);
    double expected = 0;
    for (const CareSpell& s : drawn)
      expected += spec.state(s.state).initial_cost + spec.state(s.state).annual_cost * (s.to - s.from) / kDaysPerYear;
    EXPECT_NEAR(book_care(drawn, spec, 0, 1e9).cost, expected, 1e-6 * (1 + expected));
  }
}

TEST(SocialCare, EachChildDrawsTheSameNumberOfVariatesWhateverTheChances) {
  SocialCareSpec never = busy_spec(), always = busy_spec();
  for (auto& s : never.states) s.entry = 0;
  always.states = {CareStateSpec{0, 0, 0.5, 1, 0, 0, 0}, {}, {}};  // enters Child in Need, never leaves until the cap
  for (std::uint64_t k = 0; k < 20; ++k) {
    random::Rng a(care_stream(7, k)), b(care_stream(7, k));
    EXPECT_TRUE(draw_care_trajectory(never, care_chances(never, SupportResult::none, false, 0), 0, a).empty());
    const auto capped = draw_care_trajectory(always, care_chances(always, SupportResult::none, false, 0), 0, b);
    ASSERT_EQ(capped.size(), 1u);
    EXPECT_EQ(capped.front().next, CareState::none) << "the cap closes the case";
    EXPECT_EQ(a.uniform(), b.uniform()) << "both streams are at the same place after the trajectory";
  }
}

TEST(SocialCare, CompletedSupportLowersEntryAndEscalationAndRaisesDeEscalation) {
  const SocialCareSpec spec = busy_spec();
  const CareChances none = care_chances(spec, SupportResult::none, false, 0);
  const CareChances done = care_chances(spec, SupportResult::completed, false, 0);
  const CareChances thin = care_chances(spec, SupportResult::completed, true, 0);
  const int cp = static_cast<int>(CareState::child_protection);
  EXPECT_LT(done.entry[0], none.entry[0]);
  EXPECT_LT(done.exits[cp][0], none.exits[cp][0]);  // escalation
  EXPECT_GT(done.exits[cp][1], none.exits[cp][1]);  // step down
  EXPECT_GT(done.exits[cp][2], none.exits[cp][2]);  // closure
  // Thinned support keeps part of the effect (thin_support_loss 0 here keeps all of it).
  EXPECT_EQ(thin.exits[cp][1], done.exits[cp][1]);
  // Effects that push a state's exits above 1 are scaled to sum to 1.
  SocialCareSpec strong = spec;
  strong.de_escalation_effect = {10, 1, 1, 1};
  const auto exits = care_chances(strong, SupportResult::completed, false, 0).exits[cp];
  EXPECT_NEAR(exits[0] + exits[1] + exits[2], 1.0, 1e-12);
  // Waiting raises the entry chances.
  SocialCareSpec waiting = spec;
  waiting.wait_penalty = 0.005;
  EXPECT_NEAR(care_chances(waiting, SupportResult::none, false, 30).entry[1], 1.15 * none.entry[1], 1e-12);
}

}  // namespace
}  // namespace dasim::model
