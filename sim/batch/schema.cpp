#include "batch/schema.hpp"

#include <fmt/format.h>
#include <limits>
#include <stdexcept>

#include "batch/replication.hpp"
#include "model/breakdown.hpp"
#include "model/calendar.hpp"
#include "model/world.hpp"

namespace dasim::batch {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
double per_year(double count, double years) { return count * (years > 0 ? 1 / years : 0); }
double ratio(double num, double den) { return den > 0 ? num / den : kNaN; }
}  // namespace

const std::vector<Measure<model::AreaTally>>& area_measures() {
  using A = model::AreaTally;
  // Wait measures are of those who started: NaN in a replication where nobody did.
  static const std::vector<Measure<A>> m{
      {{"entered", "people/year", "Referrals (people a year)"}, [](const A& a, double y) { return per_year(a.entered, y); }},
      {{"declined", "people/year", "Declined (people a year)"}, [](const A& a, double y) { return per_year(a.declined, y); }},
      {{"started", "people/year", "Started (people a year)"}, [](const A& a, double y) { return per_year(a.started, y); }},
      {{"disengaged", "people/year", "Gave up while waiting (people a year)"},
       [](const A& a, double y) { return per_year(a.disengaged, y); }},
      {{"completed", "people/year", "Completed (people a year)"}, [](const A& a, double y) { return per_year(a.completed, y); }},
      {{"wait_mean", "days", "Mean wait (days)"}, [](const A& a, double) { return ratio(a.wait_sum, a.started); }},
      {{"wait_p50", "days", "Median wait (days)"},
       [](const A& a, double) { return a.started > 0 ? a.waits.quantile(0.5) : kNaN; }},
      {{"wait_p90", "days", "90th-percentile wait (days)"},
       [](const A& a, double) { return a.started > 0 ? a.waits.quantile(0.9) : kNaN; }},
      {{"wait_p95", "days", "95th-percentile wait (days)"},
       [](const A& a, double) { return a.started > 0 ? a.waits.quantile(0.95) : kNaN; }},
      {{"within_target", "share", "Share started within target"},
       [](const A& a, double) { return ratio(a.within_target, a.started); }},
  };
  return m;
}

const std::vector<Measure<ServiceTime>>& service_measures() {
  using S = ServiceTime;
  static const std::vector<Measure<S>> m{
      {{"mean_queue", "people", "Waiting (people, time average)"},
       [](const S& s, double) { return ratio(s.queue_area, s.observed_days); }},
      {{"mean_busy", "places", "Places in use (time average)"},
       [](const S& s, double) { return ratio(s.busy_area, s.observed_days); }},
      {{"mean_capacity", "places", "Places (time average)"},
       [](const S& s, double) { return ratio(s.capacity_area, s.observed_days); }},
      {{"occupancy", "share", "Occupancy (share of places)"},
       [](const S& s, double) { return ratio(s.busy_area, s.capacity_area); }},
      {{"over_recommended_places", "places", "Cases above the recommended caseload (time average)"},
       [](const S& s, double) { return ratio(s.over_area, s.observed_days); }},
  };
  return m;
}

const std::vector<Measure<model::PoolStats>>& pool_measures() {
  using P = model::PoolStats;
  static const std::vector<Measure<P>> m{
      {{"mean_queue", "people", "Waiting (people, time average)"}, [](const P& s, double) { return s.mean_queue(); }},
      {{"mean_busy", "places", "Places in use (time average)"}, [](const P& s, double) { return s.mean_busy(); }},
      {{"mean_capacity", "places", "Places (time average)"}, [](const P& s, double) { return s.mean_capacity(); }},
      {{"occupancy", "share", "Occupancy (share of places)"},
       [](const P& s, double) { return ratio(s.busy_area, s.capacity_area); }},
      // Little's law on the queue: L (time-average queue) against lambda W (exits a day x mean time queued).
      {{"little_L", "people", "Little's law: time-average queue (people)"}, [](const P& s, double) { return s.mean_queue(); }},
      {{"little_lambda_W", "people", "Little's law: throughput x mean time queued (people)"},
       [](const P& s, double) { return ratio(s.queue_time, s.observed_days); }},
      {{"over_recommended", "share", "Time above the recommended caseload (share)"},
       [](const P& s, double) { return ratio(s.over_time, s.observed_days); }},
      {{"throughput", "people/year", "Completed (people a year)"},
       [](const P& s, double y) { return y > 0 ? s.total().completed / y : 0; }},
      {{"longest_queue", "people", "Longest waiting list (people)"}, [](const P& s, double) { return static_cast<double>(s.longest_queue); }},
  };
  return m;
}

const std::vector<Measure<model::MonthBin>>& monthly_measures() {
  using M = model::MonthBin;
  static const std::vector<Measure<M>> m{
      {{"entered", "people", "Referrals (people in the month)"}, [](const M& b, double) { return b.entered; }},
      {{"declined", "people", "Declined (people in the month)"}, [](const M& b, double) { return b.declined; }},
      {{"started", "people", "Started (people in the month)"}, [](const M& b, double) { return b.started; }},
      {{"disengaged", "people", "Gave up while waiting (people in the month)"}, [](const M& b, double) { return b.disengaged; }},
      {{"completed", "people", "Completed (people in the month)"}, [](const M& b, double) { return b.completed; }},
      {{"wait_mean", "days", "Mean wait (days)"}, [](const M& b, double) { return ratio(b.wait_sum, b.started); }},
      {{"mean_queue", "people", "Waiting (people, month average)"}, [](const M& b, double) { return ratio(b.queue_area, b.days); }},
      {{"mean_busy", "places", "Places in use (month average)"}, [](const M& b, double) { return ratio(b.busy_area, b.days); }},
      {{"occupancy", "share", "Occupancy (share of places)"},
       [](const M& b, double) { return ratio(b.busy_area, b.capacity_area); }},
  };
  return m;
}

const std::vector<Measure<TotalsSource>>& total_measures() {
  using T = TotalsSource;
  static const std::vector<Measure<T>> m{
      {{"people", "people/year", "New referrals (people a year)"}, [](const T& t, double y) { return t.world->people / y; }},
      {{"repeats", "people/year", "Repeat referrals (people a year)"}, [](const T& t, double y) { return t.world->repeats / y; }},
      {{"relocations", "people/year", "Moved across a boundary (people a year)"},
       [](const T& t, double y) { return t.world->relocations / y; }},
      {{"retriaged", "people/year", "Triaged again after a move (people a year)"},
       [](const T& t, double y) { return t.world->retriaged / y; }},
      {{"lost_at_retriage", "people/year", "Lost at a second triage (people a year)"},
       [](const T& t, double y) { return t.world->lost_at_retriage / y; }},
      {{"service_cost", "GBP/year", "Service cost (£ a year)"}, [](const T& t, double) { return t.service_cost; }},
      {{"outcome_cost", "GBP/year", "Outcome costs (£ a year)"},
       [](const T& t, double) { return t.cashable_outcome + t.societal_outcome; }},
      {{"cashable_outcome_cost", "GBP/year", "Cashable outcome costs (£ a year)"},
       [](const T& t, double) { return t.cashable_outcome; }},
      {{"societal_outcome_cost", "GBP/year", "Societal outcome costs (£ a year)"},
       [](const T& t, double) { return t.societal_outcome; }},
      {{"events", "events", "Events simulated"}, [](const T& t, double) { return t.world->events; }},
      {{"harmed_while_waiting", "people/year", "Further abuse while waiting (people a year)"},
       [](const T& t, double y) { return t.world->harmed_while_waiting / y; }},
      // People by role (MODEL.md §3, model/household.hpp): new referrals, and the children they bring.
      {{"victims", "people/year", "Adult victims referred (people a year)"}, [](const T& t, double y) { return t.world->victims / y; }},
      {{"children", "people/year", "Children in the households referred (people a year)"},
       [](const T& t, double y) { return t.world->children / y; }},
      {{"perpetrators", "people/year", "Perpetrators referred (people a year)"},
       [](const T& t, double y) { return t.world->perpetrators / y; }},
      // Perpetrator work linked to the victim's household (docs/model.md §4.3): of the perpetrators above, those
      // whose case opened through the victim's referral, and of them those who completed a programme.
      {{"linked_perpetrators", "people/year", "Perpetrators linked to the victim's household (people a year)"},
       [](const T& t, double y) { return t.world->linked_perpetrators / y; }},
      {{"linked_completed", "people/year", "Linked perpetrators who completed a programme (people a year)"},
       [](const T& t, double y) { return t.world->linked_completed / y; }},
      // Children as people (docs/model.md §4.3): children on cases of their own who completed a service, and the
      // time-average number waiting (their days waited over the observed window, Little's law).
      {{"children_supported", "people/year", "Children supported (completed a service, people a year)"},
       [](const T& t, double y) { return t.world->children_supported / y; }},
      {{"children_waiting", "people", "Children waiting (people, time average)"},
       [](const T& t, double y) { return ratio(t.world->child_wait_days, y * model::kDaysPerYear); }},
      // Perpetrators worked with beside their household (docs/model.md §4.3): opened with the family at early help,
      // and self-referrers matched to a household still open.
      {{"family_perpetrators", "people/year", "Perpetrators worked with in whole-family early help (people a year)"},
       [](const T& t, double y) { return t.world->family_perpetrators / y; }},
      {{"matched_perpetrators", "people/year", "Self-referring perpetrators matched to a household (people a year)"},
       [](const T& t, double y) { return t.world->matched_perpetrators / y; }},
      // Harm avoided by perpetrator work (docs/model.md §4.3): the outcome cost the completed programmes took off
      // their households' expected costs, in this option's own run.
      {{"perpetrator_cost_avoided", "GBP/year", "Outcome costs avoided by perpetrator programmes (£ a year, expected)"},
       [](const T& t, double y) { return (t.world->perpetrator_cost_avoided[0] + t.world->perpetrator_cost_avoided[1]) / y; }},
      {{"perpetrator_cashable_avoided", "GBP/year", "Cashable outcome costs avoided by perpetrator programmes (£ a year, expected)"},
       [](const T& t, double y) { return t.world->perpetrator_cost_avoided[0] / y; }},
  };
  return m;
}

const std::vector<Measure<PayerCost>>& outcome_measures() {
  static const std::vector<Measure<PayerCost>> m{
      {{"cashable_cost", "GBP/year", "Cashable outcome costs (£ a year)"}, [](const PayerCost& c, double y) { return c[0] / y; }},
      {{"societal_cost", "GBP/year", "Societal outcome costs (£ a year)"}, [](const PayerCost& c, double y) { return c[1] / y; }},
  };
  return m;
}

const std::vector<Measure<model::CareTally>>& care_measures() {
  using C = model::CareTally;
  constexpr int kCin = static_cast<int>(model::CareState::child_in_need);
  constexpr int kCp = static_cast<int>(model::CareState::child_protection);
  constexpr int kLac = static_cast<int>(model::CareState::looked_after);
  // Children in a state on an average day: the child-days in the window over its days.
  static const std::vector<Measure<C>> m{
      {{"entered_child_in_need", "people/year", "Children starting a Child in Need plan (children a year)"},
       [](const C& c, double y) { return per_year(c.entered[kCin], y); }},
      {{"entered_child_protection", "people/year", "Children starting a Child Protection plan (children a year)"},
       [](const C& c, double y) { return per_year(c.entered[kCp], y); }},
      {{"entered_looked_after", "people/year", "Children taken into care (children a year)"},
       [](const C& c, double y) { return per_year(c.entered[kLac], y); }},
      {{"in_child_in_need", "people", "Children on a Child in Need plan (average day)"},
       [](const C& c, double y) { return ratio(c.child_days[kCin], y * model::kDaysPerYear); }},
      {{"in_child_protection", "people", "Children on a Child Protection plan (average day)"},
       [](const C& c, double y) { return ratio(c.child_days[kCp], y * model::kDaysPerYear); }},
      {{"in_looked_after", "people", "Children in care (average day)"},
       [](const C& c, double y) { return ratio(c.child_days[kLac], y * model::kDaysPerYear); }},
      {{"de_escalations", "people/year", "Child Protection plans stepped down or closed (children a year)"},
       [](const C& c, double y) { return per_year(c.de_escalations, y); }},
      {{"de_escalations_after_support", "people/year",
        "Child Protection plans stepped down or closed after the adult completed support (children a year)"},
       [](const C& c, double y) { return per_year(c.de_escalations_after_support, y); }},
      {{"care_cost", "GBP/year", "Children's social care cost (£ a year)"}, [](const C& c, double y) { return per_year(c.cost, y); }},
  };
  return m;
}

namespace {
template <class Source>
std::vector<Metric> metrics_of(const std::vector<Measure<Source>>& measures) {
  std::vector<Metric> out;
  for (const auto& m : measures) out.push_back(m.metric);
  return out;
}

enum GroupIndex {
  kArea, kService, kPool, kMonthly, kPoolMonthly, kHistogram, kTotals, kOutcome,
  kRisk, kSource, kRiskOutcome, kSourceOutcome, kCare, kRiskCare, kSourceCare
};
}  // namespace

const std::vector<Group>& groups() {
  using R = ReplicationResult;
  static const std::vector<Group> g{
      {"area_metrics", "area_metrics_data", "area_metrics", {Axis::service, Axis::area}, true, false,
       metrics_of(area_measures()), &R::area_metrics},
      {"service_metrics", "service_metrics_data", "service_metrics", {Axis::service}, true, false,
       metrics_of(service_measures()), &R::service_metrics},
      {"pool_metrics", "pool_metrics_data", "pool_metrics", {Axis::pool}, true, false,
       metrics_of(pool_measures()), &R::pool_metrics},
      {"monthly", "monthly_data", "monthly_metrics", {Axis::service, Axis::month}, true, false,
       metrics_of(monthly_measures()), &R::monthly},
      {"pool_monthly", "pool_monthly_data", "monthly_metrics", {Axis::pool, Axis::month}, true, true,
       metrics_of(monthly_measures()), &R::pool_monthly},
      {"wait_histogram", "wait_histogram_by_replication", "", {Axis::service, Axis::area, Axis::bin}, false, false,
       {{"waits", "people", "People who started, by wait"}}, &R::histogram},
      {"totals", "totals_data", "totals_metrics", {}, true, false, metrics_of(total_measures()), &R::totals},
      {"outcome_cost", "outcome_cost", "", {Axis::payer}, true, false, metrics_of(outcome_measures()),
       &R::outcome_cost},
      // MODEL.md §8: every result by risk level and referral source as well as by service and area.
      {"risk_metrics", "risk_metrics_data", "area_metrics", {Axis::service, Axis::risk}, true, false,
       metrics_of(area_measures()), &R::risk_metrics},
      {"source_metrics", "source_metrics_data", "area_metrics", {Axis::service, Axis::source}, true, false,
       metrics_of(area_measures()), &R::source_metrics},
      {"risk_outcome_cost", "risk_outcome_cost", "", {Axis::risk}, true, false, metrics_of(outcome_measures()),
       &R::risk_outcome_cost},
      {"source_outcome_cost", "source_outcome_cost", "", {Axis::source}, true, false, metrics_of(outcome_measures()),
       &R::source_outcome_cost},
      // Children's social care as states (model/social_care.hpp), by the household's area, risk level and source.
      {"care_metrics", "care_metrics_data", "care_metrics", {Axis::area}, true, false, metrics_of(care_measures()),
       &R::care_metrics},
      {"risk_care_metrics", "risk_care_metrics_data", "care_metrics", {Axis::risk}, true, false,
       metrics_of(care_measures()), &R::risk_care_metrics},
      {"source_care_metrics", "source_care_metrics_data", "care_metrics", {Axis::source}, true, false,
       metrics_of(care_measures()), &R::source_care_metrics},
  };
  return g;
}

const Group& area_group() { return groups()[kArea]; }
const Group& service_group() { return groups()[kService]; }
const Group& pool_group() { return groups()[kPool]; }
const Group& monthly_group() { return groups()[kMonthly]; }
const Group& pool_monthly_group() { return groups()[kPoolMonthly]; }
const Group& histogram_group() { return groups()[kHistogram]; }
const Group& totals_group() { return groups()[kTotals]; }
const Group& outcome_group() { return groups()[kOutcome]; }
const Group& risk_group() { return groups()[kRisk]; }
const Group& source_group() { return groups()[kSource]; }
const Group& risk_outcome_group() { return groups()[kRiskOutcome]; }
const Group& source_outcome_group() { return groups()[kSourceOutcome]; }
const Group& care_group() { return groups()[kCare]; }
const Group& risk_care_group() { return groups()[kRiskCare]; }
const Group& source_care_group() { return groups()[kSourceCare]; }

const char* axis_name(Axis axis) {
  switch (axis) {
    case Axis::service: return "service";
    case Axis::area: return "area";
    case Axis::pool: return "pool";
    case Axis::month: return "month";
    case Axis::payer: return "payer";
    case Axis::bin: return "bin";
    case Axis::risk: return "risk";
    case Axis::source: return "source";
  }
  return "?";
}

std::vector<std::string> axis_labels(Axis axis, const model::Scenario& s) {
  std::vector<std::string> out;
  switch (axis) {
    case Axis::service: return s.services;
    case Axis::area:
      for (const auto& a : s.areas) out.push_back(a.name);
      out.push_back("all");
      return out;
    case Axis::pool:
      for (const auto& p : s.pools) out.push_back(p.name);
      return out;
    case Axis::month: return month_labels(s);
    case Axis::payer: return s.payers;
    case Axis::bin: return out;
    case Axis::risk: return model::risk_levels(s);
    case Axis::source: return model::source_labels(s);
  }
  return out;
}

std::size_t axis_size(Axis axis, const model::Scenario& s) {
  return axis == Axis::bin ? static_cast<std::size_t>(kHistogramBins) : axis_labels(axis, s).size();
}

std::size_t Shape::size() const {
  std::size_t n = 1;
  for (std::size_t d : dims) n *= d;
  return n;
}

std::size_t Shape::at(std::initializer_list<std::size_t> index) const {
  if (index.size() != dims.size()) throw std::logic_error("Shape::at: wrong number of indices");
  std::size_t at = 0, k = 0;
  for (std::size_t i : index) at = at * dims[k++] + i;
  return at;
}

Shape Group::shape(const model::Scenario& scenario) const {
  Shape out;
  for (Axis a : axes) out.dims.push_back(axis_size(a, scenario));
  if (metric_axis) out.dims.push_back(metrics.size());
  return out;
}

std::size_t Group::metric(const std::string& wanted) const {
  for (std::size_t i = 0; i < metrics.size(); ++i)
    if (metrics[i].name == wanted) return i;
  throw std::logic_error(fmt::format("results schema: group {} has no metric {}", name, wanted));
}

std::vector<std::string> Group::units() const {
  if (labels.empty()) return {metrics.front().units};
  std::vector<std::string> out;
  for (const auto& m : metrics) out.push_back(m.units);
  return out;
}

bool adds_across_services(const Metric& metric) { return metric.units == "people/year"; }

std::vector<double> bin_edges() {
  // The log spacing continued one bin past the last gives the top edge (1e4 days), the same top the model's
  // quantiles interpolate to.
  std::vector<double> edges;
  for (int b = 0; b <= kHistogramBins; ++b) edges.push_back(model::WaitHistogram::lower_edge(b));
  return edges;
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

}  // namespace dasim::batch
