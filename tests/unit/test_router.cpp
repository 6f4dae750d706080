// The Router: which route a case takes out of a pool, and what a move across a boundary after triage does.
#include <gtest/gtest.h>

#include "model/router.hpp"
#include "scenario/loader.hpp"
#include "scenario_text.hpp"

using namespace dasim;

namespace {

/// Two areas; a front door per area (or one for both), and a support service.
model::Scenario two_areas(bool one_front_door, double relocation = 1.0, double dropout = 0.0) {
  std::string text = test_support::kTwoAreas + test_support::referrals(10, "front-door") + R"(
[attributes.risk]
values = ["standard", "high"]
weights = [0.5, 0.5]
[pools.support]
duration = 10
)";
  text += one_front_door ? "[pools.door]\nservice = \"front-door\"\nduration = 1\n"
                         : "[pools.door-here]\nservice = \"front-door\"\nareas = [\"here\"]\nduration = 1\n"
                           "[pools.door-there]\nservice = \"front-door\"\nareas = [\"there\"]\nduration = 1\n";
  text += "[relocation]\nfront_door = \"front-door\"\nprobability = " + std::to_string(relocation) +
          "\nretriage_delay = 3\nretriage_dropout = " + std::to_string(dropout) + "\n";
  return scenario::load_text(text, "router.toml");
}

model::Person person_in(int area, int risk, std::uint64_t seed = 1) {
  model::Person p;
  p.rng = random::Rng(seed);
  p.attributes[model::kArea] = static_cast<std::int16_t>(area);
  p.attributes[model::kFirstDrawnAttribute] = static_cast<std::int16_t>(risk);
  return p;
}

model::Route to(std::vector<int> services, std::vector<double> cumulative_weights = {1.0}) {
  model::Route r;
  r.to = std::move(services);
  r.weights = std::move(cumulative_weights);
  return r;
}

}  // namespace

TEST(Router, FirstTakesTheFirstRouteWhoseConditionHolds) {
  const model::Scenario s = two_areas(false);
  model::Router router(s);
  model::Route high = to({5});
  high.when.clauses.push_back({model::kFirstDrawnAttribute, 1ULL << 1});  // risk = high
  const std::vector<model::Route> routes{high, to({7})};
  model::Person standard = person_in(0, 0), risky = person_in(0, 1);
  EXPECT_EQ(router.first(routes, risky).service, 5);
  EXPECT_EQ(router.first(routes, risky).route, &routes[0]);
  EXPECT_EQ(router.first(routes, standard).service, 7);
  EXPECT_FALSE(router.first({}, standard).goes()) << "no routes: the case closes";
}

TEST(Router, ExitEndsTheCaseEvenWhenLaterRoutesWouldApply) {
  const model::Scenario s = two_areas(false);
  model::Router router(s);
  const std::vector<model::Route> routes{to({model::kExit}), to({7})};
  model::Person p = person_in(0, 0);
  EXPECT_FALSE(router.first(routes, p).goes());
}

TEST(Router, ProbabilityAndWeightsSplitPeopleInProportion) {
  const model::Scenario s = two_areas(false);
  model::Router router(s);
  model::Route sometimes = to({1, 2}, {0.25, 1.0});
  sometimes.p = 0.4;
  int taken = 0, first = 0;
  for (std::uint64_t seed = 0; seed < 20000; ++seed) {
    model::Person p = person_in(0, 0, seed);
    const model::Destination d = router.take(sometimes, p);
    taken += d.goes();
    first += d.service == 1;
  }
  EXPECT_NEAR(taken / 20000.0, 0.4, 0.015);
  EXPECT_NEAR(first / static_cast<double>(taken), 0.25, 0.02);
}

TEST(Router, OnwardRoutesFollowHowTheCaseEnded) {
  model::PoolSpec pool;
  pool.next = {to({1})};
  pool.on_decline = {to({2}), to({3})};
  pool.on_disengage = {};
  EXPECT_EQ(&model::Router::onward(pool, model::Outcome::completed), &pool.next);
  EXPECT_EQ(&model::Router::onward(pool, model::Outcome::declined), &pool.on_decline);
  EXPECT_EQ(&model::Router::onward(pool, model::Outcome::disengaged), &pool.on_disengage);
}

TEST(Router, AMoveToAnAreaWithAnotherFrontDoorIsARouteBackToIt) {
  const model::Scenario s = two_areas(false);
  model::Router router(s);
  const model::PoolSpec& door = s.pools[1];
  model::Person p = person_in(0, 0);
  const model::Relocation r = router.relocate(door, p);
  ASSERT_EQ(r.move, model::Move::retriage);
  EXPECT_EQ(p.attributes[model::kArea], 1) << "the only other area";
  EXPECT_TRUE(p.relocated);
  EXPECT_EQ(r.to.service, s.relocation.front_door);
  ASSERT_NE(r.to.route, nullptr);
  ASSERT_TRUE(r.to.route->delay.has_value());
  EXPECT_DOUBLE_EQ(r.to.route->delay->mean(), 3.0) << "the re-triage delay";
  EXPECT_EQ(router.relocate(door, p).move, model::Move::stayed) << "a person moves at most once";
}

TEST(Router, OneFrontDoorForBothAreasLetsTheCaseFollow) {
  const model::Scenario s = two_areas(true);
  model::Router router(s);
  model::Person p = person_in(0, 0);
  const model::Relocation r = router.relocate(s.pools[1], p);
  EXPECT_EQ(r.move, model::Move::followed);
  EXPECT_FALSE(r.to.goes());
  EXPECT_EQ(p.attributes[model::kArea], 1);
}

TEST(Router, HandoverDropoutLosesTheCase) {
  const model::Scenario s = two_areas(false, 1.0, 1.0);
  model::Router router(s);
  model::Person p = person_in(0, 0);
  EXPECT_EQ(router.relocate(s.pools[1], p).move, model::Move::lost);
}

TEST(Router, OnlyTheFrontDoorRelocatesAndOnlyWithItsProbability) {
  const model::Scenario never = two_areas(false, 0.0);
  model::Router router(never);
  model::Person p = person_in(0, 0);
  EXPECT_EQ(router.relocate(never.pools[1], p).move, model::Move::stayed);
  EXPECT_EQ(p.attributes[model::kArea], 0);
  const model::Scenario always = two_areas(false);
  model::Router moving(always);
  EXPECT_EQ(moving.relocate(always.pools[0], p).move, model::Move::stayed) << "support is not the front door";
}
