#pragma once
// The dimensions besides area that results are split by (MODEL.md §8): risk level and referral source. Each is one
// value per person, so the tallies by risk and by source each add up to the same totals as the tallies by area.
#include <string>
#include <vector>

#include "model/spec.hpp"

namespace dasim::model {

/// The name of the attribute whose values are the risk levels results are split by.
inline constexpr const char* kRiskAttributeName = "risk";

/// The person attribute holding the risk level: a categorical attribute named "risk", or -1 when the scenario has
/// none (every person then counts under one level, "all").
int risk_attribute(const Scenario& scenario);
/// The risk levels results are split by: the risk attribute's values, or {"all"}.
std::vector<std::string> risk_levels(const Scenario& scenario);
/// The referral sources results are split by: the scenario's sources, or {"all"} when it names none.
std::vector<std::string> source_labels(const Scenario& scenario);
inline std::size_t source_count(const Scenario& scenario) { return source_labels(scenario).size(); }

}  // namespace dasim::model
