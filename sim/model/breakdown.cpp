#include "model/breakdown.hpp"

namespace dasim::model {

int risk_attribute(const Scenario& scenario) {
  const int index = scenario.attribute_index(kRiskAttributeName);
  const AttributeSpec* spec = scenario.attribute(index);
  return spec && spec->kind == AttributeKind::categorical ? index : -1;
}

std::vector<std::string> risk_levels(const Scenario& scenario) {
  const int index = risk_attribute(scenario);
  return index >= 0 ? scenario.attribute(index)->values : std::vector<std::string>{"all"};
}

std::vector<std::string> source_labels(const Scenario& scenario) {
  return scenario.sources.empty() ? std::vector<std::string>{"all"} : scenario.sources;
}

}  // namespace dasim::model
