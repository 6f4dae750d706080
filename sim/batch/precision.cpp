#include "batch/precision.hpp"

#include <cmath>
#include <fmt/format.h>
#include <limits>

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

/// Welford's running mean and variance over the values seen so far (NaN, an undefined value, is left out).
struct Running {
  double n = 0, mean = 0, m2 = 0;
  void add(double x) {
    if (std::isnan(x)) return;
    n += 1;
    const double delta = x - mean;
    mean += delta / n;
    m2 += delta * (x - mean);
  }
  double half_width(double confidence) const {
    if (n < 2) return std::numeric_limits<double>::infinity();
    return stats::t_critical(static_cast<int>(n) - 1, confidence) * std::sqrt(m2 / (n - 1)) / std::sqrt(n);
  }
};

/// Half-width over |mean|: 0 when the measure never varies, infinite when it cannot be judged yet.
double relative_half_width(const Running& values, const Running& reference, double confidence) {
  if (values.n == 0 && reference.n == 0) return 0;  // undefined throughout (nobody reached the pool): nothing to estimate
  const double h = values.half_width(confidence);
  if (h == 0) return 0;
  return std::abs(reference.mean) > 0 ? h / std::abs(reference.mean) : std::numeric_limits<double>::infinity();
}

}  // namespace

PrecisionDecision decide(const RunRecord& record, const std::vector<KeyMeasure>& keys, int available,
                         const PrecisionRule& rule) {
  // d[n][key] for n = 1 .. available, built replication by replication in order.
  std::vector<Running> values(keys.size()), baseline(keys.size());
  std::vector<std::vector<double>> d(static_cast<std::size_t>(available) + 1);
  for (int n = 1; n <= available; ++n) {
    const std::size_t r = static_cast<std::size_t>(n - 1);
    d[n].resize(keys.size());
    for (std::size_t k = 0; k < keys.size(); ++k) {
      const KeyMeasure& key = keys[k];
      const double own = key.value(record.scenarios[key.scenario].replications[r]);
      if (key.difference) {
        const double base = key.baseline_value(record.scenarios[0].replications[r]);
        values[k].add(own - base);
        baseline[k].add(base);
        d[n][k] = relative_half_width(values[k], baseline[k], rule.confidence);
      } else {
        values[k].add(own);
        d[n][k] = relative_half_width(values[k], values[k], rule.confidence);
      }
    }
  }
  auto met = [&](int n) {
    for (double x : d[n])
      if (!(x <= rule.relative)) return false;
    return true;
  };
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
  for (std::size_t k = 0; k < keys.size(); ++k)
    if (!(d[available][k] <= rule.relative)) out.short_of.push_back(fmt::format("{} (±{:.1f}%)", keys[k].label, 100 * d[available][k]));
  std::string list;
  for (const auto& s : out.short_of) list += (list.empty() ? "" : "; ") + s;
  out.reason = out.short_of.empty()
                   ? fmt::format("stopped at the maximum of {} replications: the precision was reached too late to be "
                                 "confirmed over the look-ahead", rule.maximum)
                   : fmt::format("stopped at the maximum of {} replications without reaching ±{:g}% for: {}", rule.maximum,
                                 100 * rule.relative, list);
  return out;
}

void keep_first(RunRecord& record, int n) {
  record.replications = n;
  for (auto& s : record.scenarios) {
    s.replications.resize(static_cast<std::size_t>(n));
    s.done.resize(static_cast<std::size_t>(n));
  }
}

}  // namespace dasim::batch
