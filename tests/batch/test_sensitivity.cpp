// One-at-a-time sensitivity: variants from the source it is given, on the baseline's replications.
#include <gtest/gtest.h>

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
  run_sensitivity(record, source, options, {3, 2, nullptr, false}, note, note, [](std::size_t, std::size_t) {});
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
  run_sensitivity(record, source, {0.25, 2, {}, "pools.nowhere.*"}, {3, 1, nullptr, false}, note, note,
                  [](std::size_t, std::size_t) {});
  EXPECT_TRUE(record.sensitivity.empty());
  ASSERT_GE(notes.size(), 2u);
  EXPECT_NE(notes[0].find("pools.nowhere.*"), std::string::npos) << notes[0];
  EXPECT_NE(notes[1].find("a.toml"), std::string::npos) << notes[1];
  EXPECT_THROW(run_sensitivity(record, source, {0.25, 2, {"advice-wait"}, ""}, {3, 1, nullptr, false}, note, note,
                               [](std::size_t, std::size_t) {}),
               std::invalid_argument);
}

}  // namespace
}  // namespace dasim::batch
