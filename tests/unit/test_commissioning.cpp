// Reinvested commissioning savings become capacity in the pool they are reinvested in.
#include <gtest/gtest.h>

#include "model/commissioning.hpp"
#include "scenario/loader.hpp"
#include "scenario_text.hpp"

using namespace dasim;

namespace {

model::Scenario with_contract(const std::string& idva_extra) {
  return scenario::load_text(test_support::kOneArea + test_support::referrals(10, "idva") + R"(
[pools.idva]
workers = 4
cases_per_worker = 10
duration = 30
)" + idva_extra + R"(
[[contracts]]
name = "joint"
pools = ["idva"]
annual_value = 1000000
efficiency = 0.1
funders = { council = 1.0 }
savings = "reinvested"
reinvest_in = "idva"
cost_per_worker = 40000
)", "contracts.toml");
}

}  // namespace

TEST(Commissioning, TheSavingBuysWholeWorkers) {
  model::ContractSpec c;
  c.annual_value = 1'000'000, c.efficiency = 0.1, c.cost_per_worker = 40'000;
  EXPECT_EQ(model::reinvested_workers(c), 0) << "a banked saving buys nobody";
  c.reinvested = true;
  EXPECT_EQ(model::reinvested_workers(c), 2) << "£100,000 buys two £40,000 workers; £20,000 is left over";
}

TEST(Commissioning, ReinvestedWorkersJoinThePool) {
  const model::Scenario s = with_contract("");
  EXPECT_EQ(s.contracts.front().extra_workers, 2);
  EXPECT_EQ(s.pools.front().count, 6);
  EXPECT_EQ(s.pools.front().places(), 60);
}

TEST(Commissioning, ALaterCapacityChangeKeepsTheReinvestedWorkers) {
  const model::Scenario s = with_contract("capacity_changes = [{ date = \"2025-10-01\", workers = 3 }]\n");
  ASSERT_EQ(s.pools.front().capacity_changes.size(), 1u);
  EXPECT_EQ(s.pools.front().capacity_changes.front().count, 5) << "3 from the change plus the 2 the saving pays for";
}
