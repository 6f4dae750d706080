// dasim size end to end: the least capacity that queueing theory gives, on M/M/c (Erlang C) and M/M/c/c (Erlang B)
// pools; the same answer with 1 and 2 jobs; impossible, non-monotone and malformed input each refused clearly,
// with nothing written.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli/cli_support.hpp"
#include "validation/queueing_theory.hpp"

namespace dasim::test_support {
namespace {

const std::string kValidation = DASIM_SOURCE_DIR "/scenarios/validation/";

class SizeCommand : public CliFolder {
 protected:
  Result size(const std::string& args) { return run("size " + args + " -o " + path("out") + " -q"); }
  std::string csv(const std::string& name) { return slurp(dir_ / "out" / (name + "-sizing.csv")); }
};

/// The CSV line that starts a found answer of `service` at `level` staff.
std::string fmt_row(const std::string& service, int level) {
  return "size_tandem," + service + ",answer,found,staff," + std::to_string(level) + ",";
}

/// The least c whose theoretical measure meets a target, by counting up.
template <class Meets>
int least(Meets meets) {
  int c = 1;
  while (!meets(c)) ++c;
  return c;
}

TEST_F(SizeCommand, MMcFindsTheServersErlangCGivesAndPricesThem) {
  const int theory = least([](int c) { return c > 9 && validation::mmc_wait_within(c, 9, 1, 0.25) >= 0.9; });
  ASSERT_EQ(theory, 13);
  const Result r = size(kValidation + "size_mmc.toml --service server --target \"within_target >= 0.9\" -n mmc");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("Least capacity that meets it: 13 FTE (the option as given has 11)"), std::string::npos) << r.output;
  // 13 servers at £40,000 with 10% on-costs and £20,000 management: £592,000 a year, 60% from the council.
  EXPECT_NE(r.output.find("£355,200"), std::string::npos) << r.output;  // money with thousands separators
  const std::string rows = csv("mmc");
  EXPECT_NE(rows.find("size_mmc,server,answer,found,FTE,13,"), std::string::npos) << rows;
  EXPECT_NE(rows.find("size_mmc,server,target,within_target,share,12,"), std::string::npos) << rows;
  EXPECT_TRUE(std::filesystem::exists(dir_ / "out" / "mmc.h5"));
  const Result h5 = shell("h5dump -A -g /sizing/size_mmc/server " + path("out/mmc.h5"));
  if (h5.status == 0) {
    EXPECT_NE(h5.output.find("\"found\""), std::string::npos) << h5.output;
  }
}

TEST_F(SizeCommand, ErlangBFindsTheLeastBedsDecliningAtMostFivePerCentWithAnyJobs) {
  const int theory = least([](int c) { return validation::erlang_b(c, 6) <= 0.05; });
  ASSERT_EQ(theory, 10);
  const std::string args = kValidation + "size_erlang_b.toml --service beds --target \"declined/entered <= 0.05\" --seed 11";
  const Result one = size(args + " -j 1 -n one");
  ASSERT_EQ(one.status, 0) << one.output;
  EXPECT_NE(one.output.find("Least capacity that meets it: 10 bed units"), std::string::npos) << one.output;
  EXPECT_NE(one.output.find("no cost is given"), std::string::npos) << one.output;
  const Result two = size(args + " -j 2 -n two");
  ASSERT_EQ(two.status, 0) << two.output;
  std::string a = csv("one"), b = csv("two");
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, b);
}

TEST_F(SizeCommand, SeveralServicesAreSizedOneAfterAnotherEachWithTheEarlierAtItsAnswer) {
  const std::string chain = kValidation + "size_tandem.toml";
  const Result r = size(chain + " --service first --target \"within_target >= 0.85\" --service second --target "
                        "\"within_target >= 0.85\" -n chain");
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string rows = csv("chain");
  const int theory = least([](int c) { return c > 4 && validation::mmc_wait_within(c, 4, 1, 0.5) >= 0.85; });
  // The first is an M/M/c queue; the second is fed by its departures, Poisson too (Burke), so the same c serves.
  EXPECT_NE(rows.find(fmt_row("first", theory)), std::string::npos) << rows;
  EXPECT_NE(rows.find(fmt_row("second", theory)), std::string::npos) << rows;
  const Result mismatched = size(chain + " --service first --target \"within_target >= 0.9\" --service second");
  EXPECT_EQ(mismatched.status, 2) << mismatched.output;
  EXPECT_NE(mismatched.output.find("give one target for each service"), std::string::npos) << mismatched.output;
}

TEST_F(SizeCommand, AnImpossibleTargetSaysSoUpToTheCeilingAndWritesNothing) {
  const Result r = size(kValidation + "size_mmc.toml --service server --target \"within_target >= 0.9\" --ceiling 12");
  EXPECT_EQ(r.status, 3) << r.output;
  EXPECT_NE(r.output.find("not met at any level up to the ceiling of 12"), std::string::npos) << r.output;
  EXPECT_TRUE(out_is_empty()) << r.output;
}

TEST_F(SizeCommand, AMeasureThatWorsensWithCapacityIsReportedNotAssumed) {
  // Occupancy falls as servers are added: "at least 60%" is not a target more capacity can meet.
  const Result r = size(kValidation + "size_mmc.toml --service server --target \"occupancy >= 0.6\"");
  EXPECT_EQ(r.status, 3) << r.output;
  EXPECT_NE(r.output.find("does not improve steadily with capacity"), std::string::npos) << r.output;
  EXPECT_TRUE(out_is_empty()) << r.output;
}

// --risk judges the target on the risk axis's cell: a scenario with no risk attribute has the one level "all", whose
// measure is the pool's own, so the answer is Erlang C's.
TEST_F(SizeCommand, RiskSelectsTheRiskAxisCell) {
  const Result r = size(kValidation + "size_mmc.toml --service server --target \"within_target >= 0.9\" --risk all -n mmc-risk");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("Least capacity that meets it: 13 FTE"), std::string::npos) << r.output;
}

TEST_F(SizeCommand, BadInputIsRefusedBeforeAnyReplication) {
  const std::string mmc = kValidation + "size_mmc.toml";
  const struct {
    std::string args, says;
  } cases[] = {
      {mmc + " --service nowhere --target \"within_target >= 0.9\"", "no service 'nowhere'"},
      {mmc + " --service server --target \"happiness >= 0.9\"", "no measure 'happiness'"},
      {mmc + " --service server --target \"within_target > 0.9\"", "no >= or <="},
      {mmc + " --service server --target \"within_target >= 0.9\" --area elsewhere", "no area 'elsewhere'"},
      {mmc + " --service server --target \"within_target >= 0.9\" --select risk", "AXIS=LABEL"},
      {mmc + " --service server --target \"within_target >= 0.9\" --risk high", "has no risk 'high' (it has: all)"},
      {mmc + " --service server --target \"within_target >= 0.9\" -r 20 --max-replications 10", "is below --replications"},
  };
  for (const auto& c : cases) {
    const Result r = size(c.args);
    EXPECT_EQ(r.status, 2) << c.args << "\n" << r.output;
    EXPECT_NE(r.output.find(c.says), std::string::npos) << c.args << "\n" << r.output;
    EXPECT_EQ(r.output.find("replications 0-"), std::string::npos) << "ran before refusing: " << r.output;
  }
  EXPECT_TRUE(out_is_empty());
}

}  // namespace
}  // namespace dasim::test_support
