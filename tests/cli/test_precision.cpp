// End to end: `dasim run --precision` chooses the same number of replications, with the same results, whatever
// the number of workers, and records the procedure and why it stopped.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_support.hpp"

namespace fs = std::filesystem;

namespace {

std::string run(const std::string& args) { return dasim::test_support::run_dasim(args).output; }
using dasim::test_support::slurp;

}  // namespace

TEST(Precision, TheCountAndResultsDoNotDependOnJobs) {
  const fs::path dir = fs::temp_directory_path() / ("dasim-precision-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "tiny.toml") << R"(
[scenario]
name = "tiny"
[simulation]
years = 1
[areas.anywhere]
population = 1
[[arrivals]]
name = "referrals"
area = "anywhere"
rate_per_year = 365
to = "server"
[pools.server]
workers = 2
duration = { dist = "exponential", mean = 1.0 }
)";
  const std::string common = " --precision 0.05 -r 400 -s 9 -o " + dir.string() + " ";
  const std::string one = run("run " + (dir / "tiny.toml").string() + common + "-j 1 --name one");
  const std::string two = run("run " + (dir / "tiny.toml").string() + common + "-j 2 --name two");
  const auto chosen = [](const std::string& out) { return out.substr(out.find("replications: every key measure") - 4, 4); };
  ASSERT_NE(one.find("replications: every key measure"), std::string::npos) << one;
  ASSERT_NE(two.find("replications: every key measure"), std::string::npos) << two;
  EXPECT_EQ(chosen(one), chosen(two));
  const std::string a = slurp(dir / "one-summary.csv"), b = slurp(dir / "two-summary.csv");
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, b);
  // The results file says how the count was chosen and why it stopped.
  const std::string h5 = slurp(dir / "one.h5");
  EXPECT_NE(h5.find("Hoad, Robinson and Davies"), std::string::npos);
  EXPECT_NE(h5.find("confirmed over the next"), std::string::npos);
  fs::remove_all(dir);
}
