// A routing loop that takes no simulated time never lets the clock move: the run would spin for ever. Such a loop
// is a property of the scenario's routes, so it is refused when the scenario loads rather than found at run time.
#include <fmt/format.h>

#include "scenario/builder.hpp"

namespace dasim::scenario {

namespace {

bool takes_no_time(const random::Distribution& d) { return d.mean() == 0; }  // durations are never negative

bool route_takes_no_time(const model::Route& r) { return !r.delay || takes_no_time(*r.delay); }

/// Whether a case can leave `pool` by this kind of route at the moment it arrived there.
bool leaves_at_once(const model::PoolSpec& pool, const std::vector<model::Route>& routes) {
  if (&routes == &pool.on_decline) return true;  // a decline happens on arrival
  // A meeting's cases wait for a sitting, and a scheduled group's for an intake: each at least a day on.
  const auto* group = std::get_if<model::GroupSpec>(&pool.kind);
  const bool meeting = pool.unit() == model::CapacityUnit::sittings || (group && group->schedule_every > 0);
  if (&routes == &pool.on_disengage) return (pool.patience && takes_no_time(*pool.patience)) || (!meeting && takes_no_time(pool.duration));
  return !meeting && takes_no_time(pool.duration);  // next and also: on completing
}

}  // namespace

void ScenarioBuilder::check_zero_time_loops() const {
  // Pools are the nodes; an edge runs from a pool to each pool a route of it can send a case to at no cost in
  // time (a person keeps their area, so only the pools serving the areas the pool serves).
  const std::size_t n = s_.pools.size();
  struct Edge {
    std::size_t to;
    std::string via;  // "next", "also", "on_decline" or "on_disengage"
  };
  std::vector<std::vector<Edge>> edges(n);
  for (std::size_t p = 0; p < n; ++p) {
    const model::PoolSpec& pool = s_.pools[p];
    const std::pair<const std::vector<model::Route>*, const char*> kinds[] = {
        {&pool.next, "next"}, {&pool.also, "also"}, {&pool.on_decline, "on_decline"}, {&pool.on_disengage, "on_disengage"}};
    for (const auto& [routes, via] : kinds) {
      if (!leaves_at_once(pool, *routes)) continue;
      for (const model::Route& r : *routes) {
        if (!route_takes_no_time(r)) continue;
        for (const int service : r.to) {
          if (service == model::kExit) continue;
          for (std::size_t a = 0; a < s_.areas.size(); ++a)
            if (pool.serves_area[a]) edges[p].push_back({static_cast<std::size_t>(s_.service_pool[service][a]), via});
        }
      }
    }
  }
  // Depth-first search for a cycle; `on_path` holds the pools (and the routes taken) from the root to here.
  enum State { unseen, open, done };
  std::vector<State> state(n, unseen);
  std::vector<std::pair<std::size_t, std::string>> path;
  std::function<void(std::size_t)> visit = [&](std::size_t p) {
    state[p] = open;
    for (const Edge& e : edges[p]) {
      path.emplace_back(p, e.via);
      if (state[e.to] == open) {
        std::string loop;
        bool in_loop = false;
        for (const auto& [q, via] : path) {
          in_loop = in_loop || q == e.to;
          if (in_loop) loop += fmt::format("'{}' --{}--> ", s_.pools[q].name, via);
        }
        loop += fmt::format("'{}'", s_.pools[e.to].name);
        fail(*root_["pools"][s_.pools[e.to].name].node(), "pools." + s_.pools[e.to].name,
             fmt::format("a routing loop that takes no time: {}; every step can happen at once, so the clock would "
                         "never move (give a duration or a route `delay` above 0 on the way)", loop));
      }
      if (state[e.to] == unseen) visit(e.to);
      path.pop_back();
    }
    state[p] = done;
  };
  for (std::size_t p = 0; p < n; ++p)
    if (state[p] == unseen) visit(p);
}

}  // namespace dasim::scenario
