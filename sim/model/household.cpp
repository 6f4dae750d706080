#include "model/household.hpp"

#include <algorithm>

#include "model/person.hpp"

namespace dasim::model {

const char* age_band_name(AgeBand band) {
  switch (band) {
    case AgeBand::under_5: return "0-4";
    case AgeBand::age_5_to_10: return "5-10";
    case AgeBand::age_11_to_13: return "11-13";
    case AgeBand::age_14_to_17: return "14-17";
  }
  return "?";
}

bool Household::has_teen_boy() const {
  return std::any_of(children.begin(), children.end(), [](const Child& c) { return c.teen_boy(); });
}

namespace {
int value_index(const AttributeSpec* a, const char* name) {
  if (!a) return -1;
  const auto it = std::find(a->values.begin(), a->values.end(), name);
  return it == a->values.end() ? -1 : static_cast<int>(it - a->values.begin());
}
}  // namespace

HouseholdSlots::HouseholdSlots(const Scenario& s) {
  const int c = s.attribute_index("children");
  if (c >= 0 && s.attribute(c) && s.attribute(c)->kind == AttributeKind::count) children = c;
  const int t = s.attribute_index("teen_boy");
  if (t >= 0 && s.attribute(t) && s.attribute(t)->kind == AttributeKind::flag) teen_boy = t;
  const int r = s.attribute_index("role");
  if (r >= 0 && s.attribute(r) && s.attribute(r)->kind == AttributeKind::categorical) {
    role = r;
    perpetrator_role = value_index(s.attribute(r), "perpetrator");
    child_role = value_index(s.attribute(r), "child");
  }
  const int done = s.attribute_index("perpetrator_completed");
  if (done >= 0 && s.attribute(done) && s.attribute(done)->kind == AttributeKind::flag) perpetrator_completed = done;
}

bool HouseholdSlots::is_perpetrator(const Person& person) const {
  return role >= 0 && person.attributes[role] == perpetrator_role;
}

Household draw_household(Person& person, const HouseholdSlots& slots, const HouseholdLaw& law) {
  Household h;
  if (!slots.any()) return h;
  const bool perpetrator = slots.is_perpetrator(person);
  // One variate for the perpetrator whoever was referred, then two per child: the same people in every option.
  h.perpetrator_known = person.rng.uniform() < (perpetrator ? 1.0 : law.perpetrator_known);
  if (slots.children >= 0) {
    if (perpetrator) person.attributes[slots.children] = 0;
    const int n = person.attributes[slots.children];
    h.children.resize(static_cast<std::size_t>(n));
    for (Child& child : h.children) {
      double u = person.rng.uniform(), running = 0;
      child.age = AgeBand::age_14_to_17;
      for (int b = 0; b < kAgeBands; ++b)
        if (u < (running += law.age_share[b])) {
          child.age = static_cast<AgeBand>(b);
          break;
        }
      child.male = person.rng.uniform() < law.male_share;
    }
  }
  if (slots.teen_boy >= 0) person.attributes[slots.teen_boy] = h.has_teen_boy() ? 1 : 0;
  return h;
}

std::uint64_t child_stream(std::uint64_t adult_stream, std::size_t k) {
  return random::mix64(adult_stream ^ random::mix64(0xc4ceb9fe1a85ec53ULL + k));
}

std::uint64_t perpetrator_stream(std::uint64_t adult_stream) {
  return random::mix64(adult_stream ^ 0x5be0cd19137e2179ULL);
}

std::uint64_t match_stream(std::uint64_t perpetrator_stream) {
  return random::mix64(perpetrator_stream ^ 0x1f83d9abfb41bd6bULL);
}

std::uint64_t fingerprint(const Household& household, std::uint64_t person_stream) {
  std::uint64_t code = household.perpetrator_known ? 1 : 0;
  for (const Child& c : household.children) code = random::mix64(code * 16 + static_cast<unsigned>(c.age) * 2 + c.male);
  return random::mix64(person_stream ^ random::mix64(code + household.children.size()));
}

}  // namespace dasim::model
