// Pathway rules of the model, run in-process on a plain event list (the model holds no SimGrid).
#include <gtest/gtest.h>

#include <cmath>

#include "scenario_text.hpp"
#include "world_run.hpp"

using namespace dasim;

namespace {

using ModelRun = test_support::WorldRun;

const std::string kHeader = "\n[simulation]\nyears = 1\n" + test_support::kTwoAreas + R"(
[attributes.risk]
values = ["standard", "high"]
weights = [0.5, 0.5]
[attributes.teen_boy]
p = 0.5
[attributes.children]
mean = 1.5
)";

using test_support::referrals;

}  // namespace

TEST(Refuge, TeenBoysAreNeverPlacedInCommunalRefugeAndGoToDispersedUnits) {
  // Teenage boys come from the household drawn at referral (model/household.cpp): about one family in seven here.
  ModelRun run(kHeader + referrals(1000, "refuge", "families") + R"(
[pools.refuge]
kind = "beds"
workers = 80
duration = 20
eligible = { teen_boy = false }
on_decline = [{ to = "dispersed" }]
[pools.dispersed]
kind = "beds"
workers = 50
duration = 20
)");
  const auto refuge = run.pool("refuge").total();
  const auto dispersed = run.pool("dispersed").total();
  EXPECT_GT(refuge.started, 100);
  EXPECT_GT(dispersed.started, 100);
  // Everyone declined by the refuge went to a dispersed unit, and nobody else did.
  EXPECT_EQ(refuge.declined, dispersed.entered);
  EXPECT_EQ(refuge.started + refuge.declined, refuge.entered);
}

TEST(Refuge, ADeclinedCaseNeverOccupiesABed) {
  ModelRun run(kHeader + referrals(2000, "refuge") + R"(
[pools.refuge]
kind = "beds"
workers = 3
duration = { dist = "exponential", mean = 30 }
when_full = "decline"
on_decline = [{ to = "sanctuary" }]
[pools.sanctuary]
workers = 1000
duration = 1
)");
  const auto& refuge = run.pool("refuge");
  const auto t = refuge.total();
  EXPECT_GT(t.declined, 0.8 * t.entered) << "3 beds for ~165 referrals a month must turn most away";
  EXPECT_EQ(t.started + t.declined, t.entered);
  EXPECT_LE(refuge.mean_busy(), 3.0);
  EXPECT_EQ(refuge.mean_queue(), 0.0) << "a loss system keeps no waiting list";
  EXPECT_EQ(run.pool("sanctuary").total().entered, t.declined);
}

TEST(MoveOn, ABedStaysOccupiedAfterSupportEnds) {
  const std::string pools = referrals(36.525, "refuge") + R"(
[pools.refuge]
kind = "beds"
workers = 100
duration = 50
)";
  // Three years with the first excluded, so both have reached steady state.
  std::string header = kHeader;
  header.replace(header.find("years = 1"), 9, "years = 3\nwarmup_years = 1");
  ModelRun without(header + pools);
  ModelRun with(header + pools + "move_on = 50\n");
  // Little's law on places: occupancy = arrivals a day x days held; move-on doubles the days held.
  EXPECT_NEAR(with.pool("refuge").mean_busy() / without.pool("refuge").mean_busy(), 2.0, 0.15);
  EXPECT_EQ(with.pool("refuge").total().completed, without.pool("refuge").total().completed)
      << "support ends at the same time; only the bed is held longer";
}

TEST(Groups, ACohortStartsOnlyWhenEnoughAreWaiting) {
  ModelRun run(kHeader + referrals(52, "programme", "perpetrators") + R"(
[pools.programme]
kind = "group"
workers = 1
group_min = 8
group_max = 10
duration = 182
)");
  const auto& g = run.pool("programme");
  const auto t = g.total();
  EXPECT_GT(t.started, 0);
  // With one group of at most 10 running 26 weeks, at most 2 cohorts (20 people) can start in a year.
  EXPECT_LE(t.started, 20);
  EXPECT_GE(t.wait_sum / t.started, 8.0 * 7 / 2) << "the first members wait for the cohort to fill";
  EXPECT_LE(g.mean_busy(), 10.0);
}

TEST(Groups, ScheduledCohortsStartOnlyOnTheirDates) {
  ModelRun run(kHeader + referrals(365.25, "programme", "perpetrators") + R"(
[pools.programme]
kind = "group"
workers = 100
group_min = 1
group_max = 100
duration = 10
dropout = 0.3
schedule = { first = "2025-04-01", every_days = 28 }
)");
  const auto t = run.pool("programme").total();
  // Arrivals wait for the next 4-weekly start: uniform over 28 days, mean 14.
  EXPECT_NEAR(t.wait_sum / t.started, 14.0, 2.0);
  EXPECT_NEAR(t.disengaged / t.started, 0.3, 0.06);
  EXPECT_NEAR(t.completed + t.disengaged, t.started, 30) << "the last cohort may still be running at the end";
}

TEST(Meetings, CasesWaitForTheNextSittingAndAreReviewedInABatch) {
  ModelRun run(kHeader + referrals(730.5, "marac", "high-risk") + R"(
[pools.marac]
kind = "meeting"
every_days = 14
first_sitting = "2025-04-08"
)");
  const auto t = run.pool("marac").total();
  EXPECT_NEAR(t.wait_sum / t.started, 7.0, 0.7);
  EXPECT_LE(t.wait_sum / t.started, 14.0);
  EXPECT_NEAR(t.completed, t.started, 0.5);
}

namespace {
/// A front door open 8am-6pm on weekdays, with `per_year` referrals; `extra` adds lines to the pool.
std::string front_door_in_office_hours(double per_year, const std::string& extra = "") {
  return kHeader + referrals(per_year, "front-door", "calls") + R"(
[pools.front-door]
workers = 50
duration = 0.01
open = { days = ["mon", "tue", "wed", "thu", "fri"], from = 8, to = 18 }
)" + extra;
}
}  // namespace

TEST(OpeningHours, TriageStartsOnlyWhenOpen) {
  ModelRun run(front_door_in_office_hours(3652.5, "target_days = 1\n"));
  const auto t = run.pool("front-door").total();
  // Open 50 of 168 hours a week: about 30% start at once, the rest wait for the next opening.
  const double zero = static_cast<double>(t.waits.counts[0]) / t.started;
  EXPECT_NEAR(zero, 50.0 / 168.0, 0.03);
  EXPECT_GT(t.wait_sum / t.started, 0.3);
  EXPECT_LT(t.within_target / t.started, 0.95) << "weekend referrals wait more than a day";
}

TEST(OpeningHours, TheDoorsOpeningIsAnEventOnlyWhenSomeoneWaitsForIt) {
  ModelRun run(front_door_in_office_hours(20));
  const auto t = run.pool("front-door").total();
  ASSERT_GT(t.entered, 5);
  EXPECT_EQ(t.started, t.entered) << "everyone who came out of hours was started at the next opening";
  EXPECT_LE(t.waits.quantile(1.0), (2 + 14.0 / 24) * 1.08) << "nobody waits past Monday 8am from Friday 6pm";
  // A year has 261 weekday openings; an event for each would dwarf the arrivals, service ends and month ends.
  EXPECT_LE(run.world.totals().events, 3 * t.entered + 12);
}

TEST(Capacity, ChangesOnTheirDates) {
  ModelRun run(kHeader + referrals(3652.5, "idva") + R"(
[pools.idva]
workers = 5
cases_per_worker = 10
duration = { dist = "exponential", mean = 2 }
capacity_changes = [{ date = "2025-10-01", workers = 10 }]
)");
  const auto& s = run.pool("idva");
  // 50 places for 183 days, then 100 for the rest of the year.
  EXPECT_NEAR(s.mean_capacity(), (50 * 183 + 100 * (365.25 - 183)) / 365.25, 0.01);
}

TEST(Routing, AlsoOpensParallelCasesAndNextIsExclusive) {
  ModelRun run(kHeader + referrals(1000, "triage") + R"(
[pools.triage]
workers = 100
duration = 0.01
support = false
next = [{ to = "idva", when = { risk = "high" } }, { to = "outreach" }]
also = [{ to = "children", when = { children = { min = 1 } } }]
[pools.idva]
workers = 100
duration = 5
[pools.outreach]
workers = 100
duration = 5
[pools.children]
workers = 100
duration = 5
)");
  const double triaged = run.pool("triage").total().completed;
  const double idva = run.pool("idva").total().entered, outreach = run.pool("outreach").total().entered;
  EXPECT_EQ(idva + outreach, triaged) << "exactly one `next` route is taken";
  EXPECT_NEAR(idva / triaged, 0.5, 0.07);
  // P(Poisson(1.5) >= 1) = 1 - e^-1.5
  EXPECT_NEAR(run.pool("children").total().entered / triaged, 1 - std::exp(-1.5), 0.07);
}

TEST(Priority, TheFirstClassInTheOrderIsServedFirst) {
  // Priority by home area, so the per-area tallies give each class's waits.
  ModelRun run(kHeader + referrals(1643.6, "idva", "here") + R"(
[[arrivals]]
name = "there"
area = "there"
rate_per_year = 1643.6
to = "idva"
[pools.idva]
workers = 1
cases_per_worker = 10
duration = { dist = "exponential", mean = 1 }
priority = { attribute = "area", order = ["here"] }
)");
  const auto& s = run.pool("idva");
  const double here = s.by_area[0].wait_sum / s.by_area[0].started, there = s.by_area[1].wait_sum / s.by_area[1].started;
  EXPECT_LT(here * 3, there) << "at 90% load the favoured class waits far less";
}

TEST(Patience, ThoseWhoWaitTooLongLeaveAndAreCounted) {
  ModelRun run(kHeader + referrals(3652.5, "outreach") + R"(
[pools.outreach]
workers = 1
cases_per_worker = 5
duration = { dist = "exponential", mean = 1 }
patience = { dist = "fixed", value = 2 }
)");
  const auto t = run.pool("outreach").total();
  EXPECT_GT(t.disengaged, 0.3 * t.entered) << "offered load 2: at least half must leave";
  EXPECT_LE(t.waits.quantile(1.0), 2.0 * 1.08) << "nobody served waited past their patience";
  EXPECT_NEAR(t.started + t.disengaged, t.entered, 20);
}

TEST(Patience, OnePoolTimerAtTheEarliestDeadlineRenegesExactlyWhomPerCaseTimersDid) {
  // Exponential patience, so deadlines come in another order than the queue's, and the earliest often changes.
  const model::Scenario scenario = scenario::load_text(kHeader + referrals(3652.5, "outreach") + R"(
[pools.outreach]
workers = 1
cases_per_worker = 5
duration = { dist = "exponential", mean = 1 }
patience = { dist = "exponential", mean = 3 }
)", "model.toml");
  struct Run {
    model::AreaTally totals;
    double counted_events;
    unsigned long long scheduled;
  };
  auto run = [&](bool honour_cancel) {
    test_support::ManualScheduler scheduler;
    scheduler.honour_cancel = honour_cancel;
    model::World world(scenario, scheduler, 5, 0);
    world.start();
    scheduler.run_until(world.horizon());
    world.finish();
    return Run{world.pools().front()->stats().total(), world.totals().events, scheduler.scheduled};
  };
  const Run run_ = run(true);
  const model::AreaTally& t = run_.totals;
  // The same run with one engine timer per queued case, each cancelled when its case started service (the model
  // up to commit b38bbaa, same scenario and seed), gave these: the patience draws are the same and each case
  // gives up at its own deadline, so nothing may move.
  EXPECT_EQ(t.entered, 3683);
  EXPECT_EQ(t.started, 1751);
  EXPECT_EQ(t.disengaged, 1915);
  EXPECT_DOUBLE_EQ(t.wait_sum, 3701.8030561016008);
  // A timer whose cancel is lost (as in a batch of its date) fires and must change nothing.
  const Run stale = run(false);
  EXPECT_EQ(stale.totals.started, t.started);
  EXPECT_EQ(stale.totals.disengaged, t.disengaged);
  EXPECT_EQ(stale.totals.wait_sum, t.wait_sum);
  // Per-case timers scheduled 9,124 events in this run, one patience timer for each case that queued: the pool's
  // one timer is re-armed for each case that gives up and for far fewer than half of those who start service.
  EXPECT_LT(run_.scheduled, 9124 - t.started / 2);
  EXPECT_LT(stale.scheduled, 9124 - t.started / 2);
}

TEST(Repeats, PeopleComeBackAtTheHazardOfHowTheirSupportEnded) {
  const std::string body = referrals(500, "outreach") + R"(
[pools.outreach]
workers = 1000
duration = 1
[repeat]
annual_hazard = { completed = 1.0 }
to = "outreach"
)";
  ModelRun run(kHeader + body);
  // Hazard 1 a year over a year: 1 - e^-1 of early referrals come back, fewer of later ones: between.
  const double repeats = run.world.totals().repeats, people = run.world.totals().people;
  EXPECT_GT(repeats, 0.25 * people);
  EXPECT_LT(repeats, 0.7 * people);
  ModelRun halved(kHeader + body + "modifiers = [{ when = { risk = \"high\" }, factor = 0.0 }]\n");
  EXPECT_NEAR(halved.world.totals().repeats / repeats, 0.5, 0.12) << "high-risk half never return";
}

TEST(Relocation, SeparateFrontDoorsTriageAgainButOneFrontDoorFollowsThePerson) {
  const std::string arrivals = referrals(1000, "front-door") + R"(
[pools.support]
workers = 1000
duration = 1
[relocation]
front_door = "front-door"
probability = 0.2
retriage_delay = 3
retriage_dropout = 0.25
)";
  ModelRun separate(kHeader + arrivals + R"(
[pools.door-here]
service = "front-door"
areas = ["here"]
workers = 100
duration = 0.01
next = [{ to = "support" }]
[pools.door-there]
service = "front-door"
areas = ["there"]
workers = 100
duration = 0.01
next = [{ to = "support" }]
)");
  ModelRun pooled(kHeader + arrivals + R"(
[pools.door]
service = "front-door"
workers = 100
duration = 0.01
next = [{ to = "support" }]
)");
  const auto& s = separate.world.totals();
  EXPECT_NEAR(s.relocations / s.people, 0.2, 0.04);
  EXPECT_EQ(s.retriaged, s.relocations);
  EXPECT_NEAR(s.lost_at_retriage / s.retriaged, 0.25, 0.08);
  // Those not lost arrive at the other front door after the re-triage delay (a few may be in transit at the end).
  EXPECT_NEAR(separate.pool("door-there").total().entered, s.retriaged - s.lost_at_retriage, 5);
  EXPECT_EQ(pooled.world.totals().retriaged, 0);
  EXPECT_GT(pooled.world.totals().relocations, 0);
  // Common random numbers: the same people arrive under both options.
  EXPECT_EQ(pooled.world.totals().people, s.people);
}

TEST(Outcomes, SupportLowersTheChanceOfACostlyOutcome) {
  const std::string body = referrals(2000, "idva") + R"(
[outcomes.child_protection]
payer = "childrens_social_care"
initial_cost = 1000
probability = 0.2
effect = { completed = 0.5 }
[pools.idva]
workers = 1000
duration = 1
)";
  ModelRun supported(kHeader + body);
  ModelRun declined(kHeader + body + "eligible = { area = \"there\" }\n");
  const double with = supported.world.totals().outcome_cost[0][0], without = declined.world.totals().outcome_cost[0][0];
  EXPECT_NEAR(with / without, 0.5, 0.12);
  EXPECT_NEAR(without / 1000 / declined.world.totals().people, 0.2, 0.03);
}

TEST(Routing, ExitEndsTheCaseInsteadOfFallingThrough) {
  ModelRun run(kHeader + referrals(1000, "triage") + R"(
[pools.triage]
workers = 100
duration = 0.01
next = [{ to = { exit = 0.5, outreach = 0.5 } }, { to = "helpline" }]
[pools.outreach]
workers = 100
duration = 1
[pools.helpline]
workers = 100
duration = 1
)");
  const double triaged = run.pool("triage").total().completed;
  EXPECT_NEAR(run.pool("outreach").total().entered / triaged, 0.5, 0.07);
  EXPECT_EQ(run.pool("helpline").total().entered, 0) << "an exit is taken, not passed over";
}

namespace {

/// 2 referrals a day, each needing 10 days of one of 10 recommended places: offered 20 places' worth.
model::PoolStats pressed_caseload(const std::string& stretch) {
  ModelRun run(kHeader + referrals(730.5, "idva") + R"(
[pools.idva]
workers = 10
duration = 10
patience = 30
)" + stretch);
  return run.pool("idva");
}

}  // namespace

TEST(Pressure, AStretchedCaseloadTakesMoreOnBeforeAnyoneWaitsAndGivesShorterSupport) {
  const model::PoolStats strict = pressed_caseload("");
  // Up to twice the recommended places; a case begun above them gets half the support (5 days), so the 10 extra
  // places absorb the 10 places' worth of excess demand and hardly anyone waits.
  const model::PoolStats stretched = pressed_caseload("stretch = 1.0\nstretched_duration = 0.5\n");
  EXPECT_DOUBLE_EQ(strict.over_time, 0) << "without stretch the caseload never goes above its places";
  EXPECT_GT(strict.total().disengaged, 100) << "half the demand waits in vain";
  EXPECT_GT(stretched.over_time, 0.5 * stretched.observed_days) << "above the recommended caseload most of the time";
  EXPECT_GT(stretched.mean_busy(), 10.5);
  EXPECT_LE(stretched.mean_busy(), 20.0);
  EXPECT_LT(stretched.total().disengaged, 0.1 * strict.total().disengaged);
  EXPECT_GT(stretched.total().completed, 1.5 * strict.total().completed);
}

TEST(Pressure, ThinnedSupportLosesItsShareOfTheEffect) {
  model::OutcomeSpec o;
  o.effect = {0.6, 0.9, 1.0, 1.0};
  o.thin_support_loss = 0.5;
  EXPECT_DOUBLE_EQ(o.effect_for(model::SupportResult::completed, false), 0.6);
  EXPECT_DOUBLE_EQ(o.effect_for(model::SupportResult::completed, true), 0.8) << "half-way back to no support";
  EXPECT_DOUBLE_EQ(o.effect_for(model::SupportResult::disengaged, true), 0.9) << "only completed support is thinned";
}

TEST(Pressure, AStretchAboveTheLimitIsRefused) {
  EXPECT_THROW(scenario::load_text(kHeader + referrals(1, "idva") + "[pools.idva]\nduration = 1\nstretched_duration = 0\n",
                                   "model.toml"),
               scenario::LoadError);
  EXPECT_THROW(scenario::load_text(kHeader + referrals(1, "bed") + "[pools.bed]\nkind = \"beds\"\nduration = 1\nstretch = 0.5\n",
                                   "model.toml"),
               scenario::LoadError)
      << "beds do not stretch: a bed is a bed";
}
