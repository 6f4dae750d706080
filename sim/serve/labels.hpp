#pragma once
// Display names for the page: the scenario's own (its [display_names]), so the page and the board pack agree.
#include <string>

#include "model/spec.hpp"

namespace dasim::serve {

std::string service_label(const model::Scenario& s, int service);
std::string area_label(const model::Scenario& s, int area);

}  // namespace dasim::serve
