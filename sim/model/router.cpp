#include "model/router.hpp"

namespace dasim::model {

Router::Router(const Scenario& scenario) : scenario_(scenario) {
  retriage_.to = {scenario.relocation.front_door};
  retriage_.weights = {1.0};
  retriage_.delay = scenario.relocation.retriage_delay;
}

bool Router::applies(const Route& route, Person& person) const {
  if (!matches(route.when, person)) return false;
  return route.p >= 1 || person.rng.uniform() < route.p;
}

int Router::choose(const Route& route, Person& person) const {
  if (route.to.size() == 1) return route.to.front();
  const double u = person.rng.uniform();
  for (std::size_t i = 0; i < route.to.size(); ++i)
    if (u < route.weights[i]) return route.to[i];
  return route.to.back();
}

Destination Router::take(const Route& route, Person& person) const {
  if (!applies(route, person)) return {};
  return {choose(route, person), &route};
}

Destination Router::first(const std::vector<Route>& routes, Person& person) const {
  for (const Route& route : routes)
    if (applies(route, person)) return {choose(route, person), &route};
  return {};
}

const std::vector<Route>& Router::onward(const PoolSpec& pool, Outcome outcome) {
  switch (outcome) {
    case Outcome::completed: return pool.next;
    case Outcome::declined: return pool.on_decline;
    case Outcome::disengaged: return pool.on_disengage;
  }
  return pool.next;
}

Relocation Router::relocate(const PoolSpec& pool, Person& person) const {
  const RelocationSpec& r = scenario_.relocation;
  if (!r.enabled || pool.service != r.front_door) return {};
  if (person.relocated || person.rng.uniform() >= r.probability) return {};
  person.relocated = true;
  const int from = person.attributes[kArea];
  double total = 0;
  for (std::size_t a = 0; a < scenario_.areas.size(); ++a)
    if (static_cast<int>(a) != from) total += scenario_.areas[a].population;
  double u = person.rng.uniform() * total;
  int to = from;
  for (std::size_t a = 0; a < scenario_.areas.size() && to == from; ++a)
    if (static_cast<int>(a) != from && (u -= scenario_.areas[a].population) < 0) to = static_cast<int>(a);
  if (to == from) return {};  // every other area has no population
  person.attributes[kArea] = static_cast<std::int16_t>(to);
  // One front door for both areas: the case follows the person.
  if (scenario_.service_pool[r.front_door][to] == scenario_.service_pool[r.front_door][from]) return {Move::followed, {}};
  if (person.rng.uniform() < r.retriage_dropout) return {Move::lost, {}};
  return {Move::retriage, {r.front_door, &retriage_}};
}

}  // namespace dasim::model
