// PoolStats as the Recorder of one pool: counts by area and month, time averages, the warm-up and the horizon.
#include <gtest/gtest.h>

#include "model/pool_stats.hpp"

using namespace dasim;

TEST(PoolStats, TimeAveragesAndWarmupReset) {
  model::PoolStats s(1, 2);
  s.capacity_changed(0, 2);
  s.occupied(0, 1);
  s.warmup_ended(10);  // forget the first 10 days
  s.occupied(10, 1);   // 2 busy from day 10
  s.released(20, 2);
  s.closed(30);        // 2 busy for 10 days, then 0 for 10: mean 1 over 20 days
  EXPECT_DOUBLE_EQ(s.mean_busy(), 1.0);
  EXPECT_DOUBLE_EQ(s.mean_capacity(), 2.0);
  EXPECT_DOUBLE_EQ(s.observed_days, 20.0);
}

TEST(PoolStats, CountsGoToTheAreaAndTheMonth) {
  model::PoolStats s(2, 2);
  s.entered(1, 0);
  s.entered(2, 1);
  s.declined(2, 1);
  s.joined_queue(1);
  s.started_after_wait(4, 0, 3, false);
  s.month_ended(5);
  s.started_without_wait(6, 1);
  s.completed(7, 0);
  s.closed(10);
  EXPECT_EQ(s.by_area[0].entered, 1);
  EXPECT_EQ(s.by_area[1].declined, 1);
  EXPECT_EQ(s.by_area[0].started, 1);
  EXPECT_EQ(s.by_area[0].within_target, 0) << "late";
  EXPECT_DOUBLE_EQ(s.by_area[0].wait_sum, 3);
  EXPECT_EQ(s.by_area[1].within_target, 1) << "no wait is on time";
  EXPECT_EQ(s.by_area[1].waits.total(), 1u);
  EXPECT_EQ(s.monthly[0].entered, 2);
  EXPECT_EQ(s.monthly[0].started, 1);
  EXPECT_EQ(s.monthly[1].started, 1);
  EXPECT_EQ(s.monthly[1].completed, 1);
  EXPECT_DOUBLE_EQ(s.monthly[0].queue_area, 3) << "one queued from day 1 to day 4";
  EXPECT_DOUBLE_EQ(s.queue_time, 3);
  EXPECT_DOUBLE_EQ(s.monthly[0].days + s.monthly[1].days, 10);
}

TEST(PoolStats, ReportsPastTheLastMonthAreKeptOutOfTheMonths) {
  model::PoolStats s(1, 1);
  s.month_ended(30);
  s.entered(31, 0);
  s.completed(32, 0);
  s.closed(40);
  EXPECT_EQ(s.monthly[0].entered, 0);
  EXPECT_DOUBLE_EQ(s.monthly[0].days, 30);
  EXPECT_EQ(s.by_area[0].entered, 1) << "totals still count them";
}

TEST(PoolStats, GivingUpIsDisengagingAndQueueTimeStaysInTheWindow) {
  model::PoolStats s(1, 1);
  s.joined_queue(0);
  s.warmup_ended(10);
  s.gave_up_waiting(12, 0, 12);
  s.closed(20);
  EXPECT_EQ(s.total().disengaged, 1);
  EXPECT_DOUBLE_EQ(s.queue_time, 2) << "only the two days after the warm-up";
  EXPECT_DOUBLE_EQ(s.mean_queue(), 0.2);
}

TEST(Tallies, AddAcrossAreasAndPools) {
  model::AreaTally a, b;
  a.entered = 2, a.wait_sum = 1.5, a.waits.add(1);
  b.entered = 3, b.completed = 1, b.waits.add(2);
  a.add(b);
  EXPECT_EQ(a.entered, 5);
  EXPECT_EQ(a.completed, 1);
  EXPECT_EQ(a.waits.total(), 2u);
  model::MonthBin m, n;
  m.started = 1, m.busy_area = 10, m.days = 30;
  n.started = 2, n.busy_area = 5, n.days = 30;
  m.add(n);
  EXPECT_EQ(m.started, 3);
  EXPECT_DOUBLE_EQ(m.busy_area, 15);
  EXPECT_DOUBLE_EQ(m.days, 30) << "the month's length, not a sum over pools";
}

TEST(PoolStats, TheLongestWaitingListCountsOnlyAfterTheWarmup) {
  model::PoolStats s(1, 1);
  for (int i = 0; i < 5; ++i) s.joined_queue(1);  // five waiting during the warm-up
  for (int i = 0; i < 3; ++i) s.started_after_wait(2, 0, 1, true);
  s.warmup_ended(3);                                // two still waiting when it ends
  EXPECT_EQ(s.longest_queue, 2);
  s.joined_queue(4);
  s.joined_queue(5);
  s.started_after_wait(6, 0, 1, true);
  s.joined_queue(7);
  EXPECT_EQ(s.longest_queue, 4);
}
