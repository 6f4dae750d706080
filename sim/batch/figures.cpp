#include "batch/figures.hpp"

#include <algorithm>
#include <cmath>

#include "batch/schema.hpp"
#include "stats/summary.hpp"

namespace dasim::batch {

namespace {
/// The first month after the warm-up in which a pool of `service` changes its capacity, or -1.
int capacity_trend_month(const model::Scenario& s, int service) {
  double first = HUGE_VAL;
  for (const model::PoolSpec& pool : s.pools)
    if (pool.service == service)
      for (const model::CapacityChange& change : pool.capacity_changes)
        if (change.day >= s.simulation.warmup_days && change.day < s.simulation.horizon_days()) first = std::min(first, change.day);
  return first == HUGE_VAL ? -1 : static_cast<int>(first / (model::kDaysPerYear / 12));
}
}  // namespace

std::vector<WarmupCheck> warmup_checks(const ScenarioRun& run) {
  const model::Scenario& s = *run.scenario;
  const Group& monthly = monthly_group();
  const Shape shape = monthly.shape(s);
  const std::size_t months = shape.dims[1];
  const std::size_t queue = monthly.metric("mean_queue"), busy = monthly.metric("mean_busy");
  const int warmup_months = static_cast<int>(std::lround(s.simulation.warmup_days / (model::kDaysPerYear / 12)));
  std::vector<WarmupCheck> out;
  for (std::size_t sv = 0; sv < s.services.size(); ++sv) {
    // The last month may be partial; leave it out.
    std::vector<double> series(months > 1 ? months - 1 : months, 0.0);
    int n = 0;
    for (std::size_t r = 0; r < run.replications.size(); ++r) {
      if (!run.done[r]) continue;
      ++n;
      for (std::size_t m = 0; m < series.size(); ++m) {
        const auto& values = run.replications[r].monthly;
        const double q = values[shape.at({sv, m, queue})], b = values[shape.at({sv, m, busy})];
        series[m] += (std::isnan(q) ? 0 : q) + (std::isnan(b) ? 0 : b);
      }
    }
    if (n == 0 || series.size() < 4) continue;
    int best = 0;
    double best_value = HUGE_VAL;
    for (std::size_t d = 0; d <= series.size() / 2; ++d) {
      const double kept = static_cast<double>(series.size() - d);
      double mean = 0, ss = 0;
      for (std::size_t i = d; i < series.size(); ++i) mean += series[i] / kept;
      for (std::size_t i = d; i < series.size(); ++i) ss += (series[i] - mean) * (series[i] - mean);
      // Strict improvement only, so that a flat series keeps the earliest point.
      if (ss / (kept * kept) < best_value * (1 - 1e-9)) best_value = ss / (kept * kept), best = static_cast<int>(d);
    }
    out.push_back({s.services[sv], warmup_months, best, best == static_cast<int>(series.size() / 2),
                   capacity_trend_month(s, static_cast<int>(sv))});
  }
  return out;
}

std::vector<ContractSplit> contract_splits(const model::Scenario& s) {
  std::vector<ContractSplit> out;
  for (const auto& c : s.contracts) {
    ContractSplit split{c.name, c.annual_cost(), c.funder_share, std::vector<double>(s.services.size(), 0.0)};
    if (!c.buys.empty()) {  // money follows the purchases
      for (const auto& p : c.buys) split.service_share[s.pools[p.pool].service] += p.share;
    } else {  // a fixed-capacity contract: by units, for want of prices
      double workers = 0;
      for (int p : c.pools) split.service_share[s.pools[p].service] += s.pools[p].count, workers += s.pools[p].count;
      for (double& x : split.service_share) x = workers > 0 ? x / workers : 0.0;
    }
    out.push_back(std::move(split));
  }
  return out;
}

namespace {

std::vector<double> merged_histogram(const ScenarioRun& run) {
  std::vector<double> merged(histogram_group().shape(*run.scenario).size(), 0.0);
  for (std::size_t r = 0; r < run.replications.size(); ++r)
    if (run.done[r])
      for (std::size_t i = 0; i < merged.size() && i < run.replications[r].histogram.size(); ++i)
        merged[i] += run.replications[r].histogram[i];
  return merged;
}

std::vector<double> monthly_band(const ScenarioRun& run) {
  const std::size_t cells = monthly_group().shape(*run.scenario).size();
  std::vector<double> out;
  out.reserve(cells * kBandStatistics.size());
  std::vector<double> values;
  for (std::size_t i = 0; i < cells; ++i) {
    values.clear();
    for (std::size_t r = 0; r < run.replications.size(); ++r)
      if (run.done[r]) values.push_back(run.replications[r].monthly[i]);
    const stats::Summary s = stats::summarize(values);
    out.insert(out.end(), {s.mean, s.ci_low, s.ci_high});
  }
  return out;
}

}  // namespace

ScenarioFigures scenario_figures(const ScenarioRun& run) {
  return {merged_histogram(run), warmup_checks(run), contract_splits(*run.scenario), monthly_band(run)};
}

RunSummary summarise(const RunRecord& run) {
  RunSummary out{summary_rows(run), {}};
  for (const auto& s : run.scenarios) out.scenarios.push_back(scenario_figures(s));
  return out;
}

}  // namespace dasim::batch
