// Capacity follows money: a contract's value, less management and on-costs, buys each pool's units at a unit cost;
// a joint contract's duplicate management is banked or reinvested; pay inflation erodes a fixed envelope.
#include <gtest/gtest.h>

#include "model/commissioning.hpp"
#include "scenario/loader.hpp"
#include "scenario_text.hpp"

using namespace dasim;

namespace {

/// An IDVA caseload (10 cases a worker) and a refuge, both bought by one contract worth `value`.
std::string bought(const std::string& value, const std::string& contract_extra = "", const std::string& idva_extra = "") {
  return test_support::kOneArea + test_support::referrals(10, "idva") + R"(
[pools.idva]
cases_per_worker = 10
duration = 30
)" + idva_extra + R"(
[pools.refuge]
kind = "beds"
duration = 30
[[contracts]]
name = "joint"
annual_value = )" + value + R"(
funders = { council = 1.0 }
management_cost = 20000
overhead = 0.25
)" + contract_extra + R"(
buys = [
  { pool = "idva", share = 0.6, unit_cost = 40000 },
  { pool = "refuge", share = 0.4, unit_cost = 10000 },
]
)";
}

model::Scenario load(const std::string& text) { return scenario::load_text(text, "contracts.toml"); }

std::string load_error(const std::string& text) {
  try {
    load(text);
  } catch (const scenario::LoadError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Commissioning, MoneyBuysTheCapacity) {
  // £520,000 less £20,000 management, over 1.25 for on-costs: £400,000 of front line. 60% buys 6 IDVAs of 10 cases
  // (60 places); 40% buys 16 refuge units.
  const model::Scenario s = load(bought("520000"));
  EXPECT_DOUBLE_EQ(s.contracts.front().front_line(), 400000);
  EXPECT_EQ(s.pools[0].places(), 60);
  EXPECT_EQ(s.pools[1].count, 16);
  EXPECT_DOUBLE_EQ(s.contracts.front().annual_cost(), 520000);
}

TEST(Commissioning, PartTimePostsBuyTheirShareOfACaseload) {
  // £490,000: £376,000 of front line; 60% is £225,600, 5.64 IDVAs: 56 places, not 50.
  const model::Scenario s = load(bought("490000"));
  EXPECT_EQ(s.pools[0].places(), 56);
  EXPECT_EQ(s.pools[1].count, 15) << "£150,400 buys 15 whole units";
}

TEST(Commissioning, TwoMoreIdvasCostWhatTheyCost) {
  // Two £40,000 IDVAs at 60% of the front line need £80,000 / 0.6 more front line, £166,667 with on-costs.
  const model::Scenario more = load(bought("686667"));
  EXPECT_EQ(more.pools[0].places(), 80);
  EXPECT_GT(more.contracts.front().annual_cost() - 520000, 2 * 40000 * 1.25) << "the on-costs come with the posts";
}

TEST(Commissioning, ABankedSavingLowersTheCostAndKeepsTheFrontLine) {
  // Merging three contracts leaves one management team: £40,000 of duplicate management, banked.
  const model::Scenario separate = load(bought("560000", "merges = 3\nsavings = \"reinvested\"\nreinvest_in = \"refuge\"\ncost_per_worker = 10000\n"));
  const model::Scenario banked = load(bought("560000", "merges = 3\n"));
  const auto& c = banked.contracts.front();
  EXPECT_DOUBLE_EQ(c.saving(), 40000);
  EXPECT_DOUBLE_EQ(c.annual_cost(), 520000);
  EXPECT_DOUBLE_EQ(c.front_line(), 400000) << "the same front-line money as the three contracts had";
  EXPECT_EQ(banked.pools[0].places(), 60);
  // Reinvested, the funders pay the full value and the saving, after on-costs, buys 3 more refuge units.
  EXPECT_DOUBLE_EQ(separate.contracts.front().annual_cost(), 560000);
  EXPECT_EQ(separate.contracts.front().extra_workers, 3);
  EXPECT_EQ(separate.pools[1].count, 16 + 3);
}

TEST(Commissioning, PayInflationErodesAFixedEnvelopeYearByYear) {
  // 5% a year: the refuge's £160,000 buys 16, then 15.24 -> 15, 14.51 -> 15, 13.82 -> 14 units; the IDVAs' £240,000
  // buys 60, 57, 54 and 52 places (6, 5.71, 5.44, 5.18 posts of 10 cases).
  const model::Scenario s = load("[simulation]\nyears = 4\n" + bought("520000", "pay_inflation = 0.05\n"));
  const auto& refuge = s.pools[1];
  EXPECT_EQ(refuge.count, 16);
  ASSERT_EQ(refuge.capacity_changes.size(), 2u) << "no change in a year the count stays the same";
  EXPECT_EQ(refuge.capacity_changes[0].count, 15);
  EXPECT_NEAR(refuge.capacity_changes[0].day, model::kDaysPerYear, 1e-9);
  EXPECT_EQ(refuge.capacity_changes[1].count, 14);
  EXPECT_NEAR(refuge.capacity_changes[1].day, 3 * model::kDaysPerYear, 1e-9);
  ASSERT_EQ(s.pools[0].capacity_changes.size(), 3u);
  EXPECT_EQ(s.pools[0].capacity_changes.back().count, 52);
  EXPECT_DOUBLE_EQ(s.contracts.front().annual_cost(), 520000) << "the envelope is fixed: the cost does not rise";
}

TEST(Commissioning, ThePayAwardErodesTheEnvelopeFromTheEndOfTheWarmUp) {
  // `simulation.pay_award` is every contract's pay inflation; the term starts after the 1-year warm-up, so the
  // first anniversary is at 2 years, and the warm-up runs at the first year's capacity.
  const model::Scenario s = load("[simulation]\nyears = 5\nwarmup_years = 1\npay_award = 0.05\n" + bought("520000"));
  EXPECT_DOUBLE_EQ(s.contracts.front().pay_inflation, 0.05);
  const auto& refuge = s.pools[1];
  EXPECT_EQ(refuge.count, 16);
  ASSERT_EQ(refuge.capacity_changes.size(), 2u);
  EXPECT_NEAR(refuge.capacity_changes[0].day, 2 * model::kDaysPerYear, 1e-9);
  EXPECT_EQ(refuge.capacity_changes[1].count, 14);
  EXPECT_NEAR(refuge.capacity_changes[1].day, 4 * model::kDaysPerYear, 1e-9);
  // A contract's own rate wins over the award.
  const model::Scenario own = load("[simulation]\nyears = 5\npay_award = 0.05\n" + bought("520000", "pay_inflation = 0\n"));
  EXPECT_TRUE(own.pools[1].capacity_changes.empty());
}

TEST(Commissioning, UnitsBoughtAreTheNearestWholeUnit) {
  EXPECT_EQ(model::units_bought(94999, 10000, 0, 0), 9);
  EXPECT_EQ(model::units_bought(95000, 10000, 0, 0), 10) << "a provider recruits the post the money nearly pays for";
  EXPECT_EQ(model::units_bought(25000, 40000, 0, 0, 70), 44) << "five-eighths of a post holds 43.75 of 70 cases";
  EXPECT_EQ(model::units_bought(4000, 10000, 0, 0), 0) << "too little for a unit buys none";
  EXPECT_EQ(model::units_bought(0, 40000, 0, 0), 0);
}

TEST(Commissioning, ABoughtPoolMayNotStateItsOwnCapacity) {
  const std::string message = load_error(bought("520000", "", "workers = 4\n"));
  EXPECT_NE(message.find("pools.idva.workers"), std::string::npos) << message;
  EXPECT_NE(message.find("bought by contract 'joint'"), std::string::npos) << message;
}

TEST(Commissioning, MoneyThatCannotPayItsManagementIsRefused) {
  const std::string message = load_error(bought("15000"));
  EXPECT_NE(message.find("cannot pay its management"), std::string::npos) << message;
}

TEST(Commissioning, SharesMustAddUp) {
  std::string text = bought("520000");
  text.replace(text.find("share = 0.4"), 11, "share = 0.3");
  const std::string message = load_error(text);
  EXPECT_NE(message.find("contracts.joint.buys"), std::string::npos) << message;
  EXPECT_NE(message.find("sum to 1"), std::string::npos) << message;
}

TEST(Commissioning, AFixedCapacityPoolKeepsItsWorkersAndGetsTheReinvestedOnes) {
  const model::Scenario s = load(test_support::kOneArea + test_support::referrals(10, "idva") + R"(
[pools.idva]
workers = 4
cases_per_worker = 10
duration = 30
capacity_changes = [{ date = "2025-10-01", workers = 3 }]
[[contracts]]
name = "joint"
pools = ["idva"]
annual_value = 1000000
funders = { council = 1.0 }
management_cost = 45000
merges = 3
savings = "reinvested"
reinvest_in = "idva"
cost_per_worker = 40000
)");
  EXPECT_EQ(s.contracts.front().extra_workers, 2) << "£90,000 buys two £40,000 workers; £10,000 is left over";
  EXPECT_EQ(s.pools.front().count, 6);
  ASSERT_EQ(s.pools.front().capacity_changes.size(), 1u);
  EXPECT_EQ(s.pools.front().capacity_changes.front().count, 5) << "3 from the change plus the 2 the saving pays for";
}
