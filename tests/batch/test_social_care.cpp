// Children's social care in whole replications (model/social_care, docs/model.md §9.2): the adult's completed support
// changes the children's path, by a paired comparison on the same households; care results by risk level and by
// referral source add up to the all-areas figures, and its cost is in the payer's outcome cost.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "batch/results.hpp"
#include "batch/runner.hpp"
#include "fixtures.hpp"
#include "scenario/loader.hpp"
#include "stats/summary.hpp"

namespace dasim::batch {
namespace {

/// Families referred by two sources in two areas at two risk levels, into a caseload most of them complete; the
/// completed support's effects on the children's escalations and de-escalations are `escalation` and `de_escalation`.
model::Scenario care_scenario(double escalation, double de_escalation) {
  return scenario::load_text(fmt::format(R"([scenario]
name = "care"
[simulation]
years = 3
warmup_years = 0.5
{}
[attributes.children]
mean = 1.5
[[arrivals]]
name = "north-police"
area = "north"
source = "police"
rate_per_year = 300
to = "support"
[[arrivals]]
name = "south-self"
area = "south"
source = "self"
rate_per_year = 200
to = "support"
[pools.support]
workers = 40
duration = {{ dist = "exponential", mean = 30 }}
patience = {{ dist = "exponential", mean = 20 }}
[childrens_social_care]
payer = "council"
escalation_effect = {{ completed = {} }}
de_escalation_effect = {{ completed = {} }}
[childrens_social_care.child_in_need]
initial_cost = 1000
annual_cost = 2000
entry = 0.2
period_years = 0.5
escalate = 0.2
close = 0.4
[childrens_social_care.child_protection]
initial_cost = 3000
annual_cost = 6000
entry = 0.2
period_years = 0.5
escalate = 0.3
step_down = 0.1
close = 0.1
[childrens_social_care.looked_after]
initial_cost = 6000
annual_cost = 60000
entry = 0.02
period_years = 1
close = 0.4
)",
                                         testing::kTwoAreasTwoRiskLevels, escalation, de_escalation),
                             "care.toml");
}

std::vector<ReplicationResult> run(const model::Scenario& s, int replications) {
  std::vector<Task> tasks;
  for (int r = 0; r < replications; ++r) tasks.push_back({0, static_cast<std::uint64_t>(r)});
  std::vector<ReplicationResult> out(replications);
  run_tasks({&s}, tasks, {11, 2, nullptr}, [&](const Task& t, ReplicationResult&& r) { out[t.replication] = std::move(r); });
  return out;
}

/// Paired differences (a - b) of one care metric over all areas, replication by replication.
stats::Summary paired(const model::Scenario& s, const std::vector<ReplicationResult>& a,
                      const std::vector<ReplicationResult>& b, const std::string& metric) {
  const Shape shape = care_group().shape(s);
  const std::size_t at = shape.at({s.areas.size(), care_group().metric(metric)});
  std::vector<double> d;
  for (std::size_t r = 0; r < a.size(); ++r) d.push_back(a[r].care_metrics[at] - b[r].care_metrics[at]);
  return stats::summarize(d);
}

TEST(SocialCare, CompletedSupportRaisesDeEscalationsAndLowersEscalationsOnTheSameHouseholds) {
  const model::Scenario with = care_scenario(0.3, 3.0), without = care_scenario(1.0, 1.0);
  const auto on = run(with, 6), off = run(without, 6);
  // The same households in both: the referrals and the children are identical, only their paths differ.
  const std::size_t children = totals_group().metric("children");
  for (std::size_t r = 0; r < on.size(); ++r) EXPECT_EQ(on[r].totals[children], off[r].totals[children]);
  const auto de_escalations = paired(with, on, off, "de_escalations_after_support");
  EXPECT_GT(de_escalations.ci_low, 0) << "de-escalations after completed support: +" << de_escalations.mean << " a year";
  const auto into_care = paired(with, on, off, "entered_looked_after");
  EXPECT_LT(into_care.ci_high, 0) << "children taken into care: " << into_care.mean << " a year";
  const auto protection = paired(with, on, off, "in_child_protection");
  EXPECT_LT(protection.ci_high, 0) << "children on a Child Protection plan: " << protection.mean;
  const auto cost = paired(with, on, off, "care_cost");
  EXPECT_LT(cost.ci_high, 0) << "children's social care cost: £" << cost.mean << " a year";
}

TEST(Breakdown, CareResultsByRiskAndBySourceAddUpToTheTotalsAndItsCostIsThePayersOutcomeCost) {
  const model::Scenario s = care_scenario(0.8, 1.3);
  const Group& care = care_group();
  const Shape shape = care.shape(s);
  const std::size_t all = s.areas.size();
  for (const ReplicationResult& r : run(s, 3)) {
    ASSERT_EQ(r.care_metrics.size(), shape.size());
    for (std::size_t m = 0; m < care.metrics.size(); ++m) {
      const double total = r.care_metrics[shape.at({all, m})];
      double areas = 0;
      for (std::size_t a = 0; a < all; ++a) areas += r.care_metrics[shape.at({a, m})];
      EXPECT_NEAR(areas, total, 1e-9 * (1 + total)) << care.metrics[m].name << " by area";
      for (const auto& [group, axis] : {std::pair{&risk_care_group(), Axis::risk}, {&source_care_group(), Axis::source}}) {
        const Shape split = group->shape(s);
        double sum = 0;
        for (std::size_t c = 0; c < axis_size(axis, s); ++c) sum += (r.*group->field)[split.at({c, m})];
        EXPECT_NEAR(sum, total, 1e-9 * (1 + total)) << care.metrics[m].name << " by " << axis_name(axis);
      }
    }
    // Both risk levels and every state really occur: the sums above are not of zeros.
    const Shape risk = risk_care_group().shape(s);
    for (std::size_t level = 0; level < 2; ++level)
      EXPECT_GT(r.risk_care_metrics[risk.at({level, care.metric("entered_child_protection")})], 0);
    EXPECT_GT(r.care_metrics[shape.at({all, care.metric("in_looked_after")})], 0);
    EXPECT_GT(r.care_metrics[shape.at({all, care.metric("de_escalations")})], 0);
    // The care cost is the council's outcome cost (the scenario has no other outcome).
    const Shape outcome = outcome_group().shape(s);
    const int council = static_cast<int>(std::find(s.payers.begin(), s.payers.end(), "council") - s.payers.begin());
    ASSERT_LT(council, static_cast<int>(s.payers.size()));
    const double cost = r.care_metrics[shape.at({all, care.metric("care_cost")})];
    EXPECT_GT(cost, 0);
    EXPECT_NEAR(r.outcome_cost[outcome.at({static_cast<std::size_t>(council), outcome_group().metric("cashable_cost")})], cost,
                1e-9 * cost);
  }
}

TEST(SocialCare, SummaryRowsNameTheCareCells) {
  const model::Scenario s = care_scenario(0.8, 1.3);
  RunRecord record;
  record.replications = 2;
  record.scenarios.push_back({&s, run(s, 2), {true, true}});
  int found = 0;
  for (const Row& row : summary_rows(record))
    if (row.service == kSocialCare && row.metric == "care_cost" &&
        (row.area == "all" || row.area == "north" || row.area == "risk:high" || row.area == "source:self"))
      ++found;
  EXPECT_EQ(found, 4);
}

}  // namespace
}  // namespace dasim::batch
