// Households (issue 10, docs/model.md §11): the children and perpetrator a referral brings, drawn from the adult's
// own stream, so every option sees the same households.
#include <gtest/gtest.h>

#include <numeric>

#include "scenario_text.hpp"
#include "world_run.hpp"
#include "model/household.hpp"
#include "stats/summary.hpp"
#include "model/pools.hpp"
#include "model/world.hpp"
#include "scenario/loader.hpp"

using namespace dasim;

namespace {

/// A run of `years` after half a year's warm-up, in one area, whose people are victims unless their stream says not.
std::string header(int years) {
  return "[simulation]\nyears = " + std::to_string(years) + "\nwarmup_years = 0.5\n" + test_support::kOneArea + R"(
[attributes.role]
values = ["victim", "perpetrator"]
weights = [1, 0]
)";
}

/// Victims (two in three with children, 2.5 each when they have any) and perpetrators, into one caseload of
/// `workers` staff.
std::string families(int workers, double victims_per_year = 3000) {
  return header(2) + test_support::kChildren + R"(
[[arrivals]]
name = "victims"
area = "here"
rate_per_year = )" + std::to_string(victims_per_year) + R"(
to = "support"
[[arrivals]]
name = "perpetrators"
area = "here"
rate_per_year = 500
to = "support"
set = { role = "perpetrator" }
[pools.support]
workers = )" + std::to_string(workers) + R"(
duration = { dist = "exponential", mean = 3 }
)";
}

struct HouseholdRun : test_support::WorldRun {
  using WorldRun::WorldRun;
  double mean_wait() const {
    const model::AreaTally t = world.pools().front()->stats().total();
    return t.wait_sum / t.started;
  }
};

model::Person person_with_children(const model::Scenario& s, int children, std::uint64_t seed) {
  model::Person p;
  p.rng = random::Rng(seed);
  p.attributes[s.attribute_index("children")] = static_cast<std::int16_t>(children);
  return p;
}

}  // namespace

TEST(Household, AVictimWithNoChildrenBringsNone) {
  const model::Scenario s = scenario::load_text(families(10), "households.toml");
  const model::HouseholdSlots slots(s);
  const model::HouseholdLaw law;
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    model::Person none = person_with_children(s, 0, seed);
    EXPECT_TRUE(model::draw_household(none, slots, law).children.empty());
    EXPECT_EQ(none.attributes[slots.teen_boy], 0);
    model::Person three = person_with_children(s, 3, seed);
    EXPECT_EQ(model::draw_household(three, slots, law).children.size(), 3u);
  }
  // In a whole run: a scenario where nobody has children counts none, and one where two in three have 2.5 each
  // counts about 1.67 a victim (and none for perpetrators, whose children are counted with the victim).
  const std::string childless = [] {
    std::string t = families(10);
    t.replace(t.find("p = 0.667"), 9, "p = 0.0");
    return t;
  }();
  const HouseholdRun without(childless);
  EXPECT_GT(without.world.totals().victims, 1000);
  EXPECT_EQ(without.world.totals().children, 0);
  const HouseholdRun with(families(10));
  const double per_victim = with.world.totals().children / with.world.totals().victims;
  EXPECT_NEAR(per_victim, 0.667 * 2.5, 0.1);
  EXPECT_NEAR(with.world.totals().perpetrators / 1.5, 500, 75);  // a year over the 1.5 observed years
}

TEST(Household, ATeenBoyIsABoyAged14OrOverAndSetsTheFlag) {
  const model::Scenario s = scenario::load_text(families(10), "households.toml");
  const model::HouseholdSlots slots(s);
  const model::HouseholdLaw law;
  int children = 0, teen_boys = 0, families_with_one = 0;
  for (std::uint64_t seed = 1; seed <= 4000; ++seed) {
    model::Person p = person_with_children(s, 2, seed);
    const model::Household h = model::draw_household(p, slots, law);
    bool any = false;
    for (const model::Child& c : h.children) {
      ++children;
      teen_boys += c.teen_boy();
      any |= c.male && c.age == model::AgeBand::age_14_to_17;
    }
    EXPECT_EQ(p.attributes[slots.teen_boy], any ? 1 : 0);
    families_with_one += any;
  }
  // Per child: 4 of the 18 years of childhood, a boy about half the time.
  EXPECT_NEAR(static_cast<double>(teen_boys) / children, 4.0 / 18 * law.male_share, 0.015);
  EXPECT_GT(families_with_one, 0);
}

TEST(Household, EveryOptionSeesTheSameHouseholds) {
  // Two options that differ in capacity, on the same seed: the same households arrive, though waits differ.
  const HouseholdRun tight(families(31)), roomy(families(40));
  EXPECT_EQ(tight.world.totals().households, roomy.world.totals().households);
  EXPECT_EQ(tight.world.totals().children, roomy.world.totals().children);
  EXPECT_GT(tight.mean_wait(), roomy.mean_wait() * 1.5) << "the options must really differ";
  // Another seed draws other households: the fingerprint can tell.
  const HouseholdRun other(families(31), 2);
  EXPECT_NE(other.world.totals().households, tight.world.totals().households);
}

namespace {
/// Three years whose perpetrators accept a programme with probability `accepts`; completing one sets
/// perpetrator_completed.
std::string with_acceptance(double accepts) {
  return header(3) + test_support::perpetrator_work(accepts);
}

/// Re-referral at the same hazard whatever the support, 30% slower once the perpetrator completed (Drive, MODEL.md
/// §7): only the programme's completion can make a difference.
const std::string kDriveRepeat = R"(
[repeat]
annual_hazard = { completed = 1.5, disengaged = 1.5, declined = 1.5, none = 1.5 }
modifiers = [{ when = { perpetrator_completed = true }, factor = 0.7 }]
to = "triage"
)";

/// Perpetrators who accept (share `accepts`) go through a programme; completing it sets perpetrator_completed, which
/// cuts the household's re-referral hazard by 30% (Drive, MODEL.md §7). The hazard is otherwise the same whatever
/// the support, so only the programme's completion can make a difference.
std::string programme(double accepts) {
  return with_acceptance(accepts) + R"(
[[arrivals]]
name = "perpetrators"
area = "here"
rate_per_year = 300
to = "triage"
set = { role = "perpetrator" }
[pools.triage]
workers = 50
duration = 0.5
support = false
next = [{ to = "programme", when = { perpetrator_accepts = true } }]
[pools.programme]
workers = 100
duration = { dist = "exponential", mean = 60 }
on_complete_set = { perpetrator_completed = true }
)" + kDriveRepeat;
}
}  // namespace

TEST(Household, ACompletedPerpetratorProgrammeLowersTheHouseholdsReReferral) {
  // The same households (seeds) with the programme on (all accept) and off (none do): paired differences.
  std::vector<double> on, off;
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    const HouseholdRun with(programme(1.0), seed), without(programme(0.0), seed);
    ASSERT_GT(with.world.pools()[1]->stats().total().completed, 100);
    ASSERT_EQ(without.world.pools()[1]->stats().total().entered, 0);
    EXPECT_EQ(with.world.totals().households, without.world.totals().households);
    on.push_back(with.world.totals().repeats / with.world.totals().people);
    off.push_back(without.world.totals().repeats / without.world.totals().people);
  }
  const stats::Summary change = stats::summarize(stats::paired_differences(on, off));
  EXPECT_LT(change.ci_high, 0) << "re-referrals per household: " << change.mean << " (" << change.ci_low << " to "
                               << change.ci_high << ")";
}

TEST(Household, ChildrenAreCasesOfTheirOwnThatWaitAreServedAndCountedApartFromTheAdult) {
  // Every victim has 1 + Poisson(1) children; each child gets a case at children's support beside the adult's.
  const std::string text = "[simulation]\nyears = 1\n" + test_support::kOneArea + R"(
[attributes.role]
values = ["victim", "perpetrator", "child"]
weights = [1, 0, 0]
[attributes.children]
mean = 2
min = 1
[[arrivals]]
name = "victims"
area = "here"
rate_per_year = 1000
to = "triage"
[pools.triage]
workers = 100
duration = 0.001
support = false
also = [{ to = "children", each_child = true }]
[pools.children]
workers = 4
duration = { dist = "exponential", mean = 3 }
eligible = { role = "child" }
[outcomes.harm]
payer = "police"
initial_cost = 1
probability = 1
)";
  const HouseholdRun run(text);
  const model::World& w = run.world;
  const model::AreaTally children = w.pools()[1]->stats().total();
  EXPECT_GT(w.totals().children, 1500);
  EXPECT_LE(children.entered, w.totals().children);
  EXPECT_GE(children.entered, w.totals().children - 10) << "every child of every household triaged has a case";
  EXPECT_EQ(children.declined, 0) << "each case is a child's (the pool takes children only)";
  EXPECT_GT(children.wait_sum / children.started, 0.5) << "children wait for their own capacity";
  // Outcomes and re-referral are drawn with the adult: one harm draw per adult, none per child's case.
  EXPECT_NEAR(w.totals().outcome_count[0], w.totals().victims, 5);
}

TEST(Household, OnlyAParallelRouteCanOpenChildrensOrThePerpetratorsCases) {
  // Both open cases for the household's other people beside the adult's, which a `next` route (the adult's own
  // case moving on) cannot do.
  for (const char* flag : {"each_child", "household_perpetrator"})
    EXPECT_THROW(scenario::load_text("[simulation]\nyears = 1\n" + test_support::kOneArea + R"(
[[arrivals]]
name = "victims"
area = "here"
rate_per_year = 10
to = "triage"
[pools.triage]
workers = 1
duration = 1
next = [{ to = "others", )" + std::string(flag) + R"( = true }]
[pools.others]
workers = 1
duration = 1
)", "bad.toml"),
                 std::exception) << flag;
}

namespace {
/// Victims whose referral names a perpetrator (70% of households, HouseholdLaw) who accepts a programme (share
/// `accepts`): the perpetrator's case opens beside the victim's at triage, linked to the household, and every one
/// who starts completes (a caseload with no dropout). Completing the
/// programme cuts the household's police incidents and re-referral by 30% (Drive, MODEL.md §7); nothing else
/// about the household depends on it.
std::string linked(double accepts) {
  return with_acceptance(accepts) + R"(
[[arrivals]]
name = "victims"
area = "here"
rate_per_year = 600
to = "triage"
[pools.triage]
workers = 50
duration = 0.5
support = false
next = [{ to = "support" }]
also = [{ to = "programme", when = { role = "victim", perpetrator_accepts = true }, household_perpetrator = true }]
[pools.support]
workers = 100
duration = { dist = "exponential", mean = 30 }
eligible = { role = "victim" }
[pools.programme]
workers = 1000
duration = { dist = "exponential", mean = 60 }
eligible = { role = "perpetrator" }
on_complete_set = { perpetrator_completed = true }
)" + test_support::kDrivePolice + kDriveRepeat;
}
}  // namespace

TEST(Household, APerpetratorLinkedToTheHouseholdLowersTheVictimsReReferralAndPoliceCosts) {
  // The same households (seeds) with every known perpetrator accepting, and with none: paired differences.
  std::vector<double> repeats_on, repeats_off, police_on, police_off;
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    const HouseholdRun with(linked(1.0), seed), without(linked(0.0), seed);
    const model::WorldTotals &a = with.world.totals(), &b = without.world.totals();
    EXPECT_EQ(a.households, b.households);
    ASSERT_EQ(a.victims, b.victims) << "the same victims are referred in both";
    // About 70% of households name a perpetrator (HouseholdLaw), a little fewer of the referrals (households whose
    // perpetrator completed come back less often), and all of those complete but the last few.
    const double referrals = a.victims + a.repeats;
    EXPECT_GT(a.linked_perpetrators / referrals, 0.55);
    EXPECT_LT(a.linked_perpetrators / referrals, 0.75);
    EXPECT_GT(a.linked_completed / a.linked_perpetrators, 0.9);
    EXPECT_EQ(b.linked_perpetrators, 0) << "a refuser's case never opens";
    EXPECT_EQ(without.world.pools()[2]->stats().total().entered, 0);
    // The victim is counted once as a victim, the linked perpetrator as a perpetrator; police costs stay the
    // household's, one draw per household leaving.
    EXPECT_EQ(a.perpetrators, a.linked_perpetrators);
    repeats_on.push_back(a.repeats / a.victims), repeats_off.push_back(b.repeats / b.victims);
    police_on.push_back(a.outcome_count[0] / referrals), police_off.push_back(b.outcome_count[0] / (b.victims + b.repeats));
  }
  const stats::Summary repeats = stats::summarize(stats::paired_differences(repeats_on, repeats_off));
  const stats::Summary police = stats::summarize(stats::paired_differences(police_on, police_off));
  EXPECT_LT(repeats.ci_high, 0) << "re-referrals per victim: " << repeats.mean << " (" << repeats.ci_low << " to "
                                << repeats.ci_high << ")";
  EXPECT_LT(police.ci_high, 0) << "police incidents per referral: " << police.mean;
  // About 60% of referrals have a completed programme, each with 30% fewer incidents: about 18% fewer a referral.
  const double relative = police.mean / (std::accumulate(police_off.begin(), police_off.end(), 0.0) / 12);
  EXPECT_GT(relative, -0.25);
  EXPECT_LT(relative, -0.1);
}
