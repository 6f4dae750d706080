#pragma once
// Commissioning rules that turn contracts into capacity. Applied once to a scenario after it is read, so the
// model, the results and `describe` all see the same staffing.
#include "model/spec.hpp"

namespace dasim::model {

/// Whole workers a contract's reinvested efficiency saving buys a year; what is left over of it is banked.
int reinvested_workers(const ContractSpec& contract);

/// Sets each reinvesting contract's `extra_workers` and adds them to its pool: to the starting staffing and to every
/// later `capacity_changes` entry, since the saving is recurrent and pays for them whatever the base staffing does.
void commission(Scenario& scenario);

}  // namespace dasim::model
