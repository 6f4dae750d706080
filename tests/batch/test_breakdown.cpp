// Results by risk level and by referral source (MODEL.md §8): the same people as by area, so each split adds up to
// the all-areas figures, in every replication.
#include <gtest/gtest.h>

#include <cmath>

#include "batch/results.hpp"
#include "batch/runner.hpp"
#include "fixtures.hpp"
#include "scenario/loader.hpp"

namespace dasim::batch {
namespace {

/// Two risk levels, two sources, one pool under pressure (people wait and some give up), an outcome with a cost.
model::Scenario breakdown_scenario() {
  return scenario::load_text(R"([scenario]
name = "breakdown"
[simulation]
years = 1
warmup_years = 0.1
)" + std::string(testing::kTwoAreasTwoRiskLevels) + R"(
[[arrivals]]
name = "north-police"
area = "north"
source = "police"
rate_per_year = 400
to = "advice"
[[arrivals]]
name = "south-self"
area = "south"
source = "self"
rate_per_year = 300
to = "advice"
[pools.advice]
workers = 3
duration = { dist = "exponential", mean = 1.5 }
patience = { dist = "exponential", mean = 4 }
target_days = 1
priority = { attribute = "risk", order = ["high", "standard"] }
next = [{ to = "refuge", p = 0.3 }]
[pools.refuge]
workers = 2
duration = { dist = "exponential", mean = 5.0 }
when_full = "decline"
target_days = 2
[outcomes.harm]
payer = "police"
cashable = true
initial_cost = 1000
probability = 0.2
effect = { completed = 0.5 }
[outcomes.housing]
payer = "housing"
cashable = false
initial_cost = 500
probability = 0.1
)", "breakdown.toml");
}

std::vector<ReplicationResult> run(const model::Scenario& s, int replications) {
  std::vector<Task> tasks;
  for (int r = 0; r < replications; ++r) tasks.push_back({0, static_cast<std::uint64_t>(r)});
  std::vector<ReplicationResult> out(replications);
  run_tasks({&s}, tasks, {7, 2, nullptr}, [&](const Task& t, ReplicationResult&& r) { out[t.replication] = std::move(r); });
  return out;
}

/// Checks that a split (risk or source) of the area metrics adds up to the all-areas figures of every service.
void expect_split_adds_up(const model::Scenario& s, const ReplicationResult& r, const Group& split, Axis axis) {
  const Group& area = area_group();
  const Shape area_shape = area.shape(s), split_shape = split.shape(s);
  const std::size_t all = s.areas.size(), cells = axis_size(axis, s);
  ASSERT_EQ((r.*split.field).size(), split_shape.size());
  for (std::size_t sv = 0; sv < s.services.size(); ++sv) {
    auto total = [&](const std::string& m) { return r.area_metrics[area_shape.at({sv, all, area.metric(m)})]; };
    auto part = [&](std::size_t c, const std::string& m) { return (r.*split.field)[split_shape.at({sv, c, split.metric(m)})]; };
    for (const char* count : {"entered", "declined", "started", "disengaged", "completed"}) {
      double sum = 0;
      for (std::size_t c = 0; c < cells; ++c) sum += part(c, count);
      EXPECT_NEAR(sum, total(count), 1e-9 * (1 + total(count))) << s.services[sv] << " " << count << " by " << axis_name(axis);
    }
    // Means and shares weighted by those who started give back the all-areas mean and share.
    for (const char* mean : {"wait_mean", "within_target"}) {
      double weighted = 0, started = 0;
      for (std::size_t c = 0; c < cells; ++c)
        if (part(c, "started") > 0) weighted += part(c, mean) * part(c, "started"), started += part(c, "started");
      ASSERT_GT(started, 0) << s.services[sv];
      EXPECT_NEAR(weighted / started, total(mean), 1e-9 * (1 + total(mean))) << s.services[sv] << " " << mean;
    }
  }
}

TEST(Breakdown, AxesAreTheRiskAttributesValuesAndTheArrivalsSources) {
  const model::Scenario s = breakdown_scenario();
  EXPECT_EQ(axis_labels(Axis::risk, s), (std::vector<std::string>{"standard", "high"}));
  EXPECT_EQ(axis_labels(Axis::source, s), (std::vector<std::string>{"police", "self"}));
  EXPECT_EQ(risk_group().shape(s).dims, (std::vector<std::size_t>{2, 2, area_group().metrics.size()}));
  // A scenario without a risk attribute counts everyone under one level.
  const model::Scenario plain = scenario::load_text(R"([areas.a]
population = 1
[[arrivals]]
name = "a"
area = "a"
rate_per_year = 10
to = "x"
[pools.x]
workers = 1
duration = { dist = "exponential", mean = 1 }
)", "plain.toml");
  EXPECT_EQ(axis_labels(Axis::risk, plain), (std::vector<std::string>{"all"}));
}

TEST(Breakdown, ResultsByRiskAndBySourceAddUpToTheTotals) {
  const model::Scenario s = breakdown_scenario();
  const std::vector<ReplicationResult> results = run(s, 3);
  const std::size_t entered = area_group().metric("entered"), disengaged = area_group().metric("disengaged");
  const Shape risk_shape = risk_group().shape(s);
  for (const ReplicationResult& r : results) {
    expect_split_adds_up(s, r, risk_group(), Axis::risk);
    expect_split_adds_up(s, r, source_group(), Axis::source);
    // Both risk levels are really there, and people gave up: the sums above are not of zeros.
    EXPECT_GT(r.risk_metrics[risk_shape.at({0, 0, entered})], 0);
    EXPECT_GT(r.risk_metrics[risk_shape.at({0, 1, entered})], 0);
    EXPECT_GT(r.risk_metrics[risk_shape.at({0, 0, disengaged})], 0);
    // Outcome costs by risk and by source add up to the totals' outcome cost.
    const double outcome = r.totals[totals_group().metric("outcome_cost")];
    ASSERT_GT(outcome, 0);
    for (const Group* g : {&risk_outcome_group(), &source_outcome_group()}) {
      double sum = 0;
      for (double v : r.*g->field) sum += v;
      EXPECT_NEAR(sum, outcome, 1e-9 * outcome) << g->name;
    }
  }
}

TEST(Breakdown, SummaryRowsNameTheCellInTheAreaColumn) {
  const model::Scenario s = breakdown_scenario();
  RunRecord record;
  record.replications = 2;
  record.scenarios.push_back({&s, run(s, 2), {true, true}});
  const std::vector<Row> rows = summary_rows(record);
  auto find = [&](const std::string& service, const std::string& area, const std::string& metric) -> const Row* {
    for (const Row& r : rows)
      if (r.service == service && r.area == area && r.metric == metric) return &r;
    return nullptr;
  };
  const Row* high = find("advice", "risk:high", "wait_mean");
  ASSERT_NE(high, nullptr);
  EXPECT_EQ(high->summary.n, 2);
  const Row* police = find("advice", "source:police", "entered");
  const Row* self = find("advice", "source:self", "entered");
  const Row* all = find("advice", "all", "entered");
  ASSERT_TRUE(police && self && all);
  EXPECT_NEAR(police->summary.mean + self->summary.mean, all->summary.mean, 1e-9 * all->summary.mean);
  EXPECT_NE(find(kOutcomeBy, "risk:standard", "cashable_cost"), nullptr);
  EXPECT_NE(find(kOutcomeBy, "source:self", "societal_cost"), nullptr);
}

}  // namespace
}  // namespace dasim::batch
