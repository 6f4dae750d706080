#include "stats/summary.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>

namespace dasim::stats {

double t_critical(int df, double confidence) {
  if (df < 1) return std::numeric_limits<double>::infinity();
  return boost::math::quantile(boost::math::students_t(df), 0.5 + confidence / 2);
}

PercentileRanks percentile_ranks(std::size_t n, double q) {
  const double pos = q * static_cast<double>(n - 1);
  PercentileRanks out;
  out.low = static_cast<std::size_t>(std::floor(pos));
  out.high = std::min(out.low + 1, n - 1);
  out.weight = pos - static_cast<double>(out.low);
  return out;
}

void Moments::add(double x) {
  if (std::isnan(x)) return;
  // Welford's update keeps the variance accurate for large, nearly equal values (costs in pounds).
  n += 1;
  min = n == 1 ? x : std::min(min, x);
  max = n == 1 ? x : std::max(max, x);
  const double delta = x - mean;
  mean += delta / n;
  m2 += delta * (x - mean);
}

Summary summarize(const std::vector<double>& values, double confidence) {
  Moments moments;
  for (double x : values) moments.add(x);
  std::vector<double> copy = values;
  return summarize(moments, copy, confidence);
}

Summary summarize(const Moments& moments, std::vector<double>& v, double confidence) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }), v.end());
  if (v.empty()) return summarize(moments, nullptr, confidence);  // moments without values: no percentile of nothing
  std::sort(v.begin(), v.end());
  return summarize(moments, [&v](std::size_t rank) { return v.at(rank); }, confidence);
}

Summary summarize(const Moments& moments, const std::function<double(std::size_t rank)>& order_statistic,
                  double confidence) {
  Summary s;
  s.n = static_cast<int>(moments.n);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (moments.n == 0) {
    s.mean = s.sd = s.ci_low = s.ci_high = s.p05 = s.p50 = s.p95 = nan;
    return s;
  }
  const double mean = moments.mean;
  s.mean = mean;
  s.sd = s.n > 1 ? std::sqrt(moments.m2 / static_cast<double>(s.n - 1)) : 0.0;
  const double half = s.n > 1 ? t_critical(s.n - 1, confidence) * s.sd / std::sqrt(static_cast<double>(s.n)) : nan;
  s.ci_low = s.n > 1 ? mean - half : nan;
  s.ci_high = s.n > 1 ? mean + half : nan;
  if (!order_statistic) {
    s.p05 = s.p50 = s.p95 = nan;
    return s;
  }
  double* reported[] = {&s.p05, &s.p50, &s.p95};
  for (std::size_t i = 0; i < 3; ++i) {
    const PercentileRanks at = percentile_ranks(static_cast<std::size_t>(moments.n), kReportedQuantiles[i]);
    *reported[i] = at.between(order_statistic(at.low), order_statistic(at.high));
  }
  return s;
}

std::vector<double> paired_differences(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> d(std::min(a.size(), b.size()));
  for (std::size_t i = 0; i < d.size(); ++i) d[i] = a[i] - b[i];
  return d;
}

}  // namespace dasim::stats
