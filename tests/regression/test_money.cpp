// Capacity follows money in the shipped SET scenarios: the baseline's cost by funder reconciles with the budgets
// the papers name (docs/model.md §8) and every option spends the same front-line money. That no pool is sized to
// a utilisation is checked with the provenance of every line, in test_set_model.cpp.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <numeric>

#include "batch/replication.hpp"
#include "scenario/loader.hpp"

namespace fs = std::filesystem;
using namespace dasim;

namespace {

const fs::path kScenarios = fs::path(DASIM_SOURCE_DIR) / "scenarios";

std::map<std::string, double> cost_by_funder(const model::Scenario& s) {
  const std::vector<double> cost = batch::funder_costs(s);
  std::map<std::string, double> out;
  for (std::size_t f = 0; f < cost.size(); ++f) out[s.funders[f]] = cost[f];
  return out;
}

double front_line(const model::Scenario& s) {
  double total = 0;
  for (const auto& c : s.contracts) total += c.buys.empty() ? 0 : c.front_line();
  return total;
}

double total_cost(const model::Scenario& s) {
  const std::vector<double> cost = batch::funder_costs(s);
  return std::accumulate(cost.begin(), cost.end(), 0.0);
}

}  // namespace

TEST(Money, TheBaselinesCostByFunderReconcilesWithThePapers) {
  const model::Scenario s = scenario::load(kScenarios / "set-separate.toml");
  const std::map<std::string, double> expected = {
      {"PFCC", 451000 + 75000},                           // Victims Fund + perpetrator match (001 §9.1)
      {"Essex County Council", 1644000 + 2790000},        // public health grant + DLUHC duty grant (003 §2)
      {"Thurrock Council", 509332 + 20000},               // 000 Table 1, and the children's group (000 §2.9.6)
      {"Southend City Council", 543467},                  // assumption: Thurrock's named lines per resident
      {"Home Office perpetrator grant", 250000},          // assumption: spending no paper names, its own line
  };
  const auto actual = cost_by_funder(s);
  ASSERT_EQ(actual.size(), expected.size());
  for (const auto& [funder, amount] : expected) {
    ASSERT_TRUE(actual.count(funder)) << funder;
    EXPECT_NEAR(actual.at(funder), amount, 2.0) << funder;  // shares are written to eight decimals
  }
  EXPECT_NEAR(total_cost(s), 6282799, 10);
}

TEST(Money, EveryOptionBuysTheSameFrontLineAndBanksOnlyTheDuplicateManagement) {
  const model::Scenario base = scenario::load(kScenarios / "set-separate.toml");
  int base_contracts = 0;
  for (const auto& c : base.contracts) base_contracts += c.merges;
  for (const char* file : {"set-pooled.toml", "set-lotted.toml", "thurrock-hybrid.toml", "set-pooled-reinvested.toml"}) {
    const model::Scenario s = scenario::load(kScenarios / file);
    double saving = 0;
    int merged = 0;
    bool reinvested = false;
    for (const auto& c : s.contracts) saving += c.saving(), merged += c.merges, reinvested |= c.reinvested;
    EXPECT_EQ(merged, base_contracts) << file << ": every separate contract's management is taken over once";
    // Merges are whole contracts while a joint contract may take part of one: front lines agree to a few £1,000s.
    EXPECT_NEAR(front_line(s), front_line(base), 0.002 * front_line(base)) << file;
    EXPECT_NEAR(total_cost(s), total_cost(base) - (reinvested ? 0 : saving), 10) << file;
    EXPECT_GT(saving, 0) << file << ": fewer contracts, fewer management teams";
  }
}

TEST(Money, TheCounterfactualsSpendTodaysMoneyOrNoneAndThePayAwardErodesOnlyCapacity) {
  const model::Scenario base = scenario::load(kScenarios / "set-separate.toml");
  // Current provision 2024 spends the papers' money as today's contracts do: the same by funder as the baseline.
  const auto today = cost_by_funder(scenario::load(kScenarios / "set-current-2024.toml"));
  for (const auto& [funder, amount] : cost_by_funder(base)) {
    ASSERT_TRUE(today.count(funder)) << funder;
    EXPECT_NEAR(today.at(funder), amount, 2.0) << funder;
  }
  EXPECT_DOUBLE_EQ(total_cost(scenario::load(kScenarios / "set-no-service.toml")), 0.0) << "nothing commissioned";
  // The pay award is on in every shipped option, against values fixed for the term (000 §3.13): what a contract
  // costs stays put while the capacity it buys falls at each anniversary.
  for (const char* file : {"set-separate.toml", "set-pooled.toml", "set-pooled-reinvested.toml", "set-lotted.toml",
                           "thurrock-hybrid.toml", "set-current-2024.toml"}) {
    const model::Scenario s = scenario::load(kScenarios / file);
    ASSERT_GT(s.simulation.pay_award, 0) << file;
    int falling = 0;
    for (const auto& c : s.contracts) {
      EXPECT_DOUBLE_EQ(c.pay_inflation, s.simulation.pay_award) << file << ": " << c.name;
      for (int p : c.pools)
        for (const auto& change : s.pools[p].capacity_changes) {
          EXPECT_GE(change.day, s.simulation.warmup_days) << file << ": " << s.pools[p].name << " changes before the term starts";
          falling += change.count < s.pools[p].count;
        }
    }
    EXPECT_GT(falling, 0) << file << ": some capacity falls over the term";
  }
}

TEST(Money, TheDropInIsBoughtWithBrighterFuturesAndKeepsItsMoneyInEveryOption) {
  // The drop-in is "the minority of the contract value" of Brighter Futures (000 §2.8.3): wherever an option puts
  // that contract's money, the drop-in goes with the programme and keeps the baseline's front-line money.
  const auto bought = [](const model::Scenario& s, const std::string& pool) {
    for (const auto& c : s.contracts)
      for (const auto& p : c.buys)
        if (s.pools[p.pool].name == pool) return std::pair{c.name, c.front_line() * p.share};
    return std::pair{std::string(), 0.0};
  };
  const auto [base_contract, base_money] = bought(scenario::load(kScenarios / "set-separate.toml"), "drop-in-thurrock");
  ASSERT_EQ(base_contract, "thurrock-brighter-futures");
  EXPECT_NEAR(base_money, 0.15 * (86000 - 10000) / 1.12, 1.0) << "15% of the contract's front line";
  for (const char* file : {"set-current-2024.toml", "set-pooled.toml", "set-pooled-reinvested.toml", "set-lotted.toml",
                           "thurrock-hybrid.toml"}) {
    const model::Scenario s = scenario::load(kScenarios / file);
    const auto [contract, money] = bought(s, "drop-in-thurrock");
    EXPECT_EQ(contract, bought(s, "brighter-futures-thurrock").first) << file;
    EXPECT_NEAR(money, base_money, 0.005 * base_money) << file;
  }
}
