#pragma once
// Statistics across replications: means with Student-t confidence intervals, spread, and paired differences.
#include <cstddef>
#include <functional>
#include <vector>

namespace dasim::stats {

struct Summary {
  double mean = 0, sd = 0, ci_low = 0, ci_high = 0, p05 = 0, p50 = 0, p95 = 0;
  int n = 0;  // replications with a value (a pool nobody reached has no wait)
};

/// Welford's running count, mean and sum of squared deviations, fed one value at a time (NaN, undefined in that
/// replication, is left out). Fed the same values in the same order, it gives the same bits as summarize().
/// It keeps the smallest and largest value too, the range an exact selection of percentiles starts from.
struct Moments {
  double n = 0, mean = 0, m2 = 0;
  double min = 0, max = 0;  // of the values added (meaningless while n is 0)
  void add(double x);
};

/// Summary of one metric over replications; NaN values (undefined in that replication) are left out.
Summary summarize(const std::vector<double>& values, double confidence = 0.95);
/// The same summary from moments accumulated in replication order and the values themselves, in any order, for
/// the percentiles (a run that does not keep its values reads them back at the end). `values` is sorted in place.
Summary summarize(const Moments& moments, std::vector<double>& values, double confidence = 0.95);

/// Percentile q of n sorted values interpolates linearly between the order statistics of ranks `low` and `high`
/// (0-based): one definition for the percentiles of values held at once and of values selected from a file.
struct PercentileRanks {
  std::size_t low = 0, high = 0;
  double weight = 0;  // of the step from the lower to the higher value
  double between(double at_low, double at_high) const { return at_low + (at_high - at_low) * weight; }
};
PercentileRanks percentile_ranks(std::size_t n, double q);
/// The quantiles p05, p50, p95 report, in that order.
constexpr double kReportedQuantiles[] = {0.05, 0.50, 0.95};
/// The same summary from moments and the order statistics of the values (0-based rank in sorted order, of
/// moments.n values), which a caller finds without holding every value (batch/readback.hpp).
Summary summarize(const Moments& moments, const std::function<double(std::size_t rank)>& order_statistic,
                  double confidence = 0.95);

/// Two-sided Student-t critical value, e.g. 2.262 for 9 degrees of freedom at 95%.
double t_critical(int degrees_of_freedom, double confidence = 0.95);

/// Per-replication differences a[i] - b[i] (common random numbers make these far tighter than a - b).
std::vector<double> paired_differences(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace dasim::stats
