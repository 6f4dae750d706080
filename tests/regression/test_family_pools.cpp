// The household's other people in the SET options (issue 10, docs/model.md §4.3): every option carries the refuge
// children's worker and the children's group under its own commissioning, takes the whole family to early help and
// matches self-referring perpetrators, without losing a refuge space to the children's worker.
#include <gtest/gtest.h>

#include <filesystem>

#include "batch/results.hpp"
#include "batch/runner.hpp"
#include "scenario/loader.hpp"

namespace fs = std::filesystem;
using namespace dasim;

namespace {
const fs::path kScenarios = fs::path(DASIM_SOURCE_DIR) / "scenarios";

int service_index(const model::Scenario& s, const std::string& name) {
  const auto it = std::find(s.services.begin(), s.services.end(), name);
  return it == s.services.end() ? -1 : static_cast<int>(it - s.services.begin());
}
}  // namespace

TEST(ChildrensPools, EveryOptionCarriesThemAndTakesTheWholeFamilyToEarlyHelp) {
  for (const char* file : {"set-separate.toml", "set-pooled.toml", "set-pooled-reinvested.toml", "set-lotted.toml",
                           "thurrock-hybrid.toml", "set-current-2024.toml"}) {
    const model::Scenario s = scenario::load(kScenarios / file);
    const int worker = service_index(s, "refuge-children"), group = service_index(s, "children-group"),
              early_help = service_index(s, "early-help");
    ASSERT_GE(worker, 0) << file;
    ASSERT_GE(group, 0) << file;
    for (std::size_t a = 0; a < s.areas.size(); ++a)
      EXPECT_GT(s.pools[s.service_pool[worker][a]].places(), 0) << file << ": every area's refuge children have a worker";
    int whole_family_routes = 0;
    for (const model::PoolSpec& pool : s.pools) {
      if (s.services[pool.service] == "refuge") EXPECT_EQ(pool.children_to, worker) << file << ": " << pool.name;
      for (const model::Route& route : pool.next)
        if (route.to.front() == early_help) {
          EXPECT_TRUE(route.whole_family && route.family_perpetrator) << file << ": " << pool.name;
          whole_family_routes += route.whole_family;
        }
    }
    EXPECT_GT(whole_family_routes, 0) << file;
    int matching = 0;
    for (const model::ArrivalSpec& a : s.arrivals) matching += a.matches_household();
    EXPECT_EQ(matching, static_cast<int>(s.areas.size())) << file << ": one self-referral stream an area matches";
  }
  // The children's worker is carved out of the refuge line without costing a space: Thurrock keeps its 15 (000 §2.9).
  const model::Scenario separate = scenario::load(kScenarios / "set-separate.toml");
  for (const model::PoolSpec& pool : separate.pools)
    if (pool.name == "refuge-thurrock") EXPECT_EQ(pool.places(), 15);
}

TEST(ChildrensPools, ChildrenAreSupportedAndWaitInTheSeparateBaseline) {
  model::Scenario s = scenario::load(kScenarios / "set-separate.toml");
  s.simulation.years = 2;
  s.simulation.warmup_days = 0;
  batch::ReplicationResult r;
  batch::run_tasks({&s}, {{0, 0}}, {11, 1, nullptr}, [&](const batch::Task&, batch::ReplicationResult&& out) { r = std::move(out); });
  auto value = [&](const std::string& service, const std::string& metric) { return batch::measure(s, service, "all", metric)(r); };
  EXPECT_GT(value("refuge-children", "started"), 300) << "children of families in refuge, a year";
  EXPECT_GT(value("children-group", "started"), 30);
  EXPECT_GT(value("(total)", "children_supported"), value("refuge-children", "completed"));
  EXPECT_GT(value("(total)", "children_waiting"), 0);
  EXPECT_GT(value("(total)", "family_perpetrators"), 0);
  EXPECT_GT(value("(total)", "matched_perpetrators"), 0);
}
