// Summary rows: read through the schema, with paired differences and the all-services totals.
#include <gtest/gtest.h>

#include <cmath>

#include "batch/plan.hpp"
#include "batch/results.hpp"
#include "fixtures.hpp"

namespace dasim::batch {
namespace {

const Row* find(const std::vector<Row>& rows, const std::string& kind, const std::string& scenario,
                const std::string& service, const std::string& metric, const std::string& area = "all") {
  for (const auto& r : rows)
    if (r.kind == kind && r.scenario == scenario && r.service == service && r.metric == metric && r.area == area &&
        r.pool.empty())
      return &r;
  return nullptr;
}

TEST(Results, RowsReadTheCellsTheSchemaNames) {
  const std::vector<model::Scenario> scenarios{testing::small_scenario("a"), testing::small_scenario("b", 3)};
  RunRecord record = new_record(scenarios, 1, 2, false);
  for (auto& s : record.scenarios)
    for (std::uint64_t r = 0; r < 2; ++r) {
      s.replications[r] = testing::fabricated(*s.scenario, r + (s.scenario->name == "b" ? 100 : 0), false);
      s.done[r] = true;
    }
  const std::vector<Row> rows = summary_rows(record);
  const Shape shape = area_group().shape(scenarios[0]);
  const std::size_t at = shape.at({1, 0, area_group().metric("started")});  // refuge, north
  ASSERT_FALSE(std::isnan(record.scenarios[0].replications[0].area_metrics[at]));
  const Row* row = find(rows, "summary", "a", "refuge", "started", "north");
  ASSERT_NE(row, nullptr);
  EXPECT_DOUBLE_EQ(row->summary.mean, (record.scenarios[0].replications[0].area_metrics[at] +
                                       record.scenarios[0].replications[1].area_metrics[at]) / 2);
  EXPECT_EQ(row->units, "people/year");
  const Row* diff = find(rows, "difference", "b", "refuge", "started", "north");
  ASSERT_NE(diff, nullptr);
  EXPECT_DOUBLE_EQ(diff->summary.mean, 100000);  // b's fabricated replications are numbered 100 more: 1000 x 100
  EXPECT_EQ(diff->baseline, "a");

  // All services: the services' all-areas counts added up, for counts only.
  const std::size_t all = 2, entered = area_group().metric("entered");
  double sum = 0;
  for (std::size_t sv = 0; sv < 2; ++sv)
    for (std::uint64_t r = 0; r < 2; ++r) sum += record.scenarios[0].replications[r].area_metrics[shape.at({sv, all, entered})] / 2;
  const Row* system = find(rows, "summary", "a", kAllServices, "entered");
  ASSERT_NE(system, nullptr);
  EXPECT_DOUBLE_EQ(system->summary.mean, sum);
  EXPECT_EQ(find(rows, "summary", "a", kAllServices, "wait_p90"), nullptr);
  EXPECT_NE(find(rows, "difference", "b", kAllServices, "entered"), nullptr);
  EXPECT_NE(find(rows, "difference", "b", "(total)", "return_per_pound"), nullptr);
}

TEST(Results, AMeasureIsFoundByNameOrRefusedWithWhatExists) {
  const model::Scenario s = testing::small_scenario();
  std::string units;
  const auto value = measure(s, "(total)", "all", "outcome_cost", &units);
  EXPECT_EQ(units, "GBP/year");
  const ReplicationResult r = testing::fabricated(s, 0, false);
  EXPECT_DOUBLE_EQ(value(r), r.totals[totals_group().metric("outcome_cost")]);
  try {
    measure(s, "idva", "all", "wait_p90");
    FAIL() << "accepted a service the scenario lacks";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("advice, refuge"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace dasim::batch

namespace dasim::batch {
namespace {

/// Two options over three replications: b's service cost is `extra` more, and it avoids `cashable` + `societal`.
std::vector<Row> two_options(const std::vector<double>& extra, double cashable, double societal) {
  const std::vector<model::Scenario> scenarios{testing::small_scenario("a"), testing::small_scenario("b")};
  RunRecord record = new_record(scenarios, 1, 3, false);
  const Group& t = totals_group();
  for (auto& s : record.scenarios)
    for (std::uint64_t r = 0; r < 3; ++r) {
      s.replications[r] = testing::fabricated(*s.scenario, r, false);
      s.done[r] = true;
      auto& totals = s.replications[r].totals;
      const bool b = s.scenario->name == "b";
      totals[t.metric("service_cost")] = 1e6 + (b ? extra[r] : 0);
      totals[t.metric("cashable_outcome_cost")] = 5e6 + 1000.0 * r - (b ? cashable : 0);
      totals[t.metric("societal_outcome_cost")] = 9e6 - (b ? societal : 0);
      totals[t.metric("outcome_cost")] = totals[t.metric("cashable_outcome_cost")] + totals[t.metric("societal_outcome_cost")];
    }
  return summary_rows(record);
}

}  // namespace

TEST(Results, ReturnPerPoundIsIncrementalCashableAndSocietalApart) {
  const std::vector<Row> rows = two_options({50000, 50000, 50000}, 100000, 350000);
  const Row* all = find(rows, "difference", "b", "(total)", "return_per_pound");
  const Row* cashable = find(rows, "difference", "b", "(total)", "cashable_return_per_pound");
  const Row* societal = find(rows, "difference", "b", "(total)", "societal_return_per_pound");
  ASSERT_TRUE(all && cashable && societal);
  EXPECT_DOUBLE_EQ(all->summary.mean, 9.0) << "£450,000 avoided for £50,000 more, not divided by the whole £1.05m";
  EXPECT_DOUBLE_EQ(cashable->summary.mean, 2.0);
  EXPECT_DOUBLE_EQ(societal->summary.mean, 7.0);
  EXPECT_EQ(all->units, "GBP per GBP");
}

TEST(Results, ReturnPerPoundIsRefusedWhenTheCostDifferenceIsNilOrUncertain) {
  // Nil, uncertain, and negative: an option that costs less has no "return per extra £1"; its saving is reported.
  for (const auto& extra : {std::vector<double>{0, 0, 0}, std::vector<double>{-40000, 10000, 40000},
                            std::vector<double>{-50000, -50000, -50000}}) {
    const std::vector<Row> rows = two_options(extra, 100000, 0);
    for (const char* metric : {"return_per_pound", "cashable_return_per_pound", "societal_return_per_pound"}) {
      const Row* r = find(rows, "difference", "b", "(total)", metric);
      ASSERT_NE(r, nullptr) << metric;
      EXPECT_TRUE(std::isnan(r->summary.mean)) << metric;
      EXPECT_EQ(r->units.rfind("refused: ", 0), 0u) << r->units;
    }
    // The cost avoided itself is still reported.
    EXPECT_DOUBLE_EQ(find(rows, "difference", "b", "(total)", "cashable_cost_avoided")->summary.mean, 100000);
  }
}

}  // namespace dasim::batch
