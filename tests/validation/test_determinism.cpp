// Reproducibility: a replication's results are a pure function of (scenario, master seed, replication index),
// whatever the number of worker processes and whatever else runs beside it.
#include <gtest/gtest.h>

#include "batch/runner.hpp"
#include "batch/wire.hpp"
#include "replications.hpp"
#include "scenario/loader.hpp"

using namespace dasim;
using namespace dasim::validation;

namespace {

/// Each replication's results as bytes: equal bytes are bit-identical results (NaN included, unlike ==).
std::vector<std::string> bytes(const std::vector<batch::ReplicationResult>& results) {
  std::vector<std::string> out;
  for (const auto& r : results) out.push_back(batch::serialize(r));
  return out;
}

TEST(Determinism, SameSeedSameBitsWhateverTheWorkers) {
  const model::Scenario scenario = scenario::load(scenario_path("little.toml"));
  const int count = 4;
  const std::vector<std::string> first = bytes(run(scenario, count, 7, 2));
  EXPECT_EQ(bytes(run(scenario, count, 7, 2)), first) << "a second run with two workers";
  EXPECT_EQ(bytes(run(scenario, count, 7, 1)), first) << "one worker";

  // Replication 2 alone, as `dasim run --only-replication 2` reruns it.
  std::vector<batch::ReplicationResult> alone;
  batch::run_tasks({&scenario}, {{0, 2}}, {7, 1, nullptr},
                   [&](const batch::Task&, batch::ReplicationResult&& r) { alone.push_back(std::move(r)); });
  ASSERT_EQ(alone.size(), 1u);
  EXPECT_EQ(batch::serialize(alone[0]), first[2]);

  const std::vector<std::string> other = bytes(run(scenario, count, 8, 2));
  for (int r = 0; r < count; ++r) EXPECT_NE(other[r], first[r]) << "replication " << r << " ignores the seed";
  for (int r = 1; r < count; ++r) EXPECT_NE(first[r], first[0]) << "replications 0 and " << r << " are the same";
}

}  // namespace
