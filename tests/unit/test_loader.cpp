#include <gtest/gtest.h>

#include <filesystem>
#include <algorithm>
#include <cstring>
#include <fstream>
#include <unistd.h>

#include "scenario/loader.hpp"
#include "temp_dir.hpp"

using namespace dasim;

namespace {

const char* kMinimal = R"(
[scenario]
name = "tiny"
[areas.north]
population = 1000
[areas.south]
population = 3000
[attributes.risk]
values = ["standard", "high"]
weights = [0.8, 0.2]
[attributes.teen_boy]
p = 0.1
[[arrivals]]
name = "police-north"
area = "north"
source = "police"
rate_per_year = 100
to = "triage"
[[arrivals]]
name = "police-south"
area = "south"
source = "police"
rate_per_year = 300
to = "triage"
[pools.triage]
duration = 0.1
next = [{ to = "idva", when = { risk = "high" } }]
[pools.idva]
workers = 2
cases_per_worker = 20
duration = { dist = "exponential", mean = 60 }
)";

/// The loader's message for a scenario made of kMinimal with `extra` appended (TOML allows later tables).
std::string error_of(const std::string& text) {
  try {
    scenario::load_text(text, "t.toml");
  } catch (const scenario::LoadError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(Loader, ReadsAMinimalScenario) {
  const model::Scenario s = scenario::load_text(kMinimal, "t.toml");
  EXPECT_EQ(s.name, "tiny");
  ASSERT_EQ(s.areas.size(), 2u);
  ASSERT_EQ(s.pools.size(), 2u);
  EXPECT_EQ(s.pools[1].places(), 40);
  EXPECT_EQ(s.pools[1].unit(), model::CapacityUnit::staff);
  EXPECT_EQ(s.services.size(), 2u);
  EXPECT_EQ(s.service_pool[s.pools[1].service][1], 1);
  EXPECT_NEAR(s.pools[1].duration.mean(), 60, 1e-12);
  EXPECT_EQ(s.attribute_index("teen_boy"), 3);
  EXPECT_NE(scenario::describe(s).find("idva"), std::string::npos);
}

/// The line number that the n-th line appended after kMinimal will have.
int appended_line(int n) {
  return static_cast<int>(std::count(kMinimal, kMinimal + std::strlen(kMinimal), '\n')) + n;
}

TEST(Loader, SyntaxErrorNamesFileAndLine) {
  const std::string e = error_of(std::string(kMinimal) + "[pools.broken\nworkers = 1\n");
  EXPECT_NE(e.find("t.toml:" + std::to_string(appended_line(1)) + ":"), std::string::npos) << e;
  EXPECT_NE(e.find("syntax error"), std::string::npos) << e;
}

TEST(Loader, UnknownKeyIsAnErrorWithItsLine) {
  const std::string e = error_of(std::string(kMinimal) + "[pools.extra]\nduration = 1\nworkerz = 3\n");
  EXPECT_NE(e.find("t.toml:" + std::to_string(appended_line(3)) + ":1: pools.extra: unknown key 'workerz'"), std::string::npos) << e;
}

TEST(Loader, WrongTypeNegativeNaNAndNoCapacity) {
  const std::string base = kMinimal;
  auto with_pool = [&](const std::string& body) { return base + "[pools.extra]\nduration = 1\n" + body + "\n"; };
  EXPECT_NE(error_of(with_pool("workers = \"two\"")).find("pools.extra.workers: must be a whole number >= 1, got a string"), std::string::npos);
  EXPECT_NE(error_of(with_pool("workers = 0")).find("pools.extra.workers: must be a whole number >= 1, got 0"), std::string::npos);
  EXPECT_NE(error_of(with_pool("workers = -3")).find("t.toml:" + std::to_string(appended_line(3)) + ":11: pools.extra.workers"), std::string::npos);
  const std::string rate = base + "[[arrivals]]\nname = \"x\"\narea = \"north\"\nrate_per_year = nan\nto = \"triage\"\n";
  EXPECT_NE(error_of(rate).find("arrivals.x.rate_per_year: must be a finite number"), std::string::npos) << error_of(rate);
  const std::string negative = base + "[[arrivals]]\nname = \"x\"\narea = \"north\"\nrate_per_year = -5\nto = \"triage\"\n";
  EXPECT_NE(error_of(negative).find(":" + std::to_string(appended_line(4)) + ":17: arrivals.x.rate_per_year: must be between 0 and 100000000, got -5"), std::string::npos)
      << error_of(negative);
}

TEST(Loader, UnknownNamesAreReportedWithWhatIsKnown) {
  EXPECT_NE(error_of(std::string(kMinimal) + "[pools.x]\nduration = 1\nareas = [\"east\"]\n").find("unknown area 'east' (known: north, south)"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(kMinimal) + "[pools.x]\nduration = 1\neligible = { risk = \"medium\" }\n").find("unknown value of 'risk' 'medium'"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(kMinimal) + "[pools.x]\nduration = { dist = \"weibull\" }\n").find("unknown distribution 'weibull'"),
            std::string::npos);
}

TEST(Loader, EveryServiceNeedsAPoolForEveryArea) {
  std::string text = kMinimal;
  text.replace(text.find("[pools.idva]\n"), 13, "[pools.idva]\nareas = [\"north\"]\n");
  const std::string e = error_of(text);
  EXPECT_NE(e.find("no pool serves area 'south' for service 'idva'"), std::string::npos) << e;
  const std::string twice = error_of(std::string(kMinimal) + "[pools.idva2]\nservice = \"idva\"\nduration = 1\n");
  EXPECT_NE(twice.find("already served for service 'idva'"), std::string::npos) << twice;
}

using ScenarioFiles = test_support::TempDirTest;

TEST_F(ScenarioFiles, ExtendsMergesTablesAndRemovesWithFalse) {
  write("base.toml", kMinimal);
  const auto child = write("child.toml",
                           "extends = \"base.toml\"\n[scenario]\nname = \"child\"\n[pools.idva]\nworkers = 5\n"
                           "areas = [\"north\"]\n"
                           "[pools.idva-south]\nservice = \"idva\"\nareas = [\"south\"]\nduration = 30\n");
  const model::Scenario s = scenario::load(child);
  EXPECT_EQ(s.name, "child");
  ASSERT_EQ(s.pools.size(), 3u);
  EXPECT_EQ(s.pools[1].count, 5);
  EXPECT_EQ(std::get<model::PlacesSpec>(s.pools[1].kind).cases_per_worker, 20) << "keys the child does not set come from the base";
  EXPECT_NE(s.source_text.find("base.toml"), std::string::npos);
  EXPECT_NE(s.source_text.find("child.toml"), std::string::npos);
  const auto removing = write("remove.toml", "extends = \"base.toml\"\npools.idva = false\n[pools.triage]\nnext = []\n");
  EXPECT_EQ(scenario::load(removing).pools.size(), 1u);
}

TEST_F(ScenarioFiles, ErrorsInABaseNameTheBaseFile) {
  write("base.toml", std::string(kMinimal) + "[pools.bad]\nduration = -1\n");
  const auto child = write("child.toml", "extends = \"base.toml\"\n");
  try {
    scenario::load(child);
    FAIL() << "expected an error";
  } catch (const scenario::LoadError& e) {
    EXPECT_NE(std::string(e.what()).find("base.toml:" + std::to_string(appended_line(2)) + ":12: pools.bad.duration: must be >= 0"), std::string::npos) << e.what();
  }
}

TEST_F(ScenarioFiles, MissingFilesAndCycles) {
  EXPECT_THROW(scenario::load(dir_ / "nothing.toml"), scenario::LoadError);
  write("a.toml", "extends = \"b.toml\"\n");
  write("b.toml", "extends = \"a.toml\"\n");
  try {
    scenario::load(dir_ / "a.toml");
    FAIL();
  } catch (const scenario::LoadError& e) {
    EXPECT_NE(std::string(e.what()).find("round in a circle"), std::string::npos) << e.what();
  }
  write("c.toml", "extends = \"missing.toml\"\n");
  EXPECT_THROW(scenario::load(dir_ / "c.toml"), scenario::LoadError);
}

TEST(Loader, ExitIsARouteEndNotAService) {
  const std::string e = error_of(std::string(kMinimal) + "[[arrivals]]\nname = \"x\"\narea = \"north\"\nrate_per_year = 1\nto = \"exit\"\n");
  EXPECT_NE(e.find("'exit' ends a case in a route"), std::string::npos) << e;
  const model::Scenario s = scenario::load_text(std::string(kMinimal) + "[pools.triage2]\nservice = \"t2\"\nduration = 1\nnext = [{ to = \"exit\" }]\n", "t.toml");
  EXPECT_EQ(s.pools.back().next.front().to.front(), model::kExit);
}
