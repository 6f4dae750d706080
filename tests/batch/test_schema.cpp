// The results schema: every group is well formed, shapes follow the scenario, and a simulated replication fills
// exactly the cells the schema says it has.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "batch/runner.hpp"
#include "batch/schema.hpp"
#include "fixtures.hpp"
#include "model/world.hpp"

namespace dasim::batch {
namespace {

TEST(Schema, GroupsAreWellFormed) {
  std::set<std::string> names, datasets;
  for (const Group& g : groups()) {
    EXPECT_TRUE(names.insert(g.name).second) << g.name;
    EXPECT_TRUE(datasets.insert(g.dataset).second) << g.dataset;
    ASSERT_FALSE(g.metrics.empty()) << g.name;
    std::set<std::string> metrics;
    for (const Metric& m : g.metrics) {
      EXPECT_TRUE(metrics.insert(m.name).second) << g.name << "." << m.name << " twice";
      EXPECT_FALSE(m.units.empty()) << g.name << "." << m.name;
      EXPECT_FALSE(m.display.empty()) << g.name << "." << m.name;
    }
    EXPECT_NE(g.field, nullptr) << g.name;
    // A labelled metric axis gives one unit per metric; an unlabelled group has a single unit.
    EXPECT_EQ(g.units().size(), g.labels.empty() ? 1u : g.metrics.size()) << g.name;
  }
  EXPECT_EQ(groups().size(), 15u);  // one per array of ReplicationResult
}

TEST(Schema, MetricsAreFoundByNameAndAMissingOneIsAnError) {
  EXPECT_EQ(area_group().metrics[area_group().metric("wait_p90")].name, "wait_p90");
  EXPECT_EQ(totals_group().metrics[totals_group().metric("events")].units, "events");
  EXPECT_THROW(area_group().metric("no_such_metric"), std::logic_error);
}

TEST(Schema, ShapesFollowTheScenario) {
  const model::Scenario s = testing::small_scenario();
  ASSERT_EQ(s.services.size(), 2u);
  ASSERT_EQ(s.areas.size(), 2u);
  const std::size_t months = month_labels(s).size();
  EXPECT_EQ(area_group().shape(s).dims, (std::vector<std::size_t>{2, 3, area_group().metrics.size()}));
  EXPECT_EQ(pool_group().shape(s).dims, (std::vector<std::size_t>{3, pool_group().metrics.size()}));
  EXPECT_EQ(monthly_group().shape(s).dims, (std::vector<std::size_t>{2, months, monthly_group().metrics.size()}));
  EXPECT_EQ(histogram_group().shape(s).dims, (std::vector<std::size_t>{2, 3, std::size_t(model::WaitHistogram::kBins)}));
  EXPECT_EQ(outcome_group().shape(s).dims, (std::vector<std::size_t>{s.payers.size(), 2}));
  EXPECT_EQ(axis_labels(Axis::area, s), (std::vector<std::string>{"north", "south", "all"}));
}

TEST(Schema, ShapeIndexesRowMajor) {
  const Shape shape{{2, 3, 4}};
  EXPECT_EQ(shape.size(), 24u);
  EXPECT_EQ(shape.at({0, 0, 0}), 0u);
  EXPECT_EQ(shape.at({0, 0, 3}), 3u);
  EXPECT_EQ(shape.at({0, 1, 0}), 4u);
  EXPECT_EQ(shape.at({1, 2, 3}), 23u);
  EXPECT_THROW(shape.at({1, 2}), std::logic_error);
}

TEST(Schema, MonthLabelsRollOverTheYear) {
  model::Scenario s = testing::small_scenario();
  s.simulation.start_year = 2025, s.simulation.start_month = 11;
  const auto labels = month_labels(s);
  ASSERT_GE(labels.size(), 3u);
  EXPECT_EQ(labels[0], "2025-11");
  EXPECT_EQ(labels[2], "2026-01");
}

TEST(Schema, BinEdgesRiseToTheTopOfTheLastBin) {
  const std::vector<double> edges = bin_edges();
  ASSERT_EQ(edges.size(), std::size_t(kHistogramBins) + 1);
  EXPECT_EQ(edges.front(), 0.0);
  EXPECT_NEAR(edges[1], model::WaitHistogram::kLow, 1e-15);
  EXPECT_NEAR(edges.back(), model::WaitHistogram::kHigh, 1e-6);
  for (std::size_t b = 1; b < edges.size(); ++b) EXPECT_GT(edges[b], edges[b - 1]);
}

TEST(Schema, AreaMeasuresAreRatesAYearAndWaitsOfThoseWhoStarted) {
  model::AreaTally a;
  a.entered = 10, a.started = 4, a.wait_sum = 8, a.within_target = 1;
  auto value = [&](const char* name, double years) {
    return area_measures()[area_group().metric(name)].value(a, years);
  };
  EXPECT_DOUBLE_EQ(value("entered", 2), 5);
  EXPECT_DOUBLE_EQ(value("wait_mean", 2), 2);
  EXPECT_DOUBLE_EQ(value("within_target", 2), 0.25);
  a.started = 0;
  EXPECT_TRUE(std::isnan(value("wait_mean", 2)));
  EXPECT_TRUE(std::isnan(value("wait_p90", 2)));
  EXPECT_TRUE(adds_across_services(area_group().metrics[area_group().metric("disengaged")]));
  EXPECT_FALSE(adds_across_services(area_group().metrics[area_group().metric("wait_p90")]));
}

TEST(Schema, AReplicationFillsEveryCellTheSchemaHas) {
  const model::Scenario s = testing::small_scenario();
  for (bool by_pool : {false, true}) {
    ReplicationResult result;
    run_tasks({&s}, {{0, 0}}, {5, 1, nullptr, by_pool}, [&](const Task&, ReplicationResult&& r) { result = std::move(r); });
    for (const Group& g : groups()) {
      const std::size_t expected = g.optional && !by_pool ? 0 : g.shape(s).size();
      EXPECT_EQ((result.*g.field).size(), expected) << g.name << (by_pool ? " with" : " without") << " pool series";
    }
    // The histogram of all areas holds everyone who started: the same people as the `started` count.
    const Shape area = area_group().shape(s), hist = histogram_group().shape(s);
    const double years = (s.simulation.horizon_days() - s.simulation.warmup_days) / model::kDaysPerYear;
    double counted = 0;
    for (int b = 0; b < kHistogramBins; ++b) counted += result.histogram[hist.at({0, 2, std::size_t(b)})];
    EXPECT_NEAR(counted, result.area_metrics[area.at({0, 2, area_group().metric("started")})] * years, 1e-6);
  }
}

}  // namespace
}  // namespace dasim::batch
