#include "batch/precision.hpp"

#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <stdexcept>

#include "stats/summary.hpp"

namespace dasim::batch {

std::vector<KeyMeasure> key_measures(const RunRecord& record) {
  std::vector<KeyMeasure> out;
  const model::Scenario& base = *record.scenarios.front().scenario;
  for (std::size_t k = 0; k < record.scenarios.size(); ++k) {
    const model::Scenario& s = *record.scenarios[k].scenario;
    auto add = [&](const std::string& service, const std::string& metric) {
      const auto value = measure(s, service, "all", metric);
      out.push_back({fmt::format("{}: {} {}", s.name, service, metric), static_cast<int>(k), false, value});
      if (k == 0) return;
      try {
        // The difference reads each option with its own layout: the baseline's cell may sit elsewhere.
        const auto in_base = measure(base, service, "all", metric);
        out.push_back({fmt::format("{} - {}: {} {}", s.name, base.name, service, metric), static_cast<int>(k), true, value,
                       in_base});
      } catch (const std::invalid_argument&) {
        // a service the baseline does not have: no paired difference
      }
    };
    for (const std::string& service : s.services)
      for (const char* metric : {"wait_mean", "started", "completed"}) add(service, metric);
    for (const char* metric : {"people", "outcome_cost"}) add("(total)", metric);
  }
  return out;
}

int look_ahead(int n, const PrecisionRule& rule) {
  return n <= 100 ? rule.look_ahead : static_cast<int>(std::ceil(static_cast<double>(n) * rule.look_ahead / 100.0));
}

namespace {

double half_width(const stats::Moments& m, double confidence) {
  if (m.n < 2) return std::numeric_limits<double>::infinity();
  return stats::t_critical(static_cast<int>(m.n) - 1, confidence) * std::sqrt(m.m2 / (m.n - 1)) / std::sqrt(m.n);
}

/// Half-width over |mean|: 0 when the measure never varies, infinite when it cannot be judged yet.
double relative_half_width(const stats::Moments& values, const stats::Moments& reference, double confidence) {
  if (values.n == 0 && reference.n == 0) return 0;  // undefined throughout (nobody reached the pool): nothing to estimate
  const double h = half_width(values, confidence);
  if (h == 0) return 0;
  return std::abs(reference.mean) > 0 ? h / std::abs(reference.mean) : std::numeric_limits<double>::infinity();
}

}  // namespace

PrecisionTracker::PrecisionTracker(std::vector<KeyMeasure> keys, std::size_t scenarios, const PrecisionRule& rule)
    : keys_(std::move(keys)), scenarios_(scenarios), rule_(rule), values_(keys_.size()), baseline_(keys_.size()) {}

void PrecisionTracker::add(int scenario, std::uint64_t replication, const ReplicationResult& result) {
  Arrived& a = arrived_[replication];
  a.own.resize(keys_.size());
  a.baseline.resize(keys_.size());
  for (std::size_t k = 0; k < keys_.size(); ++k) {
    if (keys_[k].scenario == scenario) a.own[k] = keys_[k].value(result);
    if (keys_[k].difference && scenario == 0) a.baseline[k] = keys_[k].baseline_value(result);
  }
  ++a.scenarios;
  // Judge, in order, every replication that every scenario has sent.
  while (!arrived_.empty() && arrived_.begin()->first == met_.size() && arrived_.begin()->second.scenarios == scenarios_) {
    judge(arrived_.begin()->second);
    arrived_.erase(arrived_.begin());
  }
}

void PrecisionTracker::judge(const Arrived& a) {
  bool all = true;
  std::vector<double> d(keys_.size());
  for (std::size_t k = 0; k < keys_.size(); ++k) {
    if (keys_[k].difference) {
      values_[k].add(a.own[k] - a.baseline[k]);
      baseline_[k].add(a.baseline[k]);
      d[k] = relative_half_width(values_[k], baseline_[k], rule_.confidence);
    } else {
      values_[k].add(a.own[k]);
      d[k] = relative_half_width(values_[k], values_[k], rule_.confidence);
    }
    all = all && d[k] <= rule_.relative;
  }
  met_.push_back(all);
  if (static_cast<int>(met_.size()) == rule_.maximum) at_maximum_ = d;
}

std::size_t PrecisionTracker::values_held() const { return arrived_.size() * 2 * keys_.size(); }

PrecisionDecision PrecisionTracker::decide(int available) const {
  if (available > static_cast<int>(met_.size()))
    throw std::logic_error(fmt::format("the precision rule was asked about {} replications, {} judged", available, met_.size()));
  const PrecisionRule& rule = rule_;
  auto met = [&](int n) { return bool(met_[static_cast<std::size_t>(n - 1)]); };
  PrecisionDecision out;
  for (int n = std::max(rule.initial, 2); n <= available; ++n) {
    if (!met(n)) continue;
    const int until = n + look_ahead(n, rule);
    out.settled = n;  // every smaller count has been ruled out
    if (until > rule.maximum) break;  // the look-ahead cannot finish below the maximum
    if (until > available) return out;  // undecided: run more
    int broke = 0;
    for (int m = n + 1; m <= until && !broke; ++m)
      if (!met(m)) broke = m;
    if (broke) {
      out.settled = 0;  // not this one
      n = broke;  // the stretch ended: look again after it
      continue;
    }
    out.decided = out.met = true;
    out.replications = n;
    out.reason = fmt::format("every key measure's {:.0f}% confidence interval is within ±{:g}% of its mean from {} "
                             "replications on, confirmed over the next {} (Hoad, Robinson and Davies 2010)",
                             100 * rule.confidence, 100 * rule.relative, n, until - n);
    return out;
  }
  if (available < rule.maximum) {
    if (out.settled == 0) out.settled = available + 1;  // no count up to `available` met the rule
    return out;
  }
  out.decided = true;
  out.replications = rule.maximum;
  for (std::size_t k = 0; k < keys_.size(); ++k)
    if (!(at_maximum_.at(k) <= rule.relative))
      out.short_of.push_back(fmt::format("{} (±{:.1f}%)", keys_[k].label, 100 * at_maximum_[k]));
  std::string list;
  for (const auto& s : out.short_of) list += (list.empty() ? "" : "; ") + s;
  out.reason = out.short_of.empty()
                   ? fmt::format("stopped at the maximum of {} replications: the precision was reached too late to be "
                                 "confirmed over the look-ahead", rule.maximum)
                   : fmt::format("stopped at the maximum of {} replications without reaching ±{:g}% for: {}", rule.maximum,
                                 100 * rule.relative, list);
  return out;
}

PrecisionDecision decide(const RunRecord& record, const std::vector<KeyMeasure>& keys, int available,
                         const PrecisionRule& rule) {
  PrecisionTracker tracker(keys, record.scenarios.size(), rule);
  for (int r = 0; r < available; ++r)
    for (std::size_t s = 0; s < record.scenarios.size(); ++s)
      tracker.add(static_cast<int>(s), static_cast<std::uint64_t>(r), record.scenarios[s].replications.at(static_cast<std::size_t>(r)));
  return tracker.decide(available);
}

void keep_first(RunRecord& record, int n) {
  record.replications = n;
  for (auto& s : record.scenarios) {
    if (s.replications.size() > static_cast<std::size_t>(n)) s.replications.resize(static_cast<std::size_t>(n));  // a streamed run keeps fewer
    s.done.resize(static_cast<std::size_t>(n));
  }
}

}  // namespace dasim::batch
