#pragma once
// Runs a validation scenario's replications, each in a forked worker (SimGrid keeps one clock per process), and
// reads metrics out of the flat result arrays by name. Also the one way every validation test compares a
// simulated mean with theory: the theory value must lie inside the Monte Carlo confidence interval.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "batch/replication.hpp"
#include "model/spec.hpp"
#include "stats/summary.hpp"

namespace dasim::validation {

/// Confidence of every interval the suite asserts on. The suite compares some forty simulated figures with
/// theory; at 95% a correct simulator would fail one of them most times the random streams change (1 - 0.95^40 =
/// 87%), at 99.9% only a few times in a hundred. Replication counts are chosen so that the 99.9% interval is
/// still narrow (each check also bounds its half-width), so a real bias is not hidden by a wide interval.
constexpr double kConfidence = 0.999;

/// `base` shifted by the environment variable DASIM_VALIDATION_SEED (0 when unset): rerunning the suite with
/// other values draws fresh random numbers, to see that it passes on its merits rather than by a lucky seed.
std::uint64_t seed(std::uint64_t base);

/// A scenario file under scenarios/validation/.
std::string scenario_path(const std::string& file_name);

class Replications {
 public:
  /// Loads `file_name` from scenarios/validation/ and runs `count` replications with master seed
  /// seed(master_seed) on `jobs` worker processes.
  Replications(const std::string& file_name, int count, std::uint64_t master_seed = 1, int jobs = 2);

  const model::Scenario& scenario() const { return *scenario_; }
  const std::vector<batch::ReplicationResult>& results() const { return results_; }
  int count() const { return static_cast<int>(results_.size()); }
  /// Days after the warm-up, over which every summary is taken.
  double observed_days() const;
  /// The same in years of 365.25 days: per-year metrics times this are counts.
  double observed_years() const { return observed_days() / model::kDaysPerYear; }

  /// An area metric (batch/schema.hpp) of a service, for one area or, with area "", all areas; one value a replication.
  std::vector<double> area(const std::string& service, const std::string& area, const std::string& metric) const;
  /// A pool metric (kPoolMetrics) of a pool, one value a replication.
  std::vector<double> pool(const std::string& pool, const std::string& metric) const;
  /// A service's monthly metric (kMonthlyMetrics) for month index `month` (0 = the start month).
  std::vector<double> monthly(const std::string& service, int month, const std::string& metric) const;
  /// A whole-run total (batch/schema.hpp), one value a replication.
  std::vector<double> total(const std::string& metric) const;
  std::vector<std::string> pool_names() const;

 private:
  std::unique_ptr<model::Scenario> scenario_;
  std::vector<batch::ReplicationResult> results_;
};

/// Runs a scenario object (rather than a file) the same way; results by replication index.
std::vector<batch::ReplicationResult> run(const model::Scenario& scenario, int count, std::uint64_t master_seed, int jobs);

/// Per replication a[i] / b[i].
std::vector<double> ratio(const std::vector<double>& a, const std::vector<double>& b);

/// Success when `theory` lies inside the kConfidence interval of the mean of `values` and that interval's
/// half-width is at most `max_half_width` (so the check has the power to see a bias of that size). Prints the
/// theory value, the mean, and the 95% and 99.9% intervals. `resolution` > 1 is for figures stored to a known
/// relative precision (wait quantiles, read from a histogram with bins a factor 1.075 wide): the interval is
/// widened by that factor either side.
::testing::AssertionResult inside_interval(const std::string& what, const std::vector<double>& values, double theory,
                                           double max_half_width, double resolution = 1);

}  // namespace dasim::validation
