// Scenario text written to break the loader: each case must get a LoadError at the right place with a message
// that says what is wrong, never a silently wrong scenario, a hang or a crash.
#include <gtest/gtest.h>

#include <string>

#include "scenario/loader.hpp"
#include "scenario_text.hpp"
#include "scenario/toml_reader.hpp"
#include "temp_dir.hpp"

using namespace dasim;

namespace {

/// A small valid scenario; the tests replace a piece of it or add to it.
const std::string kBase = test_support::kSmallScenario;

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

/// The loader's message for `text`, or "" when it loads.
std::string error_of(const std::string& text) {
  try {
    scenario::load_text(text, "hostile.toml");
  } catch (const scenario::LoadError& e) {
    return e.what();
  }
  return "";
}

#define EXPECT_REFUSED(text, fragment)                                       \
  do {                                                                        \
    const std::string message = error_of(text);                               \
    EXPECT_NE(message.find(fragment), std::string::npos) << "message: " << message; \
  } while (0)

}  // namespace

TEST(HostileInput, TheBaseScenarioLoads) { EXPECT_EQ(error_of(kBase), ""); }

TEST(HostileInput, DatesOutsideTheSupportedSpanAreRefused) {
  for (const char* date : {"1969-06-01", "0000-01-01", "-0001-01-01", "2200-01-01"})
    EXPECT_REFUSED(replaced(kBase, "years = 1", std::string("start_date = \"") + date + "\"\nyears = 1"),
                   "hostile.toml:4:14: simulation.start_date:");
  EXPECT_REFUSED(replaced(kBase, "years = 1", "start_date = \"1969-06-01\"\nyears = 1"), "outside the dates dasim supports");
  EXPECT_REFUSED(replaced(kBase, "years = 1", "start_date = \"99999999999-01-01\"\nyears = 1"), "must be a date");
  EXPECT_EQ(error_of(replaced(kBase, "years = 1", "start_date = \"1970-01-01\"\nyears = 1")), "");
}

TEST(HostileInput, HugeYearsAreRefusedNotTruncated) {
  EXPECT_REFUSED(replaced(kBase, "years = 1", "years = 99999999999"), "simulation.years: must be between");
}

TEST(HostileInput, NamesMustBePrintableAndNonEmpty) {
  EXPECT_REFUSED(replaced(kBase, "name = \"small\"", "name = \"a\\u0000b\""), "scenario.name: the name has a control character (code 0)");
  EXPECT_REFUSED(replaced(kBase, "name = \"small\"", "name = \".\""), "scenario.name: must be a name without slashes, and not '.'");
  EXPECT_REFUSED(replaced(kBase, "[pools.idva]", "[pools.\"\"]\nservice = \"idva\""), "a name must not be empty");
  EXPECT_REFUSED(replaced(kBase, "[areas.a]", "[areas.\"a\\tb\"]\npopulation = 1\n[areas.a]"), "control character (code 9)");
  EXPECT_REFUSED(replaced(kBase, "name = \"referrals\"", "name = \"\""), "arrivals[0].name: a name must not be empty");
  EXPECT_REFUSED(replaced(kBase, "to = \"idva\"", "to = \"\"\n[pools.x]\nservice = \"\"\nduration = 1"), "service: a name must not be empty");
}

TEST(HostileInput, CountsAreasAndSourcesFitTheTypesThatStoreThem) {
  EXPECT_REFUSED(replaced(kBase, "[[arrivals]]", "[attributes.children]\nmean = 1\nmax = 40000\n[[arrivals]]"),
                 "attributes.children.max: must be a whole number from 0 to 32767, got 40000");
  std::string areas;
  for (int i = 0; i < 64; ++i) areas += "[areas.x" + std::to_string(i) + "]\npopulation = 1\n";
  EXPECT_REFUSED(replaced(kBase, "[areas.a]", areas + "[areas.a]"), "areas: at most 64 areas are supported, got 65");
}

TEST(HostileInput, CapacityThatWouldOverflowIsRefused) {
  EXPECT_REFUSED(kBase + "capacity_changes = [{ date = \"2025-06-01\", workers = 1000000000 }]\n",
                 "pools.idva.capacity_changes: workers × places each = 5000000000 places is beyond what dasim can hold");
  const std::string contract = R"(
[[contracts]]
name = "c"
pools = ["idva"]
annual_value = 2e15
management_cost = 5e14
merges = 2
funders = { council = 1 }
savings = "reinvested"
reinvest_in = "idva"
cost_per_worker = 1
)";
  // The saving reinvested is the duplicated management pooling removes: 5e14 a year buys far past the limit.
  EXPECT_REFUSED(kBase + contract, "contracts: pool 'idva': the contracts' money buys");
}

TEST(HostileInput, RatesWhoseFactorsMultiplyPastTheLimitAreRefused) {
  EXPECT_REFUSED(replaced(kBase, "to = \"idva\"", "to = \"idva\"\nseasonal = [1e308,1,1,1,1,1,1,1,1,1,1,1]"),
                 "arrivals.referrals.seasonal: must be between 0 and 1000");
  EXPECT_REFUSED(replaced(kBase, "to = \"idva\"",
                          "to = \"idva\"\ndated = [{ from = \"2025-05-01\", to = \"2025-06-01\", factor = 1e300 }]"),
                 "arrivals.referrals.dated.factor: must be between 0 and 1000");
  // Each factor allowed alone, but together past the peak rate.
  EXPECT_REFUSED(replaced(replaced(kBase, "rate_per_year = 200", "rate_per_year = 1e6"), "to = \"idva\"",
                          "to = \"idva\"\nseasonal = [1000,1,1,1,1,1,1,1,1,1,1,1]"),
                 "arrivals.referrals.rate_per_year: with its seasonal, dated and trend factors the rate can reach 1e+09");
}

TEST(HostileInput, PeriodsHaveAFloor) {
  EXPECT_REFUSED(kBase + "[pools.m]\nkind = \"meeting\"\nservice = \"marac\"\nevery_days = 1e-6\n",
                 "pools.m.every_days: must be >= 1");
  EXPECT_REFUSED(kBase + "[pools.g]\nkind = \"group\"\nservice = \"course\"\nduration = 7\nschedule = { every_days = 0.01 }\n",
                 "pools.g.schedule.every_days: must be >= 1");
}

TEST(HostileInput, ZeroTimeRoutingLoopsAreRefusedAtLoad) {
  const std::string instant = replaced(kBase, "duration = { dist = \"exponential\", mean = 3 }", "duration = 0");
  EXPECT_REFUSED(instant + "next = [{ to = \"back\" }]\n[pools.back]\nduration = 0\nnext = [{ to = \"idva\" }]\n",
                 "a routing loop that takes no time: 'idva' --next--> 'back' --next--> 'idva'");
  EXPECT_REFUSED(kBase + "next = [{ to = \"back\" }]\n[pools.back]\nduration = 1\nnext = [{ to = \"idva\", delay = 0 }]\n"
                         "on_decline = [{ to = \"back\" }]\n",
                 "'back' --on_decline--> 'back'");
  // A loop with time in it is allowed: a positive delay, or a meeting's wait for its next sitting.
  EXPECT_EQ(error_of(instant + "next = [{ to = \"back\" }]\n[pools.back]\nduration = 0\nnext = [{ to = \"idva\", delay = 1 }]\n"), "");
  EXPECT_EQ(error_of(instant + "next = [{ to = \"marac\" }]\n[pools.m]\nkind = \"meeting\"\nservice = \"marac\"\n"
                               "next = [{ to = \"idva\" }]\n"), "");
}

TEST(HostileInput, ArrivalStreamsAreBoundedByTheirDailyRates) {
  std::string streams;
  for (int i = 0; i < 300; ++i)
    streams += "[[arrivals]]\nname = \"s" + std::to_string(i) + "\"\narea = \"a\"\nrate_per_year = 1\nto = \"idva\"\n";
  EXPECT_REFUSED(replaced(kBase, "years = 1", "years = 200") + streams, "301 streams over 73050 days need 2.2e+07 daily rates");
  EXPECT_EQ(error_of(kBase + streams), "");  // the same streams over a year are fine
  std::string dated = "dated = [";
  for (int i = 0; i <= 100; ++i) dated += "{ from = \"2025-05-01\", to = \"2025-05-02\", factor = 1 },";
  EXPECT_REFUSED(replaced(kBase, "to = \"idva\"", "to = \"idva\"\n" + dated + "]"), "at most 100 dated factors a stream, got 101");
}

TEST(HostileInput, TooManyPoolsAreRefusedQuickly) {
  std::string pools;
  for (int i = 0; i <= 2000; ++i) pools += "[pools.p" + std::to_string(i) + "]\nduration = 1\n";
  EXPECT_REFUSED(kBase + pools, "pools: at most 2000 pools are supported, got 2002");
}

TEST(HostileInput, OversizedTextIsRefusedBeforeParsing) {
  const std::string big = kBase + "# " + std::string(scenario::kMaxScenarioBytes, 'x') + "\n";
  EXPECT_REFUSED(big, "hostile.toml: the text is larger than 1024 KiB, too large for a scenario");
}

using HostileFiles = test_support::TempDirTest;

TEST_F(HostileFiles, ExtendsOfADeviceOrFolderNamesTheFile) {
  for (const char* target : {"/dev/zero", "/dev/null", "/tmp"}) {
    const auto file = write("child.toml", std::string("extends = \"") + target + "\"\n" + kBase);
    try {
      scenario::load(file);
      ADD_FAILURE() << target << " was accepted";
    } catch (const scenario::LoadError& e) {
      EXPECT_NE(std::string(e.what()).find("child.toml:1:11: extends: '" + std::string(target) + "' is not a scenario file"),
                std::string::npos) << e.what();
    }
  }
}

TEST_F(HostileFiles, AnOversizedFileIsRefusedBeforeItIsRead) {
  const auto file = write("big.toml", kBase + "# " + std::string(scenario::kMaxScenarioBytes, 'x') + "\n");
  EXPECT_THROW(
      try { scenario::load(file); } catch (const scenario::LoadError& e) {
        EXPECT_NE(std::string(e.what()).find("big.toml: the file is larger than 1024 KiB"), std::string::npos) << e.what();
        throw;
      },
      scenario::LoadError);
}

TEST_F(HostileFiles, ADeepExtendsChainIsRefused) {
  write("f0.toml", kBase);
  for (int i = 1; i <= 40; ++i) write("f" + std::to_string(i) + ".toml", "extends = \"f" + std::to_string(i - 1) + ".toml\"\n");
  EXPECT_NO_THROW(scenario::load(dir_ / "f10.toml"));
  try {
    scenario::load(dir_ / "f40.toml");
    ADD_FAILURE() << "a 41-file chain was accepted";
  } catch (const scenario::LoadError& e) {
    EXPECT_NE(std::string(e.what()).find("`extends` chain is more than 16 files deep"), std::string::npos) << e.what();
  }
}
