#include "batch/replication.hpp"

#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "engine/simgrid_engine.hpp"
#include "model/pools.hpp"
#include "model/world.hpp"

namespace dasim::batch {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void append_area(std::vector<double>& out, const model::AreaTally& a, double years) {
  const double per_year = years > 0 ? 1 / years : 0;
  out.insert(out.end(), {a.entered * per_year, a.declined * per_year, a.started * per_year, a.disengaged * per_year,
                         a.completed * per_year, a.started > 0 ? a.wait_sum / a.started : kNaN,
                         a.started > 0 ? a.waits.quantile(0.5) : kNaN, a.started > 0 ? a.waits.quantile(0.9) : kNaN,
                         a.started > 0 ? a.waits.quantile(0.95) : kNaN,
                         a.started > 0 ? a.within_target / a.started : kNaN});
}
void append_month(std::vector<double>& out, const model::MonthBin& m) {
  out.insert(out.end(), {m.entered, m.declined, m.started, m.disengaged, m.completed,
                         m.started > 0 ? m.wait_sum / m.started : kNaN, m.days > 0 ? m.queue_area / m.days : kNaN,
                         m.days > 0 ? m.busy_area / m.days : kNaN,
                         m.capacity_area > 0 ? m.busy_area / m.capacity_area : kNaN});
}
void append_histogram(std::vector<double>& out, const model::WaitHistogram& h) {
  for (auto c : h.counts) out.push_back(static_cast<double>(c));
}
void merge(model::AreaTally& into, const model::AreaTally& a) {
  into.entered += a.entered, into.declined += a.declined, into.started += a.started;
  into.within_target += a.within_target, into.wait_sum += a.wait_sum, into.disengaged += a.disengaged;
  into.completed += a.completed;
  into.waits.merge(a.waits);
}
// Months of several pools: counts and integrals add; `days` is the same for every pool.
void merge(model::MonthBin& into, const model::MonthBin& m) {
  into.entered += m.entered, into.declined += m.declined, into.started += m.started;
  into.within_target += m.within_target, into.wait_sum += m.wait_sum, into.disengaged += m.disengaged;
  into.completed += m.completed, into.queue_area += m.queue_area, into.busy_area += m.busy_area;
  into.capacity_area += m.capacity_area, into.days = m.days;
}
}  // namespace

std::uint64_t replication_seed(std::uint64_t master_seed, std::uint64_t replication) {
  return random::stream_seed(master_seed, replication, "replication");
}

ReplicationResult run_replication(const model::Scenario& scenario, std::uint64_t master_seed, std::uint64_t replication,
                                  bool monthly_by_pool) {
  engine::SimGridEngine engine;
  model::World world(scenario, engine, master_seed, replication);
  world.start();
  engine.run_until(world.horizon());
  world.finish();

  ReplicationResult r;
  r.replication = replication;
  const double years = (world.horizon() - scenario.simulation.warmup_days) / model::kDaysPerYear;
  for (const auto& pool : world.pools()) {
    const model::PoolStats& s = pool->stats();
    if (monthly_by_pool)
      for (const model::MonthBin& m : s.monthly) append_month(r.pool_monthly, m);
    const double T = s.observed_days;
    r.pool_metrics.insert(r.pool_metrics.end(),
                          {s.mean_queue(), s.mean_busy(), s.mean_capacity(),
                           s.capacity_area > 0 ? s.busy_area / s.capacity_area : kNaN, s.mean_queue(),
                           T > 0 ? s.queue_time / T : kNaN, years > 0 ? s.total().completed / years : 0});
  }
  // By service: the tallies of every pool that provides it, so options that split a service differently compare.
  const std::size_t areas = scenario.areas.size();
  for (std::size_t service = 0; service < scenario.services.size(); ++service) {
    std::vector<model::AreaTally> by_area(areas + 1);
    std::vector<model::MonthBin> months;
    double queue_area = 0, busy_area = 0, capacity_area = 0, observed = 0;
    for (const auto& pool : world.pools()) {
      if (pool->spec().service != static_cast<int>(service)) continue;
      const model::PoolStats& s = pool->stats();
      for (std::size_t a = 0; a < areas; ++a) {
        merge(by_area[a], s.by_area[a]);
        merge(by_area[areas], s.by_area[a]);
      }
      if (months.empty()) months.resize(s.monthly.size());
      for (std::size_t m = 0; m < s.monthly.size(); ++m) merge(months[m], s.monthly[m]);
      queue_area += s.queue_area, busy_area += s.busy_area, capacity_area += s.capacity_area;
      observed = s.observed_days;
    }
    for (const auto& tally : by_area) {
      append_area(r.area_metrics, tally, years);
      append_histogram(r.histogram, tally.waits);
    }
    r.service_metrics.insert(r.service_metrics.end(),
                             {observed > 0 ? queue_area / observed : kNaN, observed > 0 ? busy_area / observed : kNaN,
                              observed > 0 ? capacity_area / observed : kNaN,
                              capacity_area > 0 ? busy_area / capacity_area : kNaN});
    for (const model::MonthBin& m : months) append_month(r.monthly, m);
  }
  const model::WorldTotals& t = world.totals();
  const std::vector<double> funders = funder_costs(scenario);
  double cashable = 0, societal = 0;
  for (const auto& [c, s] : t.outcome_cost) {
    r.outcome_cost.push_back(c / years);
    r.outcome_cost.push_back(s / years);
    cashable += c / years;
    societal += s / years;
  }
  r.totals = {t.people / years, t.repeats / years, t.relocations / years, t.retriaged / years,
              t.lost_at_retriage / years, std::accumulate(funders.begin(), funders.end(), 0.0),
              cashable + societal, cashable, societal, t.events};
  return r;
}

std::vector<double> funder_costs(const model::Scenario& scenario) {
  std::vector<double> cost(scenario.funders.size(), 0.0);
  for (const auto& c : scenario.contracts)
    for (std::size_t f = 0; f < cost.size(); ++f) cost[f] += c.annual_cost() * c.funder_share[f];
  return cost;
}

std::vector<std::string> month_labels(const model::Scenario& scenario) {
  const model::Calendar calendar(scenario.simulation);
  std::vector<std::string> out;
  int year = scenario.simulation.start_year, month = scenario.simulation.start_month;
  for (int i = 0; i < calendar.months_in_horizon(); ++i) {
    out.push_back(fmt::format("{:04}-{:02}", year, month));
    if (++month > 12) month = 1, ++year;
  }
  return out;
}

namespace {
void put_vector(std::string& out, const std::vector<double>& v) {
  const std::uint64_t n = v.size();
  out.append(reinterpret_cast<const char*>(&n), sizeof n);
  out.append(reinterpret_cast<const char*>(v.data()), n * sizeof(double));
}
std::vector<double> get_vector(const std::string& in, std::size_t& at) {
  std::uint64_t n;
  if (at + sizeof n > in.size()) throw std::runtime_error("truncated replication result");
  std::memcpy(&n, in.data() + at, sizeof n);
  at += sizeof n;
  if (n > (in.size() - at) / sizeof(double)) throw std::runtime_error("truncated replication result");
  std::vector<double> v(n);
  std::memcpy(v.data(), in.data() + at, n * sizeof(double));
  at += n * sizeof(double);
  return v;
}
}  // namespace

std::string serialize(const ReplicationResult& r) {
  std::string out;
  out.append(reinterpret_cast<const char*>(&r.replication), sizeof r.replication);
  for (const auto* v : {&r.area_metrics, &r.service_metrics, &r.pool_metrics, &r.monthly, &r.pool_monthly, &r.histogram, &r.totals, &r.outcome_cost})
    put_vector(out, *v);
  return out;
}

ReplicationResult deserialize(const std::string& in) {
  ReplicationResult r;
  if (in.size() < sizeof r.replication) throw std::runtime_error("truncated replication result");
  std::memcpy(&r.replication, in.data(), sizeof r.replication);
  std::size_t at = sizeof r.replication;
  for (auto* v : {&r.area_metrics, &r.service_metrics, &r.pool_metrics, &r.monthly, &r.pool_monthly, &r.histogram, &r.totals, &r.outcome_cost})
    *v = get_vector(in, at);
  return r;
}

}  // namespace dasim::batch
