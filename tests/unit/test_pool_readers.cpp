// Each pool kind reads its own keys into its own part of the spec, and says what its `workers` count.
#include <gtest/gtest.h>

#include "scenario/loader.hpp"
#include "scenario_text.hpp"

using namespace dasim;

namespace {

const std::string kBase = test_support::kOneArea + test_support::referrals(10, "x");

model::PoolSpec pool(const std::string& body) {
  return scenario::load_text(kBase + "[pools.x]\n" + body, "kinds.toml").pools.front();
}

std::string error_of(const std::string& body) {
  try {
    scenario::load_text(kBase + "[pools.x]\n" + body, "kinds.toml");
  } catch (const scenario::LoadError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(PoolReaders, CaseloadCountsStaffEachHoldingCases) {
  const model::PoolSpec p = pool("workers = 3\ncases_per_worker = 20\nduration = 30\n"
                                 "open = { days = [\"mon\", \"tue\"], from = 9, to = 17 }\n");
  EXPECT_STREQ(p.kind_name(), "caseload");
  EXPECT_EQ(p.unit(), model::CapacityUnit::staff);
  EXPECT_EQ(p.count, 3);
  EXPECT_EQ(p.places(), 60);
  const auto& places = std::get<model::PlacesSpec>(p.kind);
  EXPECT_EQ(places.cases_per_worker, 20);
  EXPECT_FALSE(places.open.always);
  EXPECT_EQ(places.open.days, 0b11);
  EXPECT_DOUBLE_EQ(places.open.from_hour, 9);
  EXPECT_TRUE(p.support);
}

TEST(PoolReaders, BedsCountUnitsWithMoveOnAndAFullRule) {
  const model::PoolSpec p = pool("kind = \"beds\"\nworkers = 12\nduration = 100\nmove_on = 20\nwhen_full = \"decline\"\n");
  EXPECT_STREQ(p.kind_name(), "beds");
  EXPECT_EQ(p.unit(), model::CapacityUnit::units);
  EXPECT_EQ(p.places(), 12) << "one case per unit";
  EXPECT_TRUE(p.declines_when_full());
  EXPECT_DOUBLE_EQ(p.mean_hold(), 120) << "duration plus move-on";
  EXPECT_NE(error_of("kind = \"beds\"\nduration = 1\ncases_per_worker = 2\n").find("pools.x.cases_per_worker: applies to caseload pools only, not beds"),
            std::string::npos);
}

TEST(PoolReaders, GroupCountsProgrammesRunAtOnce) {
  const model::PoolSpec p = pool("kind = \"group\"\nworkers = 2\ngroup_min = 6\ngroup_max = 12\nduration = 70\n"
                                 "dropout = 0.3\nschedule = { first = \"2025-04-08\", every_days = 28 }\n");
  EXPECT_STREQ(p.kind_name(), "group");
  EXPECT_EQ(p.unit(), model::CapacityUnit::groups);
  EXPECT_EQ(p.places(), 24) << "two groups of up to twelve";
  const auto& g = std::get<model::GroupSpec>(p.kind);
  EXPECT_EQ(g.group_min, 6);
  EXPECT_DOUBLE_EQ(g.dropout, 0.3);
  EXPECT_DOUBLE_EQ(g.schedule_first, 7) << "days after the default start, 2025-04-01";
  EXPECT_DOUBLE_EQ(g.schedule_every, 28);
  EXPECT_FALSE(p.declines_when_full());
  EXPECT_NE(error_of("kind = \"group\"\nduration = 1\ngroup_min = 5\ngroup_max = 4\n").find("pools.x.group_max: must be >= group_min"),
            std::string::npos);
  EXPECT_NE(error_of("kind = \"group\"\nduration = 1\nwhen_full = \"decline\"\n").find("applies to caseload and beds pools only, not group"),
            std::string::npos);
}

TEST(PoolReaders, MeetingCountsSittingsAndHoldsNoPlaces) {
  const model::PoolSpec p = pool("kind = \"meeting\"\nevery_days = 7\ncases_per_sitting = 30\nfirst_sitting = \"2025-04-03\"\n");
  EXPECT_STREQ(p.kind_name(), "meeting");
  EXPECT_EQ(p.unit(), model::CapacityUnit::sittings);
  EXPECT_EQ(p.places(), 0);
  const auto& m = std::get<model::MeetingSpec>(p.kind);
  EXPECT_DOUBLE_EQ(m.interval, 7);
  EXPECT_EQ(m.cases_per_sitting, 30);
  EXPECT_DOUBLE_EQ(m.first, 2);
  EXPECT_FALSE(p.support) << "a meeting is not support unless the scenario says so";
  EXPECT_NE(error_of("kind = \"meeting\"\ndropout = 0.1\n").find("pools.x.dropout: applies to group pools only, not meeting"),
            std::string::npos);
}

TEST(PoolReaders, UnknownKindsAndKeysAreNamed) {
  EXPECT_NE(error_of("kind = \"ward\"\nduration = 1\n").find("pools.x.kind: unknown kind 'ward'"), std::string::npos);
  const std::string e = error_of("duration = 1\ncolour = \"red\"\n");
  EXPECT_NE(e.find("kinds.toml:"), std::string::npos) << e;
  EXPECT_NE(e.find("pools.x: unknown key 'colour'"), std::string::npos) << e;
  EXPECT_NE(e.find("cases_per_worker"), std::string::npos) << "the list names the caseload's own keys: " << e;
  EXPECT_NE(error_of("kind = \"group\"\nworkers = 100000\ngroup_max = 100000\nduration = 1\n").find("beyond what dasim can hold"),
            std::string::npos);
}
