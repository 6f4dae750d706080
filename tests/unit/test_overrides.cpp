// Overrides, sweep files and the assumption scan: what sensitivity runs and sweeps vary.
#include <gtest/gtest.h>

#include <algorithm>

#include "scenario/loader.hpp"
#include "scenario_text.hpp"
#include "temp_dir.hpp"

using namespace dasim;

namespace {

const std::string kScenario = test_support::kOneArea + test_support::referrals(100, "idva") + R"(
[pools.idva]
workers = 4                  # assumption: funded posts
cases_per_worker = 20
duration = 30.5              # Assumption, from the provider
)";

using Options = test_support::TempDirTest;

}  // namespace

TEST_F(Options, OverridesReplaceNumbersAtDottedKeys) {
  const auto file = write("s.toml", kScenario);
  const model::Scenario s = scenario::load(file, {{"pools.idva.workers", 6.4}, {"arrivals.referrals.rate_per_year", 250}});
  EXPECT_EQ(s.pools.front().count, 6) << "an integer key is rounded";
  EXPECT_DOUBLE_EQ(s.arrivals.front().rate_per_year, 250) << "arrays of tables are entered by their names";
  try {
    scenario::load(file, {{"pools.idva.colour", 1}});
    FAIL();
  } catch (const scenario::LoadError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot vary 'pools.idva.colour': no number at that key"), std::string::npos);
  }
}

TEST_F(Options, AssumptionsAreFoundThroughTheExtendsChain) {
  write("base.toml", kScenario);
  const auto child = write("child.toml", "extends = \"base.toml\"\n[pools.idva]\ncases_per_worker = 25  # assumption\n");
  const auto found = scenario::assumptions(child);
  ASSERT_EQ(found.size(), 3u);
  std::map<std::string, scenario::Assumption> by_key;
  for (const auto& a : found) by_key[a.key] = a;
  EXPECT_TRUE(by_key["pools.idva.workers"].integer);
  EXPECT_DOUBLE_EQ(by_key["pools.idva.duration"].value, 30.5);
  EXPECT_DOUBLE_EQ(by_key["pools.idva.cases_per_worker"].value, 25) << "the child's value, from the child's line";
  EXPECT_NE(by_key["pools.idva.cases_per_worker"].where.find("child.toml:3"), std::string::npos);
  EXPECT_NE(by_key["pools.idva.workers"].where.find("base.toml:"), std::string::npos);
}

TEST_F(Options, SweepsMakeAGridOrZipLists) {
  write("s.toml", kScenario);
  const auto grid = write("grid.toml", "scenario = \"s.toml\"\n[[vary]]\nkey = \"pools.idva.workers\"\nvalues = [4, 6]\n"
                                       "[[vary]]\nkey = \"pools.idva.duration\"\nvalues = [20, 30, 40]\n");
  const scenario::Sweep g = scenario::load_sweep(grid);
  ASSERT_EQ(g.points.size(), 6u);
  EXPECT_EQ(g.points.front().name, "s[pools.idva.workers=4;pools.idva.duration=20]");
  EXPECT_EQ(g.points.back().name, "s[pools.idva.workers=6;pools.idva.duration=40]");
  EXPECT_EQ(g.scenario.filename(), "s.toml");
  const auto list = write("list.toml", "scenario = \"s.toml\"\nmode = \"list\"\n[[vary]]\nkey = \"pools.idva.workers\"\nvalues = [4, 6]\n"
                                       "[[vary]]\nkey = \"pools.idva.duration\"\nvalues = [20, 30]\n");
  EXPECT_EQ(scenario::load_sweep(list).points.size(), 2u);
  const auto uneven = write("uneven.toml", "scenario = \"s.toml\"\nmode = \"list\"\n[[vary]]\nkey = \"a\"\nvalues = [1]\n"
                                           "[[vary]]\nkey = \"b\"\nvalues = [1, 2]\n");
  EXPECT_THROW(scenario::load_sweep(uneven), scenario::LoadError);
}

TEST_F(Options, AScenarioIsReadAgainFromTheTextThatRanNotFromTheDisk) {
  write("base.toml", kScenario);
  const auto child = write("child.toml", "extends = \"base.toml\"\n[pools.idva]\ncases_per_worker = 25  # assumption\n");
  const model::Scenario ran = scenario::load(child, {{"pools.idva.duration", 40}});
  const auto before = scenario::assumptions(child);
  // Both files are edited, then removed: what ran must still be what varies.
  write("base.toml", kScenario + "\n[pools.other]\nworkers = 1\n");
  std::filesystem::remove(child);
  const model::Scenario again = scenario::reload(ran, {{"pools.idva.workers", 9}});
  ASSERT_EQ(again.pools.size(), 1u) << "the edited base is not read";
  EXPECT_EQ(again.pools.front().count, 9) << "the new override applies";
  EXPECT_EQ(again.source_text, ran.source_text);
  const auto* places = std::get_if<model::PlacesSpec>(&again.pools.front().kind);
  ASSERT_NE(places, nullptr);
  EXPECT_EQ(places->cases_per_worker, 25) << "the child's value";
  EXPECT_DOUBLE_EQ(again.pools.front().mean_hold(), 40) << "the override it was loaded with is kept";
  const auto found = scenario::assumptions(ran);
  ASSERT_EQ(found.size(), before.size());
  for (std::size_t i = 0; i < found.size(); ++i) {
    EXPECT_EQ(found[i].key, before[i].key);
    EXPECT_EQ(found[i].where, before[i].where);
  }
  std::map<std::string, double> value;
  for (const auto& a : found) value[a.key] = a.value;
  EXPECT_DOUBLE_EQ(value["pools.idva.duration"], 40) << "its base value is the one it ran with";
}

TEST_F(Options, AContractsPurchasesAreNamedByTheirPoolAndAVariedShareTakesFromTheOthers) {
  const auto file = write("money.toml", test_support::kOneArea + test_support::referrals(100, "idva") + R"(
[pools.idva]
cases_per_worker = 10
duration = 30
[pools.outreach]
cases_per_worker = 10
duration = 30
[pools.helpline]
cases_per_worker = 10
duration = 30
[[contracts]]
name = "joint"
annual_value = 400000
funders = { council = 1.0 }
buys = [
  { pool = "idva", share = 0.5, unit_cost = 40000 },      # assumption
  { pool = "outreach", share = 0.3, unit_cost = 40000 },  # assumption
  { pool = "helpline", share = 0.2, unit_cost = 40000 },  # assumption
]
)");
  std::vector<std::string> keys;
  for (const auto& a : scenario::assumptions(file)) keys.push_back(a.key);
  EXPECT_NE(std::find(keys.begin(), keys.end(), "contracts.joint.buys.outreach.share"), keys.end());
  EXPECT_NE(std::find(keys.begin(), keys.end(), "contracts.joint.buys.helpline.unit_cost"), keys.end());
  // 0.5 -> 0.7 of the money for IDVAs: the other 0.5 shrinks to 0.3, outreach and helpline keeping their 3:2.
  const model::Scenario s = scenario::load(file, {{"contracts.joint.buys.idva.share", 0.7}});
  const auto share = [&](const std::string& pool) {
    for (const auto& b : s.contracts.front().buys)
      if (s.pools[b.pool].name == pool) return b.share;
    return -1.0;
  };
  const auto places = [](const model::Scenario& sc, const std::string& pool) {
    for (const auto& p : sc.pools)
      if (p.name == pool) return p.places();
    return -1;
  };
  EXPECT_DOUBLE_EQ(share("idva"), 0.7);
  EXPECT_NEAR(share("outreach"), 0.18, 1e-12);
  EXPECT_NEAR(share("helpline"), 0.12, 1e-12);
  EXPECT_EQ(places(s, "idva"), 70) << "£400,000 x 0.7 buys 7 posts of 10 cases";
  const model::Scenario cheaper = scenario::load(file, {{"contracts.joint.buys.helpline.unit_cost", 20000}});
  EXPECT_EQ(places(cheaper, "helpline"), 40) << "£80,000 at £20,000 buys 4 posts";
}
