// One-at-a-time sensitivity: variants from the sources it is given, one per option, on the main run's replications.
#include <gtest/gtest.h>

#include <cmath>

#include "batch/plan.hpp"
#include "batch/sensitivity.hpp"
#include "fixtures.hpp"

namespace dasim::batch {
namespace {

struct Sensitivity : ::testing::Test {
  void SetUp() override {
    scenarios = {testing::small_scenario("a")};
    record = new_record(scenarios, 3, 4, false);
    run_plan(record, plan_tasks(record), {3, 2, nullptr, false}, [](std::size_t, std::size_t) {});
    // The advice workers in the north, as an integer assumption; the loader stands in for the scenario files.
    source.file = "a.toml";
    source.assumptions = {{"pools.advice-north.workers", 2, true, "a.toml:30"}, {"pools.refuge.workers", 0, true, "a.toml:40"}};
    source.load = [](const std::vector<scenario::Override>& overrides) {
      EXPECT_EQ(overrides.size(), 1u);
      return testing::small_scenario("a", static_cast<int>(overrides.at(0).value));
    };
  }
  std::vector<model::Scenario> scenarios;
  RunRecord record;
  VariantSource source;
  std::vector<std::string> notes;
  Messages note = [this](const std::string& m) { notes.push_back(m); };
};

TEST_F(Sensitivity, EachAssumptionLowAndHighOnTheBaselinesReplications) {
  const SensitivityOptions options{0.25, 3, {"advice:all:wait_mean"}, ""};
  run_sensitivity(record, {source}, options, {3, 2, nullptr, false}, note, note, [](std::size_t, std::size_t) {});
  ASSERT_EQ(record.sensitivity.size(), 1u);  // a value of zero has nothing to scale
  const SensitivityRow& row = record.sensitivity[0];
  EXPECT_EQ(row.parameter, "pools.advice-north.workers");
  EXPECT_EQ(row.units, "days");
  // 2 x 0.75 rounds back to 2, so an integer moves by one: 1; 2 x 1.25 rounds to 3.
  EXPECT_EQ(row.low_value, 1);
  EXPECT_EQ(row.high_value, 3);
  EXPECT_EQ(record.sensitivity_replications, 3);
  const auto wait = measure(scenarios[0], "advice", "all", "wait_mean");
  double base = 0;
  for (int r = 0; r < 3; ++r) base += wait(record.scenarios[0].replications[r]) / 3;
  EXPECT_NEAR(row.output_base, base, 1e-9);
  // Fewer workers, longer waits; more workers, shorter: on common random numbers the signs are clear.
  EXPECT_GT(row.output_at_low, row.output_base);
  EXPECT_LT(row.output_at_high, row.output_base);
  EXPECT_NEAR(row.effect_low.mean, row.output_at_low - row.output_base, 1e-9);
}

TEST_F(Sensitivity, PatternsThatMatchNothingAreReportedAndABadMetricRefused) {
  run_sensitivity(record, {source}, {0.25, 2, {}, "pools.nowhere.*"}, {3, 1, nullptr, false}, note, note,
                  [](std::size_t, std::size_t) {});
  EXPECT_TRUE(record.sensitivity.empty());
  ASSERT_GE(notes.size(), 2u);
  EXPECT_NE(notes[0].find("pools.nowhere.*"), std::string::npos) << notes[0];
  EXPECT_NE(notes[1].find("a.toml"), std::string::npos) << notes[1];
  EXPECT_THROW(run_sensitivity(record, {source}, {0.25, 2, {"advice-wait"}, ""}, {3, 1, nullptr, false}, note, note,
                               [](std::size_t, std::size_t) {}),
               std::invalid_argument);
}

// Every option varies, so the difference from the baseline at each setting is known replication by replication; an
// option without the parameter keeps its main results at both settings.
struct SensitivityOfOptions : ::testing::Test {
  void SetUp() override {
    scenarios = {testing::small_scenario("a"), testing::small_scenario("b", 3), testing::small_scenario("c")};
    record = new_record(scenarios, 5, 4, false);
    run_plan(record, plan_tasks(record), {5, 2, nullptr, false}, [](std::size_t, std::size_t) {});
    for (const char* name : {"a", "b"})
      sources.push_back({std::string(name) + ".toml", {{"pools.advice-north.workers", name == std::string("a") ? 2.0 : 3.0, true, "x:1"}},
                         [name](const std::vector<scenario::Override>& o) {
                           return testing::small_scenario(name, static_cast<int>(o.at(0).value));
                         }});
    sources.push_back({"c.toml", {}, [](const std::vector<scenario::Override>&) -> model::Scenario {
                         ADD_FAILURE() << "an option without the parameter is not reloaded";
                         return testing::small_scenario("c");
                       }});
  }
  std::vector<model::Scenario> scenarios;
  RunRecord record;
  std::vector<VariantSource> sources;
  Messages quiet = [](const std::string&) {};
};

TEST_F(SensitivityOfOptions, RowsGiveHowTheDifferenceFromTheBaselineMoves) {
  run_sensitivity(record, sources, {0.25, 4, {"advice:all:wait_mean"}, ""}, {5, 2, nullptr, false}, quiet, quiet,
                  [](std::size_t, std::size_t) {});
  ASSERT_EQ(record.sensitivity.size(), 3u);
  const SensitivityRow &a = record.sensitivity[0], &b = record.sensitivity[1], &c = record.sensitivity[2];
  EXPECT_EQ(a.scenario, "a");
  EXPECT_EQ(b.scenario, "b");
  EXPECT_EQ(c.scenario, "c");
  EXPECT_TRUE(std::isnan(a.difference_base)) << "the baseline has no difference from itself";
  // b's difference at each setting is b at that setting minus a at the same setting, on the same replications.
  EXPECT_NEAR(b.difference_base, b.output_base - a.output_base, 1e-9);
  EXPECT_NEAR(b.difference_at_low, b.output_at_low - a.output_at_low, 1e-9);
  EXPECT_NEAR(b.difference_at_high, b.output_at_high - a.output_at_high, 1e-9);
  EXPECT_NEAR(b.difference_change_low.mean, b.difference_at_low - b.difference_base, 1e-9);
  EXPECT_NEAR(b.difference_change_high.mean, b.difference_at_high - b.difference_base, 1e-9);
  // Fewer workers lengthen a's wait more than b's (a drops to 1, b to 2), so b's advantage grows at the low end.
  EXPECT_LT(b.difference_at_low, b.difference_base);
  // c lacks the parameter: its own output stands still, and its difference moves only by the baseline's change.
  EXPECT_EQ(c.output_at_low, c.output_base);
  EXPECT_EQ(c.effect_high.mean, 0);
  EXPECT_NEAR(c.difference_change_low.mean, -a.effect_low.mean, 1e-9);
  EXPECT_NEAR(c.difference_change_high.mean, -a.effect_high.mean, 1e-9);
}

}  // namespace
}  // namespace dasim::batch
