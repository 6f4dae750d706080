#include "batch/figures.hpp"

#include <algorithm>
#include <cmath>

#include "batch/schema.hpp"
#include "stats/summary.hpp"

namespace dasim::batch {

std::vector<WarmupCheck> warmup_checks(const ScenarioRun& run) { return scenario_figures(run).warmup; }

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

/// MSER-5 style truncation on the replication-averaged series (only the sum matters: the scale does not move the
/// minimum).
WarmupCheck mser(const std::string& service, int warmup_months, const std::vector<double>& series, int trend_month) {
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
  return {service, warmup_months, best, best == static_cast<int>(series.size() / 2), trend_month};
}

}  // namespace

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

FigureAccumulator::FigureAccumulator(const model::Scenario& scenario) : scenario_(&scenario) {
  histogram_.assign(histogram_group().shape(scenario).size(), 0.0);
  const Shape monthly = monthly_group().shape(scenario);
  const std::size_t months = monthly.dims[1];
  // The last month may be partial; the warm-up check leaves it out.
  warmup_.assign(scenario.services.size(), std::vector<double>(months > 1 ? months - 1 : months, 0.0));
  band_n_.assign(monthly.size(), 0.0);
  band_mean_.assign(monthly.size(), 0.0);
  band_m2_.assign(monthly.size(), 0.0);
}

void FigureAccumulator::add(const ReplicationResult& r) {
  ++replications_;
  for (std::size_t i = 0; i < histogram_.size() && i < r.histogram.size(); ++i) histogram_[i] += r.histogram[i];
  const Group& monthly = monthly_group();
  const Shape shape = monthly.shape(*scenario_);
  const std::size_t queue = monthly.metric("mean_queue"), busy = monthly.metric("mean_busy");
  for (std::size_t sv = 0; sv < warmup_.size(); ++sv)
    for (std::size_t m = 0; m < warmup_[sv].size(); ++m) {
      const double q = r.monthly[shape.at({sv, m, queue})], b = r.monthly[shape.at({sv, m, busy})];
      warmup_[sv][m] += (std::isnan(q) ? 0 : q) + (std::isnan(b) ? 0 : b);
    }
  for (std::size_t i = 0; i < band_n_.size(); ++i) {
    const double x = r.monthly[i];
    if (std::isnan(x)) continue;  // undefined in that replication, as stats::summarize leaves it out
    band_n_[i] += 1;
    const double delta = x - band_mean_[i];
    band_mean_[i] += delta / band_n_[i];
    band_m2_[i] += delta * (x - band_mean_[i]);
  }
}

ScenarioFigures FigureAccumulator::figures() const {
  const model::Scenario& s = *scenario_;
  ScenarioFigures out{histogram_, {}, contract_splits(s), {}};
  const int warmup_months = static_cast<int>(std::lround(s.simulation.warmup_days / (model::kDaysPerYear / 12)));
  for (std::size_t sv = 0; sv < warmup_.size(); ++sv)
    if (replications_ > 0 && warmup_[sv].size() >= 4) out.warmup.push_back(
          mser(s.services[sv], warmup_months, warmup_[sv], capacity_trend_month(s, static_cast<int>(sv))));
  // The 95% CI of each monthly mean, computed as stats::summarize does.
  const double nan = std::nan("");
  out.monthly_band.reserve(band_n_.size() * kBandStatistics.size());
  for (std::size_t i = 0; i < band_n_.size(); ++i) {
    const double n = band_n_[i];
    if (n == 0) {
      out.monthly_band.insert(out.monthly_band.end(), {nan, nan, nan});
      continue;
    }
    const double sd = n > 1 ? std::sqrt(band_m2_[i] / (n - 1)) : 0.0;
    const double half = n > 1 ? stats::t_critical(static_cast<int>(n) - 1) * sd / std::sqrt(n) : nan;
    out.monthly_band.insert(out.monthly_band.end(), {band_mean_[i], n > 1 ? band_mean_[i] - half : nan,
                                                     n > 1 ? band_mean_[i] + half : nan});
  }
  return out;
}

ScenarioFigures scenario_figures(const ScenarioRun& run) {
  FigureAccumulator figures(*run.scenario);
  for (std::size_t r = 0; r < run.replications.size(); ++r)
    if (run.done[r]) figures.add(run.replications[r]);
  return figures.figures();
}

RunSummary summarise(const RunRecord& run) {
  RunSummary out{summary_rows(run), {}};
  for (const auto& s : run.scenarios) out.scenarios.push_back(scenario_figures(s));
  return out;
}

}  // namespace dasim::batch
