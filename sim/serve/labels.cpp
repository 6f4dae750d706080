#include "serve/labels.hpp"

namespace dasim::serve {

std::string service_label(const model::Scenario& s, int service) {
  return model::DisplayNames::of(s.display_names.services, s.services[service]);
}

std::string area_label(const model::Scenario& s, int area) {
  return model::DisplayNames::of(s.display_names.areas, s.areas[area].name);
}

}  // namespace dasim::serve
