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

namespace {
double percentile(const std::vector<double>& sorted, double q) {
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - static_cast<double>(lo));
}
}  // namespace

Summary summarize(const std::vector<double>& values, double confidence) {
  std::vector<double> v;
  v.reserve(values.size());
  for (double x : values)
    if (!std::isnan(x)) v.push_back(x);
  Summary s;
  s.n = static_cast<int>(v.size());
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (v.empty()) {
    s.mean = s.sd = s.ci_low = s.ci_high = s.p05 = s.p50 = s.p95 = nan;
    return s;
  }
  // Welford's update keeps the variance accurate for large, nearly equal values (costs in pounds).
  double mean = 0, m2 = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const double delta = v[i] - mean;
    mean += delta / static_cast<double>(i + 1);
    m2 += delta * (v[i] - mean);
  }
  s.mean = mean;
  s.sd = v.size() > 1 ? std::sqrt(m2 / static_cast<double>(v.size() - 1)) : 0.0;
  const double half = v.size() > 1 ? t_critical(s.n - 1, confidence) * s.sd / std::sqrt(static_cast<double>(s.n)) : nan;
  s.ci_low = v.size() > 1 ? mean - half : nan;
  s.ci_high = v.size() > 1 ? mean + half : nan;
  std::sort(v.begin(), v.end());
  s.p05 = percentile(v, 0.05);
  s.p50 = percentile(v, 0.50);
  s.p95 = percentile(v, 0.95);
  return s;
}

std::vector<double> paired_differences(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> d(std::min(a.size(), b.size()));
  for (std::size_t i = 0; i < d.size(); ++i) d[i] = a[i] - b[i];
  return d;
}

}  // namespace dasim::stats
