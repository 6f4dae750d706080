// The plan: what is left to run after a resume, one replication alone, each rank's share, and running a plan.
#include <gtest/gtest.h>

#include <set>

#include "batch/plan.hpp"
#include "fixtures.hpp"

namespace dasim::batch {
namespace {

std::vector<std::pair<int, std::uint64_t>> pairs(const std::vector<Task>& tasks) {
  std::vector<std::pair<int, std::uint64_t>> out;
  for (const auto& t : tasks) out.emplace_back(t.scenario, t.replication);
  return out;
}

TEST(Plan, EveryReplicationOfEveryScenarioReplicationByReplication) {
  const std::vector<model::Scenario> scenarios{testing::small_scenario("a"), testing::small_scenario("b", 3)};
  const RunRecord record = new_record(scenarios, 9, 3, false);
  EXPECT_EQ(record.master_seed, 9u);
  EXPECT_FALSE(record.complete());
  EXPECT_EQ(pairs(plan_tasks(record)),
            (std::vector<std::pair<int, std::uint64_t>>{{0, 0}, {1, 0}, {0, 1}, {1, 1}, {0, 2}, {1, 2}}));
}

TEST(Plan, AResumeRunsOnlyWhatIsNotDone) {
  const std::vector<model::Scenario> scenarios{testing::small_scenario("a"), testing::small_scenario("b", 3)};
  RunRecord record = new_record(scenarios, 9, 3, false);
  record.scenarios[0].done[0] = record.scenarios[1].done[0] = record.scenarios[1].done[2] = true;
  EXPECT_EQ(pairs(plan_tasks(record)), (std::vector<std::pair<int, std::uint64_t>>{{0, 1}, {1, 1}, {0, 2}}));
  EXPECT_EQ(pairs(plan_tasks(record, 1)), (std::vector<std::pair<int, std::uint64_t>>{{0, 1}, {1, 1}}));
  EXPECT_TRUE(plan_tasks(record, 7).empty());
}

TEST(Plan, RanksShareTheTasksWithoutOverlapOrGap) {
  std::vector<Task> tasks;
  for (int i = 0; i < 10; ++i) tasks.push_back({i % 2, static_cast<std::uint64_t>(i)});
  std::set<std::uint64_t> seen;
  for (int rank = 0; rank < 3; ++rank) {
    const std::vector<Task> mine = share_of(tasks, Ranks{rank, 3});
    EXPECT_EQ(mine.size(), rank == 0 ? 4u : 3u);
    for (std::size_t k = 0; k < mine.size(); ++k) {
      EXPECT_EQ(mine[k].replication, static_cast<std::uint64_t>(rank + 3 * k));  // every third, from its own index
      EXPECT_TRUE(seen.insert(mine[k].replication).second);
    }
  }
  EXPECT_EQ(seen.size(), tasks.size());
  EXPECT_EQ(pairs(share_of(tasks, Ranks{})), pairs(tasks));
}

TEST(Plan, RunningAPlanStoresEachResultUnderItsReplication) {
  const std::vector<model::Scenario> scenarios{testing::small_scenario("a"), testing::small_scenario("b", 3)};
  RunRecord record = new_record(scenarios, 4, 2, false);
  record.scenarios[1].done[0] = true;  // as if resumed: left alone
  const std::vector<Task> tasks = plan_tasks(record);
  std::vector<std::pair<std::size_t, std::size_t>> progress;
  const PlanOutcome out = run_plan(record, tasks, {4, 2, nullptr, false},
                                   [&](std::size_t done, std::size_t of) { progress.emplace_back(done, of); });
  EXPECT_TRUE(out.finished);
  EXPECT_TRUE(out.failure.empty());
  EXPECT_EQ(out.done, 3u);
  EXPECT_TRUE(record.complete());
  EXPECT_TRUE(record.scenarios[1].replications[0].totals.empty());  // the resumed one was not rerun
  EXPECT_EQ(record.scenarios[0].replications[1].replication, 1u);
  EXPECT_FALSE(record.scenarios[0].replications[1].totals.empty());
  ASSERT_EQ(progress.size(), 4u);
  EXPECT_EQ(progress.front(), (std::pair<std::size_t, std::size_t>{0, 3}));
  EXPECT_EQ(progress.back(), (std::pair<std::size_t, std::size_t>{3, 3}));
}

TEST(Plan, AStopBeforeStartingRunsNothing) {
  const std::vector<model::Scenario> scenarios{testing::small_scenario("a")};
  RunRecord record = new_record(scenarios, 4, 2, false);
  const std::atomic<bool> stop{true};
  const PlanOutcome out = run_plan(record, plan_tasks(record), {4, 1, &stop, false}, [](std::size_t, std::size_t) {});
  EXPECT_FALSE(out.finished);
  EXPECT_EQ(out.done, 0u);
  EXPECT_FALSE(record.scenarios[0].done[0]);
}

}  // namespace
}  // namespace dasim::batch
