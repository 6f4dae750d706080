#pragma once
// Commissioning rules that turn money into capacity. Applied once to a scenario after it is read, so the model,
// the results and `describe` all see the same staffing.
#include <string>
#include <vector>

#include "model/spec.hpp"

namespace dasim::model {

/// The most units one pool can be given (its places must fit the model's counters): more is refused, not truncated.
constexpr double kMaxUnits = 1e8;

/// Whole units of the reinvest pool a contract's reinvested saving buys a year (after on-costs); 0 when banked.
int reinvested_workers(const ContractSpec& contract);

/// The nearest whole number of units that `money` (£ a year) buys at `unit_cost` in contract year `year` (0 = the first), when pay rises
/// by `pay_inflation` a year and the envelope stays fixed (000 §3.13).
/// `places_per_unit` > 1 buys caseload places: a worker's share of money buys that share of their cases.
int units_bought(double money, double unit_cost, double pay_inflation, int year, int places_per_unit = 1);
/// The same before rounding to a whole unit, so a caller can check it fits before it becomes an int.
double units_affordable(double money, double unit_cost, double pay_inflation, int year, int places_per_unit = 1);

/// Derives every bought pool's capacity from its contract's money: the starting count, and a dated change at each
/// contract anniversary where pay inflation erodes what the fixed envelope buys; the term, and so the erosion, starts
/// when the warm-up ends. A reinvested saving's units are
/// added to its pool, and to that pool's dated changes, since the saving recurs. Returns a message for each contract
/// whose money cannot pay its management, or buys more units than a pool can hold (empty when all is well).
std::vector<std::string> commission(Scenario& scenario);

}  // namespace dasim::model
