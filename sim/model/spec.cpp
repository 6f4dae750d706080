#include "model/spec.hpp"

namespace dasim::model {

namespace {
/// One lambda per alternative, for std::visit.
template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;
}  // namespace

int Scenario::attribute_index(const std::string& name) const {
  if (name == "area") return kArea;
  if (name == "source") return kSource;
  for (std::size_t i = 0; i < attributes.size(); ++i)
    if (attributes[i].name == name) return static_cast<int>(i) + kFirstDrawnAttribute;
  return -1;
}

const char* PoolSpec::kind_name() const {
  return std::visit(Overloaded{[](const PlacesSpec& p) { return p.unit == CapacityUnit::staff ? "caseload" : "beds"; },
                               [](const GroupSpec&) { return "group"; }, [](const MeetingSpec&) { return "meeting"; }},
                    kind);
}

CapacityUnit PoolSpec::unit() const {
  return std::visit(Overloaded{[](const PlacesSpec& p) { return p.unit; },
                               [](const GroupSpec&) { return CapacityUnit::groups; },
                               [](const MeetingSpec&) { return CapacityUnit::sittings; }},
                    kind);
}

int PoolSpec::places_for(int n) const {
  return std::visit(Overloaded{[n](const PlacesSpec& p) { return n * p.cases_per_worker; },
                               [n](const GroupSpec& g) { return n * g.group_max; }, [](const MeetingSpec&) { return 0; }},
                    kind);
}

double PoolSpec::mean_hold() const {
  const auto* places = std::get_if<PlacesSpec>(&kind);
  return duration.mean() + (places && places->move_on ? places->move_on->mean() : 0);
}

bool PoolSpec::declines_when_full() const {
  const auto* places = std::get_if<PlacesSpec>(&kind);
  return places && places->decline_when_full;
}

}  // namespace dasim::model
