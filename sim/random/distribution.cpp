#include "random/distribution.hpp"

#include <algorithm>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/triangle_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>
#include <fmt/format.h>
#include <numeric>

namespace dasim::random {

Distribution Distribution::fixed(double value) {
  Distribution d;
  d.kind_ = DistKind::fixed;
  d.a_ = value;
  return d;
}
Distribution Distribution::exponential(double mean) {
  Distribution d;
  d.kind_ = DistKind::exponential;
  d.a_ = mean;
  return d;
}
Distribution Distribution::lognormal(double median, double spread) {
  Distribution d;
  d.kind_ = DistKind::lognormal;
  d.a_ = std::log(median);
  d.b_ = std::log(spread);
  return d;
}
Distribution Distribution::gamma(double mean, double shape) {
  Distribution d;
  d.kind_ = DistKind::gamma;
  d.a_ = shape;
  d.b_ = mean / shape;
  return d;
}
Distribution Distribution::uniform(double low, double high) {
  Distribution d;
  d.kind_ = DistKind::uniform;
  d.a_ = low;
  d.b_ = high;
  return d;
}
Distribution Distribution::triangular(double low, double mode, double high) {
  Distribution d;
  d.kind_ = DistKind::triangular;
  d.a_ = low;
  d.b_ = mode;
  d.c_ = high;
  return d;
}
Distribution Distribution::empirical(std::vector<double> values, std::vector<double> weights) {
  Distribution d;
  d.kind_ = DistKind::empirical;
  if (weights.empty()) weights.assign(values.size(), 1.0);
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  double running = 0;
  for (double w : weights) d.cumulative_.push_back(running += w / total);
  d.cumulative_.back() = 1.0;
  d.values_ = std::move(values);
  return d;
}

double Distribution::sample(Rng& rng) const {
  switch (kind_) {
    case DistKind::fixed: return a_;
    case DistKind::exponential: return boost::random::exponential_distribution<double>(1.0 / a_)(rng);
    case DistKind::lognormal: return b_ == 0 ? std::exp(a_) : boost::random::lognormal_distribution<double>(a_, b_)(rng);
    case DistKind::gamma: return boost::random::gamma_distribution<double>(a_, b_)(rng);
    case DistKind::uniform: return a_ == b_ ? a_ : boost::random::uniform_real_distribution<double>(a_, b_)(rng);
    case DistKind::triangular:
      return a_ == c_ ? a_ : boost::random::triangle_distribution<double>(a_, b_, c_)(rng);
    case DistKind::empirical: {
      const double u = rng.uniform();
      const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), u);
      return values_[std::min<std::size_t>(it - cumulative_.begin(), values_.size() - 1)];
    }
  }
  return 0;
}

double Distribution::mean() const {
  switch (kind_) {
    case DistKind::fixed: return a_;
    case DistKind::exponential: return a_;
    case DistKind::lognormal: return std::exp(a_ + b_ * b_ / 2);
    case DistKind::gamma: return a_ * b_;
    case DistKind::uniform: return (a_ + b_) / 2;
    case DistKind::triangular: return (a_ + b_ + c_) / 3;
    case DistKind::empirical: {
      double m = 0, previous = 0;
      for (std::size_t i = 0; i < values_.size(); ++i) {
        m += values_[i] * (cumulative_[i] - previous);
        previous = cumulative_[i];
      }
      return m;
    }
  }
  return 0;
}

std::string Distribution::describe() const {
  switch (kind_) {
    case DistKind::fixed: return fmt::format("fixed {:g} d", a_);
    case DistKind::exponential: return fmt::format("exponential mean {:g} d", a_);
    case DistKind::lognormal: return fmt::format("lognormal median {:g} d, spread {:g}", std::exp(a_), std::exp(b_));
    case DistKind::gamma: return fmt::format("gamma mean {:g} d, shape {:g}", a_ * b_, a_);
    case DistKind::uniform: return fmt::format("uniform {:g}-{:g} d", a_, b_);
    case DistKind::triangular: return fmt::format("triangular {:g}/{:g}/{:g} d", a_, b_, c_);
    case DistKind::empirical: return fmt::format("empirical over {} values, mean {:g} d", values_.size(), mean());
  }
  return "";
}

}  // namespace dasim::random
