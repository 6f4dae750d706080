#pragma once
// Pieces of scenario TOML that many model and loader tests need, written once.
#include <string>

namespace dasim::test_support {

/// One area, `here`, of 1000 people.
inline const std::string kOneArea = "\n[areas.here]\npopulation = 1000\n";
/// Two areas of 1000 people each, `here` and `there`.
inline const std::string kTwoAreas = kOneArea + "[areas.there]\npopulation = 1000\n";

/// A whole small scenario: one area, one stream of 200 referrals a year, one caseload of 4 x 5 places.
inline const std::string kSmallScenario = R"([scenario]
name = "small"
[simulation]
years = 1
[areas.a]
population = 100
[[arrivals]]
name = "referrals"
area = "a"
rate_per_year = 200
to = "idva"
[pools.idva]
workers = 4
cases_per_worker = 5
duration = { dist = "exponential", mean = 3 }
)";

/// A household's children (docs/model.md §4.3): two in three victims have some, 2.5 each when they do, and the
/// teenage-boy flag the model sets from them.
inline const std::string kChildren = R"(
[attributes.has_children]
p = 0.667
[attributes.children]
mean = 2.5
min = 1
when = { has_children = true }
[attributes.teen_boy]
p = 0.0
)";

/// The perpetrator's acceptance of a programme (share `accepts`) and the flag their completed work sets.
inline std::string perpetrator_work(double accepts) {
  return "\n[attributes.perpetrator_completed]\np = 0.0\n[attributes.perpetrator_accepts]\np = " + std::to_string(accepts) +
         "\n";
}

/// Police incidents, one chance in two when a victim's household leaves, 30% fewer once its perpetrator completed
/// their work (Drive evaluation 2020, MODEL.md §7).
inline const std::string kDrivePolice = R"(
[outcomes.police]
payer = "police"
initial_cost = 645
probability = 0.5
perpetrator_completed_effect = 0.7
when = { role = "victim" }
)";

/// One stream of referrals, as a scenario's [[arrivals]] table.
inline std::string referrals(double rate_per_year, const std::string& to, const std::string& name = "referrals",
                             const std::string& area = "here") {
  return "\n[[arrivals]]\nname = \"" + name + "\"\narea = \"" + area + "\"\nrate_per_year = " +
         std::to_string(rate_per_year) + "\nto = \"" + to + "\"\n";
}

}  // namespace dasim::test_support
