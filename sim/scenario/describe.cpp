// `describe`: the resolved parameters, one per line, as `dasim check` prints them and results files store them.
#include <fmt/format.h>

#include "scenario/loader.hpp"

namespace dasim::scenario {

std::string describe(const model::Scenario& s) {
  std::string out = fmt::format("scenario {}: {}\n", s.name, s.description);
  const auto& sim = s.simulation;
  out += fmt::format("simulation: start {:04}-{:02}-{:02}, {:g} years ({:g} days), warm-up {:g} days\n", sim.start_year,
                     sim.start_month, sim.start_day, sim.years, sim.horizon_days(), sim.warmup_days);
  for (const auto& a : s.areas)
    out += fmt::format("area {}: population {:g}, adult females {:g}\n", a.name, a.population, a.adult_females);
  for (const auto& a : s.attributes) {
    out += fmt::format("attribute {}: {}", a.name,
                       a.kind == model::AttributeKind::count ? "count" : a.kind == model::AttributeKind::flag ? "flag" : "categorical");
    if (a.kind == model::AttributeKind::categorical) {
      std::string values;
      for (const auto& v : a.values) { if (!values.empty()) values += "|"; values += v; }
      out += " " + values;
    }
    out += a.by >= 0 ? fmt::format(" (by attribute #{})\n", a.by) : "\n";
  }
  for (const auto& a : s.arrivals)
    out += fmt::format("arrivals {}: area {}, source {}, {:g} a year, trend {:+g}/yr, {} dated factors -> {}\n", a.name,
                       s.areas[a.area].name, s.sources[a.source], a.rate_per_year, a.trend_per_year, a.dated.size(),
                       s.services[a.service]);
  for (const auto& p : s.pools) {
    std::string areas;
    for (std::size_t a = 0; a < s.areas.size(); ++a)
      if (p.serves_area[a]) { if (!areas.empty()) areas += ","; areas += s.areas[a].name; }
    out += fmt::format("pool {} ({} for {}; areas {}): ", p.name, p.kind_name(), s.services[p.service], areas);
    if (const auto* places = std::get_if<model::PlacesSpec>(&p.kind)) {
      if (places->unit == model::CapacityUnit::staff)
        out += fmt::format("{} workers x {} cases = {} places", p.count, places->cases_per_worker, p.places());
      else
        out += fmt::format("{} units, {}", p.count, places->decline_when_full ? "declines when full" : "waiting list");
    } else if (const auto* group = std::get_if<model::GroupSpec>(&p.kind)) {
      out += fmt::format("{} groups of {}-{}, dropout {:g}", p.count, group->group_min, group->group_max, group->dropout);
    } else if (const auto* meeting = std::get_if<model::MeetingSpec>(&p.kind)) {
      out += fmt::format("sits every {:g} days", meeting->interval);
    }
    out += fmt::format("; duration {}", p.duration.describe());
    if (const auto* places = std::get_if<model::PlacesSpec>(&p.kind); places && places->move_on)
      out += "; move-on " + places->move_on->describe();
    if (p.patience) out += "; patience " + p.patience->describe();
    out += fmt::format("; target {:g} {}\n", p.target_days, p.target_working_days ? "working days" : "d");
  }
  for (const auto& c : s.contracts) {
    out += fmt::format("contract {}: £{:.0f} a year, efficiency {:g}, cost £{:.0f}", c.name, c.annual_value, c.efficiency, c.annual_cost());
    if (c.merges > 1)
      out += fmt::format(", replaces {} contracts: £{:.0f} of management {}", c.merges, c.saving(),
                         c.reinvested ? "reinvested" : "banked");
    if (c.reinvested) out += fmt::format(" as {} units in {}", c.extra_workers, s.pools[c.reinvest_pool].name);
    out += "\n";
    for (const auto& p : c.buys)
      out += fmt::format("  buys {:.2f} units ({} places) of {}: {:.1f}% of £{:.0f} front-line money at £{:.0f} a unit\n",
                         c.front_line() * p.share / p.unit_cost, s.pools[p.pool].places(), s.pools[p.pool].name, 100 * p.share,
                         c.front_line(), p.unit_cost);
  }
  for (const auto& o : s.outcomes)
    out += fmt::format("outcome {}: payer {}, {}, £{:.0f} per case, probability {:g}\n", o.name, s.payers[o.payer],
                       o.cashable ? "cashable" : "societal", o.cost(), o.probability);
  if (s.social_care.enabled) {
    const model::SocialCareSpec& care = s.social_care;
    out += fmt::format("children's social care: payer {}, {}; completed support x{:g} entry, x{:g} escalation, x{:g} de-escalation\n",
                       s.payers[care.payer], care.cashable ? "cashable" : "societal", care.entry_effect[0],
                       care.escalation_effect[0], care.de_escalation_effect[0]);
    const char* names[] = {"Child in Need", "Child Protection", "Looked After"};
    for (int i = 0; i < model::kCareStates; ++i) {
      const model::CareStateSpec& st = care.states[i];
      out += fmt::format("  {}: £{:.0f} + £{:.0f} a year, entry {:g}, periods of {:g} years, then escalate {:g}, step down {:g}, "
                         "close {:g}\n", names[i], st.initial_cost, st.annual_cost, st.entry, st.period_years, st.escalate,
                         st.step_down, st.close);
    }
  }
  return out;
}

}  // namespace dasim::scenario
