// Children's social care on the command line: bad numbers are refused with the key named, and a sweep reaches its
// parameters like any other scenario number (docs/model.md §9.2).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cli/cli_support.hpp"

namespace {

using dasim::test_support::Result;
using dasim::test_support::run;

/// The busy small scenario with children and a [childrens_social_care] section; `child_protection` is that state's
/// table body, so a case can break it.
std::string with_care(const std::string& child_protection) {
  return std::string(dasim::test_support::kBusyScenario) + R"(
[attributes.children]
mean = 1.5
[childrens_social_care]
de_escalation_effect = { completed = 1.3 }
[childrens_social_care.child_in_need]
entry = 0.2
period_years = 0.5
close = 0.5
[childrens_social_care.child_protection]
)" + child_protection + R"(
[childrens_social_care.looked_after]
period_years = 1
close = 0.5
)";
}

const char* kGoodProtection = "entry = 0.1\nperiod_years = 0.5\nescalate = 0.1\nstep_down = 0.4\nclose = 0.2\n";

class CareCli : public dasim::test_support::CliFolder {};

}  // namespace

TEST_F(CareCli, BadSocialCareNumbersNameTheKeyAndExitNonZero) {
  struct Case {
    std::string protection, expected;
  };
  const std::vector<Case> cases{
      {"entry = 0.1\nperiod_years = -0.5\nclose = 0.2\n", "childrens_social_care.child_protection.period_years: must be"},
      {"entry = 1.5\nperiod_years = 0.5\nclose = 0.2\n", "childrens_social_care.child_protection.entry: must be between 0 and 1, got 1.5"},
      {"entry = 0.1\nperiod_years = 0.5\nescalate = 0.3\nstep_down = 0.5\nclose = 0.4\n",
       "childrens_social_care.child_protection: the chances out of the state (escalate + step_down + close) sum to 1.2, above 1"},
      {"entry = 0.1\nclose = 0.2\n", "childrens_social_care.child_protection: missing required key 'period_years'"},
  };
  for (const Case& c : cases) {
    write("bad.toml", with_care(c.protection));
    const Result r = run("run " + path("bad.toml") + " -r 2 -q -o " + path("out"));
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_NE(r.output.find(c.expected), std::string::npos) << "expected '" << c.expected << "' in: " << r.output;
    EXPECT_NE(r.output.find("bad.toml:"), std::string::npos) << "the file and line are named: " << r.output;
    EXPECT_TRUE(out_is_empty()) << c.expected;
  }
  // Looked After does not step down: a key it cannot have is refused by name.
  std::string text = with_care(kGoodProtection);
  text.replace(text.find("period_years = 1\n"), 17, "period_years = 1\nstep_down = 0.1\n");
  write("bad.toml", text);
  const Result extra = run("check " + path("bad.toml"));
  EXPECT_EQ(extra.status, 2) << extra.output;
  EXPECT_NE(extra.output.find("step_down"), std::string::npos) << extra.output;
}

TEST_F(CareCli, ASweepVariesASocialCareParameter) {
  write("care.toml", with_care(kGoodProtection));
  write("sweep.toml", "scenario = \"care.toml\"\nmode = \"list\"\n[[vary]]\n"
                      "key = \"childrens_social_care.child_protection.step_down\"\nvalues = [0.4, 0.0]\n");
  const Result r = run("sweep " + path("sweep.toml") + " -r 3 -q -o " + path("out"));
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string csv = dasim::test_support::slurp(dir_ / "out" / "sweep-summary.csv");
  // With no step down fewer Child Protection plans de-escalate: the paired difference is negative.
  EXPECT_NE(csv.find("difference,care[childrens_social_care.child_protection.step_down=0],"
                     "care[childrens_social_care.child_protection.step_down=0.4],(children's social care),,all,"
                     "de_escalations,people/year,-"),
            std::string::npos)
      << csv.substr(0, 500);
  // A value out of range through the sweep is refused as in the file.
  write("bad-sweep.toml", "scenario = \"care.toml\"\n[[vary]]\nkey = \"childrens_social_care.child_protection.close\"\n"
                          "values = [0.9]\n");
  const Result bad = run("sweep " + path("bad-sweep.toml") + " -r 2 -q --force -o " + path("out"));
  EXPECT_EQ(bad.status, 2) << bad.output;
  EXPECT_NE(bad.output.find("sum to 1.4, above 1"), std::string::npos) << bad.output;
}
