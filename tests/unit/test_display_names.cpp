// Display names: what a board reads for each key, from the scenario's [display_names], or the key made readable.
#include <gtest/gtest.h>

#include "model/display_names.hpp"
#include "scenario/loader.hpp"
#include "scenario_text.hpp"

using namespace dasim;

namespace {

const std::string kScenario = "[scenario]\nname = \"opt\"\ndisplay_name = \"Pooled option\"\n" + test_support::kTwoAreas +
                              test_support::referrals(100, "idva") + R"(
[pools.idva-here]
service = "idva"
areas = ["here", "there"]
workers = 2
duration = 3

[display_names.services]
idva = "IDVA support"
[display_names.areas]
there = "Over there"
[display_names.parameters]
"pools.*.duration" = "Length of support"
)";

std::string error_of(const std::string& text) {
  try {
    scenario::load_text(text, "names.toml");
  } catch (const scenario::LoadError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(DisplayNames, TheScenarioNamesWhatABoardReadsAndTheRestReadsPlainly) {
  const model::Scenario s = scenario::load_text(kScenario, "names.toml");
  EXPECT_EQ(s.display_name, "Pooled option");
  EXPECT_EQ(model::DisplayNames::of(s.display_names.services, "idva"), "IDVA support");
  EXPECT_EQ(model::DisplayNames::of(s.display_names.areas, "there"), "Over there");
  EXPECT_EQ(model::DisplayNames::of(s.display_names.areas, "here"), "Here") << "unnamed: the key made readable";
  EXPECT_EQ(model::DisplayNames::of(s.display_names.pools, "idva-here"), "Idva here");
  EXPECT_EQ(s.display_names.parameter("pools.idva-here.duration"), "Length of support") << "a pattern names its matches";
  EXPECT_EQ(s.display_names.parameter("relocation.retriage_dropout"), "Relocation retriage dropout");
}

TEST(DisplayNames, AnOptionWithoutANameReadsAsItsKey) {
  std::string text = kScenario;
  text.replace(text.find("display_name = \"Pooled option\"\n"), 31, "");
  EXPECT_EQ(scenario::load_text(text, "names.toml").display_name, "Opt");
}

TEST(DisplayNames, ANameForSomethingTheScenarioDoesNotHaveIsAnError) {
  std::string text = kScenario + "[display_names.funders]\nNobody = \"No one\"\n";
  EXPECT_NE(error_of(text).find("display_names.funders.Nobody: no funder is called 'Nobody'"), std::string::npos) << error_of(text);
  text = kScenario;
  text.replace(text.find("idva = \"IDVA support\""), 21, "idvaa = \"IDVA support\"");
  EXPECT_NE(error_of(text).find("no service is called 'idvaa'"), std::string::npos) << error_of(text);
  EXPECT_NE(error_of(kScenario + "[display_names.colours]\n").find("colours"), std::string::npos);
  text = kScenario;
  text.replace(text.find("\"Over there\""), 12, "\"\"");
  EXPECT_NE(error_of(text).find("must be a non-empty name"), std::string::npos) << error_of(text);
}
