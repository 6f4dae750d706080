#include "model/world.hpp"

#include <boost/random/poisson_distribution.hpp>
#include <cmath>
#include <fmt/format.h>

#include "model/pools.hpp"

namespace dasim::model {

int Scenario::attribute_index(const std::string& name) const {
  if (name == "area") return kArea;
  if (name == "source") return kSource;
  for (std::size_t i = 0; i < attributes.size(); ++i)
    if (attributes[i].name == name) return static_cast<int>(i) + kFirstDrawnAttribute;
  return -1;
}

World::World(const Scenario& scenario, Scheduler& scheduler, std::uint64_t master_seed, std::uint64_t replication)
    : scenario_(scenario),
      scheduler_(scheduler),
      calendar_(scenario.simulation) {
  for (const ArrivalSpec& a : scenario.arrivals) {
    rates_.emplace_back(a, calendar_, horizon());
    arrival_rngs_.emplace_back(random::stream_seed(master_seed, replication, "arrivals/" + a.name));
    person_streams_.push_back(random::stream_family(master_seed, replication, a.name));
  }
  children_attribute_ = scenario.attribute_index("children");
  retriage_.delay = scenario.relocation.retriage_delay;
  arrival_counts_.assign(scenario.arrivals.size(), 0);
  totals_.outcome_count.assign(scenario.outcomes.size(), 0);
  totals_.outcome_cost.assign(scenario.payers.size(), {0, 0});
  for (const PoolSpec& p : scenario.pools) pools_.push_back(make_pool(*this, p));
}

World::~World() = default;

void World::start() {
  for (std::size_t a = 0; a < rates_.size(); ++a) {
    const double first = rates_[a].next_after(0.0, arrival_rngs_[a]);
    if (first < horizon()) schedule(first, Event{this, kArrival, static_cast<std::uint32_t>(a)});
  }
  for (auto& pool : pools_) pool->start();
  schedule(calendar_.first_day_of_month(1), Event{this, kMonth});
  if (scenario_.simulation.warmup_days > 0)
    schedule(scenario_.simulation.warmup_days, Event{this, kWarmupEnd});
  else
    warm_ = true;
}

void World::finish() {
  for (auto& pool : pools_) pool->close(horizon());
}

void World::on_event(const Event& e) {
  switch (e.kind) {
    case kArrival: {
      arrive(static_cast<int>(e.id));
      const double next = rates_[e.id].next_after(now(), arrival_rngs_[e.id]);
      if (next < horizon()) schedule(next, e);
      break;
    }
    case kMonth:
      ++month_;
      for (auto& pool : pools_) pool->next_month(now());
      if (month_ + 1 < calendar_.months_in_horizon()) schedule(calendar_.first_day_of_month(month_ + 1), e);
      break;
    case kWarmupEnd:
      warm_ = true;
      for (auto& pool : pools_) pool->end_warmup(now());
      break;
    case kDelayedEntry:
      pools_[cases_[e.id].pool]->arrive(e.id);
      break;
    case kRepeat: {
      Person& person = people_[e.id];
      person.completed = person.disengaged = person.declined = false;
      person.waited = 0;
      person.arrived = now();
      for (const auto& [attribute, value] : scenario_.repeat.set) person.attributes[attribute] = static_cast<std::int16_t>(value);
      if (warm_) totals_.repeats += 1;
      const std::uint32_t case_id = open_case(e.id);
      --person.open_cases;  // the pending repeat's hold passes to the new case
      send(case_id, scenario_.repeat.service, nullptr);
      break;
    }
    default: break;
  }
}

void World::arrive(int index) {
  const ArrivalSpec& spec = scenario_.arrivals[index];
  const std::uint32_t id = people_.acquire();
  Person& person = people_[id];
  // The person's own stream is named by who they are, not by when or where they are served.
  person = Person{};
  person.rng = random::Rng(random::stream_member(person_streams_[index], arrival_counts_[index]++));
  person.arrived = now();
  person.attributes[kArea] = static_cast<std::int16_t>(spec.area);
  person.attributes[kSource] = static_cast<std::int16_t>(spec.source);
  draw_attributes(person, spec);
  if (warm_) totals_.people += 1;
  send(open_case(id), spec.service, nullptr);
}

void World::draw_attributes(Person& person, const ArrivalSpec& arrival) {
  for (std::size_t i = 0; i < scenario_.attributes.size(); ++i) {
    const AttributeSpec& a = scenario_.attributes[i];
    const int slot = static_cast<int>(i) + kFirstDrawnAttribute;
    // Draw every attribute's variate even when it is then fixed or not applicable, so that the stream stays
    // aligned person for person across scenarios that fix different attributes.
    const double u = person.rng.uniform();
    int value = 0;
    const int row = a.by >= 0 ? person.attributes[a.by] : 0;
    if (a.kind == AttributeKind::count) {
      const double mean = a.means[std::min<std::size_t>(row, a.means.size() - 1)];
      random::Rng stream(random::mix64(static_cast<std::uint64_t>(u * 0x1.0p53)));
      value = mean > 0 ? std::min(a.max_count, boost::random::poisson_distribution<int>(mean)(stream)) : 0;
    } else {
      const auto& w = a.weights[std::min<std::size_t>(row, a.weights.size() - 1)];
      double running = 0;
      value = static_cast<int>(w.size()) - 1;
      for (std::size_t v = 0; v < w.size(); ++v)
        if (u < (running += w[v])) {
          value = static_cast<int>(v);
          break;
        }
    }
    person.attributes[slot] = static_cast<std::int16_t>(matches(a.when, person) ? value : 0);
  }
  for (const auto& [attribute, value] : arrival.fixed_attributes)
    person.attributes[attribute] = static_cast<std::int16_t>(value);
}

bool World::matches(const Condition& condition, const Person& person) const {
  for (const Clause& c : condition.clauses) {
    const int v = person.attributes[c.attribute];
    if (v < c.min || v > c.max) return false;
    if (v >= 0 && v < 64 && !(c.allowed_mask >> v & 1)) return false;
  }
  return true;
}

bool World::applies(const Route& route, Person& person) {
  if (!matches(route.when, person)) return false;
  return route.p >= 1 || person.rng.uniform() < route.p;
}

int World::choose(const Route& route, Person& person) {
  if (route.to.size() == 1) return route.to.front();
  const double u = person.rng.uniform();
  for (std::size_t i = 0; i < route.to.size(); ++i)
    if (u < route.weights[i]) return route.to[i];
  return route.to.back();
}

std::uint32_t World::open_case(std::uint32_t person_id) {
  const std::uint32_t id = cases_.acquire();
  Case& c = cases_[id];
  const std::uint32_t epoch = c.epoch + 1;  // keeps stale events for the slot's previous case stale
  c = Case{};
  c.person = person_id;
  c.epoch = epoch;
  ++people_[person_id].open_cases;
  return id;
}

void World::close_case(std::uint32_t case_id) {
  Case& c = cases_[case_id];
  ++c.epoch;
  cases_.release(case_id);
  if (--people_[c.person].open_cases == 0) person_leaves(c.person);
}

void World::person_leaves(std::uint32_t id) {
  Person& person = people_[id];
  const int result = static_cast<int>(person.result());
  // Every outcome draws its variates whether or not it applies, keeping streams aligned across options.
  for (std::size_t i = 0; i < scenario_.outcomes.size(); ++i) {
    const OutcomeSpec& o = scenario_.outcomes[i];
    const int draws = o.per_child ? person.attributes[children_attribute_] : 1;
    const bool applies = matches(o.when, person);
    const double p = std::min(1.0, o.probability * o.effect[result] * (1 + o.wait_penalty * person.waited));
    for (int k = 0; k < draws; ++k)
      if (person.rng.uniform() < p && applies && warm_) {
        totals_.outcome_count[i] += 1;
        totals_.outcome_cost[o.payer][o.cashable ? 0 : 1] += o.cost();
      }
  }
  if (scenario_.repeat.enabled) {
    double hazard = scenario_.repeat.annual_hazard[result];
    for (const auto& [when, factor] : scenario_.repeat.modifiers)
      if (matches(when, person)) hazard *= factor;
    const double u = person.rng.uniform();
    if (hazard > 0) {
      const double at = now() - std::log1p(-u) * kDaysPerYear / hazard;
      if (at < horizon()) {
        person.open_cases = 1;
        return schedule(at, Event{this, kRepeat, id});
      }
    }
  }
  people_.release(id);
}

bool World::relocate(std::uint32_t case_id, Person& person) {
  const RelocationSpec& r = scenario_.relocation;
  if (person.relocated || person.rng.uniform() >= r.probability) return false;
  person.relocated = true;
  const int from = person.attributes[kArea];
  double total = 0;
  for (std::size_t a = 0; a < scenario_.areas.size(); ++a)
    if (static_cast<int>(a) != from) total += scenario_.areas[a].population;
  double u = person.rng.uniform() * total;
  int to = from;
  for (std::size_t a = 0; a < scenario_.areas.size() && to == from; ++a)
    if (static_cast<int>(a) != from && (u -= scenario_.areas[a].population) < 0) to = static_cast<int>(a);
  if (to == from) return false;  // every other area has no population
  person.attributes[kArea] = static_cast<std::int16_t>(to);
  if (warm_) totals_.relocations += 1;
  // One front door for both areas: the case follows the person.
  if (scenario_.service_pool[r.front_door][to] == scenario_.service_pool[r.front_door][from]) return false;
  if (warm_) totals_.retriaged += 1;
  if (person.rng.uniform() < r.retriage_dropout) {
    if (warm_) totals_.lost_at_retriage += 1;
    person.disengaged = true;
    close_case(case_id);
    return true;
  }
  send(case_id, r.front_door, &retriage_);
  return true;
}

void World::send(std::uint32_t case_id, int service, const Route* route) {
  Case& c = cases_[case_id];
  const Person& person = people_[c.person];
  c.pool = scenario_.service_pool[service][person.attributes[kArea]];
  if (route && route->delay) {
    const double delay = route->delay->sample(people_[c.person].rng);
    return schedule(now() + delay, Event{this, kDelayedEntry, case_id, c.epoch});
  }
  // Zero-delay routes are followed at once; a scenario whose declines send a case round in a circle would
  // recurse for ever, so stop it with a message naming the pool.
  if (++routing_depth_ > 64) {
    routing_depth_ = 0;
    throw ModelError(fmt::format("routing loop: a case was sent on more than 64 times at day {:.3f}, last to pool '{}'",
                                 now(), scenario_.pools[c.pool].name));
  }
  pools_[c.pool]->arrive(case_id);
  --routing_depth_;
}

void World::finished(std::uint32_t case_id, Outcome outcome) {
  const PoolSpec& spec = scenario_.pools[cases_[case_id].pool];
  Person& person = people_[cases_[case_id].person];
  switch (outcome) {
    case Outcome::completed:
      person.completed |= spec.support;
      for (const auto& [attribute, value] : spec.on_complete_set) person.attributes[attribute] = static_cast<std::int16_t>(value);
      if (scenario_.relocation.enabled && spec.service == scenario_.relocation.front_door && relocate(case_id, person)) return;
      break;
    case Outcome::disengaged: person.disengaged = true; break;
    case Outcome::declined: person.declined = true; break;
  }
  if (outcome == Outcome::completed)
    for (const Route& route : spec.also)
      if (applies(route, person))
        if (const int to = choose(route, person); to != kExit) send(open_case(cases_[case_id].person), to, &route);
  const auto& routes = outcome == Outcome::completed  ? spec.next
                       : outcome == Outcome::declined ? spec.on_decline
                                                      : spec.on_disengage;
  for (const Route& route : routes)
    if (applies(route, person)) {
      const int to = choose(route, person);
      if (to == kExit) break;
      return send(case_id, to, &route);
    }
  close_case(case_id);
}

}  // namespace dasim::model
