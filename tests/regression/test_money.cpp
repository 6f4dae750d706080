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
