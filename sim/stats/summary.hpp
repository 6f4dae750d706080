#pragma once
// Statistics across replications: means with Student-t confidence intervals, spread, and paired differences.
#include <vector>

namespace dasim::stats {

struct Summary {
  double mean = 0, sd = 0, ci_low = 0, ci_high = 0, p05 = 0, p50 = 0, p95 = 0;
  int n = 0;  // replications with a value (a pool nobody reached has no wait)
};

/// Summary of one metric over replications; NaN values (undefined in that replication) are left out.
Summary summarize(const std::vector<double>& values, double confidence = 0.95);

/// Two-sided Student-t critical value, e.g. 2.262 for 9 degrees of freedom at 95%.
double t_critical(int degrees_of_freedom, double confidence = 0.95);

/// Per-replication differences a[i] - b[i] (common random numbers make these far tighter than a - b).
std::vector<double> paired_differences(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace dasim::stats
