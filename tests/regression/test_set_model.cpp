// The SET model as a whole: pooling against queueing theory's prediction, calibration of the baseline to observed
// figures (MODEL.md §9), pathway rules in every option, and provenance of every default.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "batch/results.hpp"
#include "batch/runner.hpp"
#include "scenario/loader.hpp"
#include "stats/summary.hpp"

namespace fs = std::filesystem;
using namespace dasim;

namespace {

const fs::path kScenarios = fs::path(DASIM_SOURCE_DIR) / "scenarios";

/// Runs `replications` of each scenario in forked workers; results by scenario, then by replication.
std::vector<std::vector<batch::ReplicationResult>> run(const std::vector<const model::Scenario*>& scenarios, int replications,
                                                       std::uint64_t seed = 1) {
  std::vector<batch::Task> tasks;
  for (int r = 0; r < replications; ++r)
    for (std::size_t s = 0; s < scenarios.size(); ++s) tasks.push_back({static_cast<int>(s), static_cast<std::uint64_t>(r)});
  std::vector<std::vector<batch::ReplicationResult>> out(scenarios.size(), std::vector<batch::ReplicationResult>(replications));
  batch::run_tasks(scenarios, tasks, {seed, 2, nullptr},
                   [&](const batch::Task& t, batch::ReplicationResult&& r) { out[t.scenario][t.replication] = std::move(r); });
  return out;
}

std::vector<double> values(const model::Scenario& s, const std::vector<batch::ReplicationResult>& results,
                           const std::string& service, const std::string& area, const std::string& metric) {
  const auto read = batch::measure(s, service, area, metric);
  std::vector<double> v;
  for (const auto& r : results) v.push_back(read(r));
  return v;
}

const std::string kTwoAreas = R"(
[simulation]
years = 6
warmup_years = 1
[areas.east]
population = 1
[areas.west]
population = 1
[[arrivals]]
name = "east"
area = "east"
rate_per_year = 1461
to = "idva"
[[arrivals]]
name = "west"
area = "west"
rate_per_year = 1096
to = "idva"
)";

}  // namespace

TEST(Pooling, TheSameTotalCapacityPooledDoesNotLengthenTheMeanWait) {
  // East offered 4/day on 5 places (rho 0.8), west 3/day on 5 (rho 0.6); pooled, 7/day on 10 places.
  const model::Scenario separate = scenario::load_text(kTwoAreas + R"(
[scenario]
name = "separate"
[pools.idva-east]
service = "idva"
areas = ["east"]
workers = 5
duration = { dist = "exponential", mean = 1 }
[pools.idva-west]
service = "idva"
areas = ["west"]
workers = 5
duration = { dist = "exponential", mean = 1 }
)", "separate.toml");
  const model::Scenario pooled = scenario::load_text(kTwoAreas + R"(
[scenario]
name = "pooled"
[pools.idva]
workers = 10
duration = { dist = "exponential", mean = 1 }
)", "pooled.toml");
  const auto results = run({&separate, &pooled}, 20);
  const auto a = values(separate, results[0], "idva", "all", "wait_mean");
  const auto b = values(pooled, results[1], "idva", "all", "wait_mean");
  const auto difference = stats::summarize(stats::paired_differences(b, a));
  EXPECT_LT(difference.ci_high, 0.0) << "pooled minus separate mean wait: " << difference.mean << " days";
  // Both areas gain or hold: the busier area gains most.
  const auto east = stats::summarize(stats::paired_differences(values(pooled, results[1], "idva", "east", "wait_mean"),
                                                               values(separate, results[0], "idva", "east", "wait_mean")));
  EXPECT_LT(east.ci_high, 0.0);
  // Common random numbers: both options saw exactly the same referrals.
  EXPECT_EQ(values(separate, results[0], "(total)", "all", "people"), values(pooled, results[1], "(total)", "all", "people"));
}

TEST(Provenance, EveryParameterInTheScenariosNamesItsSourceOrSaysAssumption) {
  // A value line is `key = value`; its comment must cite a seed paper (000, 001, 003, 004 with §), a publication
  // named in MODEL.md, or say `assumption`.
  const std::regex value_line(R"(^\s*[A-Za-z0-9_."-]+\s*=\s*[^=])");
  const std::regex source(
      R"((assumption|\b00[0134]\b|§|SafeLives|ONS|Census|Women's Aid|Home Office|CAADA|Farrell|Kirby|Surrey|EIGE|Drive|Bristol|derived|MODEL\.md))",
      std::regex::icase);
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(kScenarios)) {
    if (entry.path().extension() != ".toml") continue;
    std::ifstream in(entry.path());
    int number = 0;
    for (std::string line; std::getline(in, line);) {
      ++number;
      if (!std::regex_search(line, value_line) || line.rfind("extends", 0) == 0) continue;
      const auto hash = line.find('#');
      const std::string comment = hash == std::string::npos ? "" : line.substr(hash);
      // names and descriptions are labels, not parameters
      if (std::regex_search(line, std::regex(R"(^\s*(name|description|service|to|kind|area|source|when_full|dist)\s*=\s*")")))
        continue;
      ++checked;
      EXPECT_TRUE(std::regex_search(comment, source)) << entry.path().filename().string() << ":" << number << ": " << line;
    }
  }
  EXPECT_GT(checked, 100);
}
