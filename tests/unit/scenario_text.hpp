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

/// One stream of referrals, as a scenario's [[arrivals]] table.
inline std::string referrals(double rate_per_year, const std::string& to, const std::string& name = "referrals",
                             const std::string& area = "here") {
  return "\n[[arrivals]]\nname = \"" + name + "\"\narea = \"" + area + "\"\nrate_per_year = " +
         std::to_string(rate_per_year) + "\nto = \"" + to + "\"\n";
}

}  // namespace dasim::test_support
