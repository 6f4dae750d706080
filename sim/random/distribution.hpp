#pragma once
// Duration and patience distributions, built from scenario specs and sampled with Boost.Random.
#include <string>
#include <vector>

#include "random/rng.hpp"

namespace dasim::random {

enum class DistKind { fixed, exponential, lognormal, gamma, uniform, triangular, empirical };

/// A non-negative distribution in days. Parameters are those a scenario names (see docs/scenario-format.md).
class Distribution {
 public:
  static Distribution fixed(double value);
  static Distribution exponential(double mean);
  /// `spread` is the geometric standard deviation (exp of the log-scale sigma), so median×spread is about the
  /// 84th percentile.
  static Distribution lognormal(double median, double spread);
  static Distribution gamma(double mean, double shape);
  static Distribution uniform(double low, double high);
  static Distribution triangular(double low, double mode, double high);
  /// Discrete empirical distribution over `values`, with `weights` (equal weights when empty).
  static Distribution empirical(std::vector<double> values, std::vector<double> weights);

  Distribution() = default;
  double sample(Rng& rng) const;
  double mean() const;
  std::string describe() const;

 private:
  DistKind kind_ = DistKind::fixed;
  double a_ = 0, b_ = 0, c_ = 0;
  std::vector<double> values_;
  std::vector<double> cumulative_;  // empirical: normalised cumulative weights
};

}  // namespace dasim::random
