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

void Moments::add(double x) {
  if (std::isnan(x)) return;
  // Welford's update keeps the variance accurate for large, nearly equal values (costs in pounds).
  n += 1;
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
  if (v.empty()) {  // moments without values: a caller's error, not a percentile of nothing
    s.p05 = s.p50 = s.p95 = nan;
    return s;
  }
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
