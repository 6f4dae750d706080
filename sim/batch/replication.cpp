#include "batch/replication.hpp"

#include <numeric>

#include "batch/schema.hpp"
#include "engine/simgrid_engine.hpp"
#include "model/breakdown.hpp"
#include "model/pools.hpp"
#include "model/world.hpp"

namespace dasim::batch {

namespace {
/// Appends every measure of a group, in the schema's order, computed from one source.
template <class Source>
void append(std::vector<double>& out, const std::vector<Measure<Source>>& measures, const Source& source, double years) {
  for (const auto& m : measures) out.push_back(m.value(source, years));
}
/// Adds a pool's tallies cell by cell into a service's (sized on first use).
void add_cells(std::vector<model::AreaTally>& into, const std::vector<model::AreaTally>& from) {
  if (into.size() < from.size()) into.resize(from.size());
  for (std::size_t i = 0; i < from.size(); ++i) into[i].add(from[i]);
}
void append_histogram(std::vector<double>& out, const model::WaitHistogram& h) {
  for (auto c : h.counts) out.push_back(static_cast<double>(c));
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
      for (const model::MonthBin& m : s.monthly) append(r.pool_monthly, monthly_measures(), m, years);
    append(r.pool_metrics, pool_measures(), s, years);
  }
  // By service: the tallies of every pool that provides it, so options that split a service differently compare.
  const std::size_t areas = scenario.areas.size();
  for (std::size_t service = 0; service < scenario.services.size(); ++service) {
    std::vector<model::AreaTally> by_area(areas + 1), by_risk, by_source;
    std::vector<model::MonthBin> months;
    ServiceTime time;
    for (const auto& pool : world.pools()) {
      if (pool->spec().service != static_cast<int>(service)) continue;
      const model::PoolStats& s = pool->stats();
      for (std::size_t a = 0; a < areas; ++a) {
        by_area[a].add(s.by_area[a]);
        by_area[areas].add(s.by_area[a]);
      }
      add_cells(by_risk, s.by_risk);
      add_cells(by_source, s.by_source);
      if (months.empty()) months.resize(s.monthly.size());
      for (std::size_t m = 0; m < s.monthly.size(); ++m) months[m].add(s.monthly[m]);
      time.queue_area += s.queue_area, time.busy_area += s.busy_area, time.capacity_area += s.capacity_area;
      time.over_area += s.over_area;
      time.observed_days = s.observed_days;
    }
    for (const auto& tally : by_area) {
      append(r.area_metrics, area_measures(), tally, years);
      append_histogram(r.histogram, tally.waits);
    }
    by_risk.resize(model::risk_levels(scenario).size());  // a service no pool provides still has its cells
    by_source.resize(model::source_count(scenario));
    for (const auto& tally : by_risk) append(r.risk_metrics, area_measures(), tally, years);
    for (const auto& tally : by_source) append(r.source_metrics, area_measures(), tally, years);
    append(r.service_metrics, service_measures(), time, years);
    for (const model::MonthBin& m : months) append(r.monthly, monthly_measures(), m, years);
  }
  const model::WorldTotals& t = world.totals();
  const std::vector<double> funders = funder_costs(scenario);
  TotalsSource totals{&t, std::accumulate(funders.begin(), funders.end(), 0.0), 0, 0};
  for (const auto& cost : t.outcome_cost) {
    append(r.outcome_cost, outcome_measures(), cost, years);
    totals.cashable_outcome += cost[0] / years;
    totals.societal_outcome += cost[1] / years;
  }
  for (const auto& cost : t.outcome_cost_by_risk) append(r.risk_outcome_cost, outcome_measures(), cost, years);
  for (const auto& cost : t.outcome_cost_by_source) append(r.source_outcome_cost, outcome_measures(), cost, years);
  model::CareTally all_areas;
  for (const auto& tally : t.care_by_area) {
    append(r.care_metrics, care_measures(), tally, years);
    all_areas.add(tally);
  }
  append(r.care_metrics, care_measures(), all_areas, years);
  for (const auto& tally : t.care_by_risk) append(r.risk_care_metrics, care_measures(), tally, years);
  for (const auto& tally : t.care_by_source) append(r.source_care_metrics, care_measures(), tally, years);
  append(r.totals, total_measures(), totals, years);
  return r;
}

std::vector<double> funder_costs(const model::Scenario& scenario) {
  std::vector<double> cost(scenario.funders.size(), 0.0);
  for (const auto& c : scenario.contracts)
    for (std::size_t f = 0; f < cost.size(); ++f) cost[f] += c.annual_cost() * c.funder_share[f];
  return cost;
}

}  // namespace dasim::batch
