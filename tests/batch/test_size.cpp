// dasim size, without simulating: targets, the search on made-up measures, the measure lookup and how a level
// becomes money (the simulated cases are in test_size_search.cpp and tests/cli/test_size.cpp).
#include <gtest/gtest.h>

#include <cmath>

#include "batch/replication.hpp"
#include "batch/size.hpp"
#include "batch/size_capacity.hpp"
#include "scenario/loader.hpp"

namespace dasim::batch {
namespace {

const std::string kValidation = DASIM_SOURCE_DIR "/scenarios/validation/";

TEST(SizeTarget, ParsesBothDirectionsAndRefusesMalformed) {
  const Target t = parse_target("within_target >= 0.9");
  EXPECT_EQ(t.metric, "within_target");
  EXPECT_TRUE(t.at_least);
  EXPECT_DOUBLE_EQ(t.threshold, 0.9);
  const Target u = parse_target("declined/entered<=0.2");
  EXPECT_EQ(u.metric, "declined/entered");
  EXPECT_FALSE(u.at_least);
  for (const char* bad : {"within_target > 0.9", "within_target 0.9", ">= 0.9", "within_target >=", "within_target >= lots",
                          "within_target >= 0.9x", "x >= nan"})
    EXPECT_THROW(parse_target(bad), std::invalid_argument) << bad;
}

/// Replication r's noise: a fixed pseudo-random number with mean about 0 and spread `sd` (the same r at every level:
/// common random numbers).
double noise(int r, double sd) { return sd * (std::fmod(std::sin(r * 12.9898 + 1.0) * 43758.5453, 1.0)); }

LevelMeasure made_up(std::function<double(int)> mean, double sd, int* runs = nullptr) {
  return [mean, sd, runs](int level, int from, int to) {
    std::vector<double> v;
    for (int r = from; r < to; ++r) v.push_back(mean(level) + noise(r, sd));
    if (runs) *runs += to - from;
    return v;
  };
}

TEST(SizeSearch, FindsTheLeastLevelFromAboveAndBelow) {
  const Target target = parse_target("within_target >= 0.9");
  const auto share = [](int c) { return 1 - std::exp(-0.3 * c); };  // crosses 0.9 between 7 (0.878) and 8 (0.909)
  SizeRule rule;
  rule.ceiling = 60;
  for (const int start : {2, 8, 30}) {
    int runs = 0;
    const SizeOutcome o = search(target, start, rule, made_up(share, 0.01, &runs));
    EXPECT_EQ(o.status, SizeStatus::found) << start << ": " << o.message;
    EXPECT_EQ(o.level, 8) << start;
    EXPECT_EQ(o.below, 7) << start;
    EXPECT_EQ(o.replications, runs);
    EXPECT_EQ(o.levels.at(8).verdict, Verdict::meets);
    EXPECT_EQ(o.levels.at(7).verdict, Verdict::fails);
  }
}

TEST(SizeSearch, AnAtMostTargetUsesTheUpperEnd) {
  const Target target = parse_target("declined <= 0.05");
  const auto declined = [](int c) { return 0.52 / c; };  // 0.052 at 10, 0.0473 at 11
  SizeRule rule;
  const SizeOutcome o = search(target, 3, rule, made_up(declined, 0.001));
  ASSERT_EQ(o.status, SizeStatus::found) << o.message;
  EXPECT_EQ(o.level, 11);
  EXPECT_EQ(o.below, 10);
  EXPECT_LE(o.levels.at(11).summary.ci_high, 0.05);
  EXPECT_GT(o.levels.at(10).summary.ci_low, 0.05);
}

TEST(SizeSearch, AddsReplicationsOnlyNearTheBoundaryAndSaysWhenItCannotDecide) {
  const Target target = parse_target("within_target >= 0.9");
  const auto share = [](int c) { return c >= 8 ? 0.95 : c == 7 ? 0.9 : 0.5; };  // 7 sits on the threshold
  SizeRule rule;
  const SizeOutcome o = search(target, 20, rule, made_up(share, 0.02));
  ASSERT_EQ(o.status, SizeStatus::between) << o.message;
  EXPECT_EQ(o.level, 8);
  EXPECT_EQ(o.below, 7);
  EXPECT_EQ(o.levels.at(7).values.size(), static_cast<std::size_t>(rule.maximum));  // doubled to the maximum
  EXPECT_EQ(o.levels.at(20).values.size(), static_cast<std::size_t>(rule.initial));  // far away: clear at once
  EXPECT_NE(o.message.find("between 7 and 8"), std::string::npos) << o.message;
}

TEST(SizeSearch, ReportsAnImpossibleTargetAtTheCeiling) {
  const Target target = parse_target("within_target >= 0.99");
  SizeRule rule;
  rule.ceiling = 25;
  const SizeOutcome o = search(target, 5, rule, made_up([](int c) { return 0.9 - 1.0 / c; }, 0.01));
  EXPECT_EQ(o.status, SizeStatus::impossible);
  EXPECT_EQ(o.level, 25);
  EXPECT_NE(o.message.find("up to the ceiling of 25"), std::string::npos) << o.message;
}

TEST(SizeSearch, ReportsAMeasureThatWorsensWithCapacity) {
  const Target target = parse_target("within_target >= 0.5");
  SizeRule rule;
  rule.ceiling = 40;
  const SizeOutcome o = search(target, 10, rule, made_up([](int c) { return 1.0 - c / 50.0; }, 0.01));
  EXPECT_EQ(o.status, SizeStatus::non_monotone);
  EXPECT_NE(o.message.find("gets worse as capacity rises"), std::string::npos) << o.message;
}

TEST(SizeSearch, ReportsAMeasureThatCannotBeJudged) {
  SizeRule rule;
  const SizeOutcome o = search(parse_target("wait_mean <= 3"), 5, rule, made_up([](int) { return std::nan(""); }, 0));
  EXPECT_EQ(o.status, SizeStatus::undefined);
}

TEST(SizeMeasure, FindsCellsByAxisNameAndExplainsWhatIsMissing) {
  const model::Scenario s = scenario::load(kValidation + "size_mmc.toml");
  const MeasureCell c = find_cell(s, "within_target", {{"service", "server"}, {"area", "all"}});
  EXPECT_EQ(c.group->name, "area_metrics");
  const MeasureCell q = find_cell(s, "mean_queue", {{"service", "server"}, {"area", "all"}});
  EXPECT_EQ(q.group->name, "service_metrics");  // a service-wide figure serves "all areas"
  const MeasureCell share = find_cell(s, "declined/entered", {{"service", "server"}, {"area", "all"}});
  EXPECT_NE(share.per_group, nullptr);
  EXPECT_THROW(find_cell(s, "happiness", {{"service", "server"}, {"area", "all"}}), std::invalid_argument);
  EXPECT_THROW(find_cell(s, "within_target", {{"service", "nowhere"}, {"area", "all"}}), std::invalid_argument);
  // A selection on an axis no group has (a risk axis before the schema gains it) is refused, not ignored.
  EXPECT_THROW(find_cell(s, "within_target", {{"service", "server"}, {"area", "all"}, {"risk", "high"}}), std::invalid_argument);
}

TEST(SizeCapacity, ALevelIsBoughtThroughTheContractAndPricedByCommissioning) {
  const model::Scenario s = scenario::load(kValidation + "size_mmc.toml");
  const CapacityPlan plan = plan_capacity(s, "server", "");
  EXPECT_EQ(plan.unit, "FTE");
  EXPECT_EQ(plan.base_level, 11);  // (500,000 - 20,000) / 1.1 / 40,000 = 10.9
  EXPECT_EQ(s.pools[0].count, 11);
  const model::Scenario at13 = at_level(plan, 13);
  EXPECT_EQ(at13.pools[0].count, 13);
  // 13 x £40,000 front line, with 10% on-costs and £20,000 management: £592,000, split 60/40.
  const std::vector<double> cost = funder_costs(at13);
  ASSERT_EQ(cost.size(), 2u);
  EXPECT_NEAR(cost[0], 0.6 * 592000, 1.0);
  EXPECT_NEAR(cost[1], 0.4 * 592000, 1.0);
  EXPECT_THROW(plan_capacity(s, "refuge", ""), std::invalid_argument);
  EXPECT_THROW(plan_capacity(s, "server", "elsewhere"), std::invalid_argument);
}

TEST(SizeCapacity, APoolNoContractPaysForHasItsWorkersSet) {
  const model::Scenario s = scenario::load(kValidation + "size_erlang_b.toml");
  const CapacityPlan plan = plan_capacity(s, "beds", "");
  EXPECT_EQ(plan.unit, "bed units");
  EXPECT_EQ(plan.base_level, 6);
  EXPECT_EQ(at_level(plan, 10).pools[0].count, 10);
  EXPECT_TRUE(funder_costs(at_level(plan, 10)).empty());
}

TEST(SizeCapacity, SeveralPoolsShareALevelAsTheOptionSpreadsItAndOtherPoolsKeepTheirMoney) {
  const model::Scenario s = scenario::load(DASIM_SOURCE_DIR "/scenarios/set-separate.toml");
  const CapacityPlan plan = plan_capacity(s, "idva", "");
  ASSERT_EQ(plan.pools.size(), 5u);  // one per area
  for (const int level : {5, plan.base_level, plan.base_level + 7}) {
    const std::vector<int> units = plan.spread(level);
    int sum = 0;
    for (int u : units) {
      sum += u;
      EXPECT_GE(u, 1);
    }
    EXPECT_EQ(sum, level);
  }
  const model::Scenario more = at_level(plan, plan.base_level + 7);
  // Pools of other services keep what they had; the IDVA pools hold more places.
  int idva_before = 0, idva_after = 0;
  for (std::size_t p = 0; p < s.pools.size(); ++p) {
    if (s.services[s.pools[p].service] == "idva") idva_before += s.pools[p].places(), idva_after += more.pools[p].places();
    else EXPECT_EQ(more.pools[p].places(), s.pools[p].places()) << s.pools[p].name;
  }
  EXPECT_GT(idva_after, idva_before);
  const CapacityPlan one = plan_capacity(s, "idva", "southend");
  EXPECT_EQ(one.pools.size(), 1u);
}

}  // namespace
}  // namespace dasim::batch

// The /sizing group of a results file (docs/results-format.md): written after an ordinary results file, readable
// back whole, with the answer's attributes and the levels visited.
#include <filesystem>
#include <unistd.h>

#include "batch/figures.hpp"
#include "batch/plan.hpp"
#include "fixtures.hpp"
#include "output/hdf5.hpp"
#include "output/sizing_file.hpp"
#include "output/writers.hpp"

namespace dasim::batch {
namespace {

TEST(SizeResults, TheSizingGroupHoldsTheAnswerAndTheLevelsVisited) {
  const model::Scenario option = scenario::load(kValidation + "size_mmc.toml");
  SizingAnswer a;
  a.plan = plan_capacity(option, "server", "");
  a.target = parse_target("within_target >= 0.9");
  a.cell = find_cell(option, "within_target", {{"service", "server"}, {"area", "all"}});
  a.selection = "area=all, service=server";
  SizeRule rule;
  a.outcome = search(a.target, a.plan.base_level, rule, made_up([](int c) { return c >= 13 ? 0.95 : 0.8; }, 0.01));
  ASSERT_EQ(a.outcome.level, 13);
  a.at_answer = at_level(a.plan, 13);
  for (int r = 0; r < 3; ++r) a.results.push_back(testing::fabricated(a.at_answer, r, false));
  const std::vector<SizingAnswer> answers{a};
  const std::filesystem::path path = std::filesystem::temp_directory_path() / ("dasim-sizing-" + std::to_string(::getpid()) + ".h5");
  const std::vector<model::Scenario> found{a.at_answer};  // the record points into it
  RunRecord record = new_record(found, 1, 3, false);
  for (int r = 0; r < 3; ++r) record.scenarios[0].replications[r] = a.results[r], record.scenarios[0].done[r] = true;
  output::write_hdf5(record, summarise(record), path);
  output::add_sizing_group(path, answers, "the procedure", rule);
  output::h5::read_everything(path);
  {
    const output::h5::File file = output::h5::File::open_read_only(path);
    const output::h5::Group g = file.open_group("sizing").open_group("size_mmc").open_group("server");
    EXPECT_EQ(g.string_attribute("status"), "found");
    EXPECT_EQ(g.string_attribute("unit"), "FTE");
    EXPECT_EQ(g.number_attribute<std::int32_t>("level", 1).front(), 13);
    EXPECT_EQ(g.number_attribute<std::int32_t>("below", 1).front(), 12);
    EXPECT_EQ(g.number_attribute<std::int32_t>("option_level", 1).front(), 11);
    const std::vector<double> levels = g.read_doubles("levels", a.outcome.levels.size());
    EXPECT_TRUE(std::is_sorted(levels.begin(), levels.end()));
    EXPECT_TRUE(file.open_group("sizing").has("options"));
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace dasim::batch
