// What pools report through the Recorder interface: a recording fake stands in for the statistics.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "manual_scheduler.hpp"
#include "scenario_text.hpp"
#include "model/pools.hpp"
#include "model/world.hpp"
#include "scenario/loader.hpp"

using namespace dasim;

namespace {

/// Keeps every report as one line of text, e.g. "entered 0", "occupied 1", "capacity 2".
class RecordingFake final : public model::Recorder {
 public:
  std::vector<std::string> lines;
  void entered(double, model::Who who) override { add("entered {}", who.area); }
  void declined(double, model::Who who) override { add("declined {}", who.area); }
  void joined_queue(double) override { add("joined queue"); }
  void started_after_wait(double, model::Who who, double wait, bool on_time) override {
    add("started after {:g} {} {}", wait, on_time ? "on time" : "late", who.area);
  }
  void gave_up_waiting(double, model::Who who, double wait) override { add("gave up after {:g} {}", wait, who.area); }
  void started_without_wait(double, model::Who who) override { add("started at once {}", who.area); }
  void disengaged_in_service(double, model::Who who) override { add("disengaged {}", who.area); }
  void completed(double, model::Who who) override { add("completed {}", who.area); }
  void occupied(double, int places) override { add("occupied {}", places); }
  void released(double, int places) override { add("released {}", places); }
  void capacity_changed(double, int places) override { add("capacity {}", places); }
  void warmup_ended(double) override { add("warm-up ended"); }
  void month_ended(double) override { add("month"); }
  void closed(double) override { add("closed"); }

 private:
  template <class... A>
  void add(fmt::format_string<A...> f, A&&... a) { lines.push_back(fmt::format(f, std::forward<A>(a)...)); }
};

/// A world whose named pool reports to a RecordingFake; referrals arrive on fixed dates via one slow stream.
struct Watched {
  Watched(const std::string& text, const std::string& pool_name)
      : scenario(scenario::load_text(text, "recorder.toml")), world(scenario, scheduler, 3, 0) {
    for (const auto& p : world.pools())
      if (p->spec().name == pool_name) p->report_to(fake);
    world.start();
    scheduler.run_until(world.horizon());
    world.finish();
  }
  /// The reports of people and places, without the clock's (months, close).
  std::vector<std::string> about_people() const {
    std::vector<std::string> out;
    for (const auto& l : fake.lines)
      if (l != "month" && l != "closed") out.push_back(l);
    return out;
  }
  RecordingFake fake;
  model::Scenario scenario;
  test_support::ManualScheduler scheduler;
  model::World world;
};

std::string header(double years, double rate, const std::string& to, const std::string& simulation = "") {
  return fmt::format("\n[simulation]\nyears = {}\n{}\n", years, simulation) + test_support::kOneArea +
         test_support::referrals(rate, to);
}

}  // namespace

TEST(Recorder, ABedPoolThatDeclinesWhenFullReportsEachStep) {
  // One unit held for far longer than the run: the first referral takes it, every later one is declined.
  const Watched w(header(1, 20, "refuge") + R"(
[pools.refuge]
kind = "beds"
workers = 1
when_full = "decline"
duration = 1000
)", "refuge");
  const auto lines = w.about_people();
  ASSERT_GE(lines.size(), 6u) << "expected several referrals in a year at 20 a year";
  EXPECT_EQ(lines[0], "capacity 1") << "capacity is reported first, at the start";
  EXPECT_EQ(lines[1], "entered 0");
  EXPECT_EQ(lines[2], "started at once 0");
  EXPECT_EQ(lines[3], "occupied 1");
  for (std::size_t i = 4; i < lines.size(); i += 2) {
    EXPECT_EQ(lines[i], "entered 0") << i;
    ASSERT_LT(i + 1, lines.size());
    EXPECT_EQ(lines[i + 1], "declined 0") << i;
  }
  EXPECT_EQ(w.fake.lines.back(), "closed");
  const model::Pool& pool = *w.world.pools().front();
  EXPECT_EQ(pool.stats().total().entered, 0) << "reports went to the fake, not to the pool's own statistics";
}

TEST(Recorder, AQueueingCaseloadReportsWaitsThenStarts) {
  // One worker, one case at a time, five-day cases: referrals at 200 a year queue behind each other.
  const Watched w(header(0.5, 200, "idva") + R"(
[pools.idva]
workers = 1
duration = 5
target_days = 2
)", "idva");
  int queue = 0, busy = 0, entered = 0, started = 0, completed = 0, late = 0;
  for (const auto& l : w.about_people()) {
    if (l == "joined queue") ++queue;
    if (l.rfind("started after", 0) == 0) --queue, ++started, late += l.find("late") != std::string::npos;
    if (l.rfind("started at once", 0) == 0) ++started;
    if (l == "occupied 1") ++busy;
    if (l == "released 1") --busy;
    if (l == "entered 0") ++entered;
    if (l == "completed 0") ++completed;
    ASSERT_GE(queue, 0) << "left the queue more often than joined it";
    ASSERT_LE(busy, 1) << "held more places than the one worker has";
    ASSERT_GE(busy, 0);
  }
  EXPECT_GT(entered, 50);
  EXPECT_GT(late, 0) << "at twice the service rate, some wait beyond the two-day target";
  EXPECT_EQ(started, completed + busy) << "every case started is completed or still held at the end";
}

TEST(Recorder, AGroupReportsItsSeatsAndAMeetingHoldsNone) {
  const Watched group(header(1, 100, "programme") + R"(
[pools.programme]
kind = "group"
workers = 2
group_min = 3
group_max = 5
duration = 30
)", "programme");
  const auto lines = group.about_people();
  EXPECT_EQ(lines.front(), "capacity 10") << "2 groups of up to 5";
  bool cohort = false;
  for (const auto& l : lines)
    if (l.rfind("occupied ", 0) == 0) {
      const int seats = std::stoi(l.substr(9));
      EXPECT_GE(seats, 3);
      EXPECT_LE(seats, 5);
      cohort = true;
    }
  EXPECT_TRUE(cohort);

  const Watched meeting(header(1, 100, "marac") + R"(
[pools.marac]
kind = "meeting"
every_days = 14
)", "marac");
  EXPECT_EQ(meeting.about_people().front(), "capacity 0") << "a meeting holds no places";
  for (const auto& l : meeting.about_people()) EXPECT_EQ(l.rfind("occupied", 0), std::string::npos) << l;
}

TEST(Recorder, TheClockReportsMonthsAndTheWarmup) {
  const Watched w(header(1, 10, "idva", "warmup_years = 0.25\nstart_date = \"2025-04-01\"") + R"(
[pools.idva]
duration = 1
)", "idva");
  int months = 0, warmups = 0;
  for (const auto& l : w.fake.lines) months += l == "month", warmups += l == "warm-up ended";
  EXPECT_EQ(months, 12) << "April to March: twelve month boundaries, the last at the horizon's month start";
  EXPECT_EQ(warmups, 1);
}

TEST(PoolStatsRecorder, ThePoolsOwnStatisticsMatchWhatItReports) {
  const std::string text = header(1, 300, "idva") + "[pools.idva]\nworkers = 2\nduration = 2\npatience = 3\n";
  const Watched w(text, "none");
  const Watched watched(text, "idva");
  const model::AreaTally t = w.world.pools().front()->stats().total();
  auto count = [&](const std::string& prefix) {
    double n = 0;
    for (const auto& l : watched.fake.lines) n += l.rfind(prefix, 0) == 0;
    return n;
  };
  EXPECT_EQ(t.entered, count("entered"));
  EXPECT_EQ(t.started, count("started"));
  EXPECT_EQ(t.disengaged, count("gave up"));
  EXPECT_EQ(t.completed, count("completed"));
  EXPECT_GT(t.disengaged, 0) << "with a three-day patience some give up";
}
