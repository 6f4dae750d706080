#pragma once
// Where a case goes next: by the routes of the pool it leaves, for how it left, and, after the front door, by a
// move to another area. Relocation is a route like the others: back to the front door of the new area, after the
// re-triage delay. The router decides; the world moves the case. Every decision draws from the person's own
// stream in a fixed order, so that options that route differently keep their people's streams aligned.
#include "model/person.hpp"
#include "model/spec.hpp"

namespace dasim::model {

/// A service to send the case to, by a route (for its delay), or nowhere: the case closes.
struct Destination {
  int service = kExit;
  const Route* route = nullptr;
  bool goes() const { return service != kExit; }
};

/// What a move to another area after triage did to the case.
enum class Move {
  stayed,    // no move
  followed,  // moved, but the same front door serves the new area: the case goes on as usual
  retriage,  // moved to an area with another front door: the case is triaged again there
  lost,      // moved, and disengaged in the handover between front doors
};

struct Relocation {
  Move move = Move::stayed;
  Destination to;  // retriage: the new area's front door
};

class Router {
 public:
  explicit Router(const Scenario& scenario);
  Router(const Router&) = delete;  // retriage_ is pointed at by the destinations it hands out
  Router& operator=(const Router&) = delete;

  /// Where `route` sends this person, or nowhere if it does not apply (or sends them to exit).
  Destination take(const Route& route, Person& person) const;
  /// The first route that applies: its destination, or nowhere if none does or it ends the case.
  Destination first(const std::vector<Route>& routes, Person& person) const;
  /// The exclusive routes out of `pool` for a case that ended there with `outcome`.
  static const std::vector<Route>& onward(const PoolSpec& pool, Outcome outcome);
  /// After completing at the front door, a person may move once to another area (chosen by population); this
  /// changes their area and says what the move does to the case.
  Relocation relocate(const PoolSpec& pool, Person& person) const;

 private:
  bool applies(const Route& route, Person& person) const;
  int choose(const Route& route, Person& person) const;

  const Scenario& scenario_;
  Route retriage_;  // to the front door after a move across a boundary, after the re-triage delay
};

}  // namespace dasim::model
