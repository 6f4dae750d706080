// End to end: the dasim binary on real files, good and bad.
#include <gtest/gtest.h>

#include <array>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "cli/cli_support.hpp"

namespace fs = std::filesystem;

namespace {

using dasim::test_support::Result;
using dasim::test_support::run;

const char* kScenario = dasim::test_support::kBusyScenario;

class Cli : public dasim::test_support::CliFolder {
 protected:
  void SetUp() override {
    CliFolder::SetUp();
    write("small.toml", kScenario);
  }
};

}  // namespace

TEST_F(Cli, HelpExplainsEveryOption) {
  const Result main_help = run("--help");
  EXPECT_EQ(main_help.status, 0);
  for (const char* word : {"run", "check", "report"}) EXPECT_NE(main_help.output.find(word), std::string::npos) << word;
  const Result run_help = run("run --help");
  EXPECT_EQ(run_help.status, 0);
  for (const char* option : {"--replications", "--seed", "--output", "--jobs", "--resume", "--force", "--name"})
    EXPECT_NE(run_help.output.find(option), std::string::npos) << option;
}

TEST_F(Cli, RunWritesResultsAndASummaryTable) {
  const Result r = run("run " + path("small.toml") + " -r 3 -q -o " + path("out"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(fs::exists(dir_ / "out" / "small.h5"));
  EXPECT_TRUE(fs::exists(dir_ / "out" / "small-summary.csv"));
  // By default a short table: all areas only, in display names (the key made readable where none is given).
  const Result table = run("run " + path("small.toml") + " -r 3 --force -o " + path("out"));
  EXPECT_NE(table.output.find("Idva — all areas"), std::string::npos) << table.output;
  EXPECT_EQ(table.output.find("Idva — A\n"), std::string::npos) << table.output;
  EXPECT_NE(table.output.find(" to "), std::string::npos) << "intervals read 'low to high': " << table.output;
  const Result full = run("run " + path("small.toml") + " -r 3 --force --full-table -o " + path("out"));
  EXPECT_NE(full.output.find("Idva — A\n"), std::string::npos) << "each area has its own table: " << full.output;
}

TEST_F(Cli, BadScenariosGiveFileLineAndNoResults) {
  struct Case {
    std::string text, expected;
  };
  const std::vector<Case> cases{
      {"[areas.a\n", "bad.toml:1:"},
      {std::string(kScenario) + "colour = \"red\"\n", "unknown key 'colour'"},
      {std::string(kScenario) + "[pools.x]\nduration = 1\nworkers = \"many\"\n", "bad.toml:20:11: pools.x.workers: must be a whole number"},
      {std::string(kScenario) + "[pools.x]\nduration = 1\nworkers = 0\n", "must be a whole number >= 1, got 0"},
      {std::string(kScenario) + "[[arrivals]]\nname = \"n\"\narea = \"a\"\nrate_per_year = nan\nto = \"idva\"\n", "must be a finite number"},
      {std::string(kScenario) + "[[arrivals]]\nname = \"n\"\narea = \"a\"\nrate_per_year = -1\nto = \"idva\"\n", "bad.toml:21:17: arrivals.n.rate_per_year: must be between 0 and 100000000, got -1"},
  };
  for (const Case& c : cases) {
    write("bad.toml", c.text);
    const Result r = run("run " + path("bad.toml") + " -r 2 -o " + path("out"));
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_NE(r.output.find(c.expected), std::string::npos) << "expected '" << c.expected << "' in: " << r.output;
    EXPECT_EQ(r.output.find("terminate called"), std::string::npos) << r.output;
    EXPECT_TRUE(out_is_empty()) << "no result may be left behind for: " << c.expected;
  }
  const Result missing = run("run " + path("nothing.toml") + " -o " + path("out"));
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.output.find("nothing.toml"), std::string::npos) << missing.output;
  const Result check = run("check " + path("bad.toml"));
  EXPECT_EQ(check.status, 2) << check.output;
}

TEST_F(Cli, NeverOverwritesWithoutForceAndRejectsConflictingFlags) {
  ASSERT_EQ(run("run " + path("small.toml") + " -r 2 -q -o " + path("out")).status, 0);
  const auto before = fs::last_write_time(dir_ / "out" / "small.h5");
  const Result again = run("run " + path("small.toml") + " -r 2 -q -o " + path("out"));
  EXPECT_NE(again.status, 0);
  EXPECT_NE(again.output.find("--force"), std::string::npos) << again.output;
  EXPECT_EQ(fs::last_write_time(dir_ / "out" / "small.h5"), before);
  const Result both = run("run " + path("small.toml") + " --force --resume -o " + path("out"));
  EXPECT_EQ(both.status, 2) << both.output;
  EXPECT_NE(both.output.find("excludes"), std::string::npos) << both.output;
}

TEST_F(Cli, UnwritableOutputFolderIsReported) {
  write("file-not-folder", "x");
  const Result r = run("run " + path("small.toml") + " -r 2 -q -o " + path("file-not-folder") + "/sub");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("cannot create the output folder"), std::string::npos) << r.output;
}

TEST_F(Cli, AFullDiskLeavesNoFileThatLooksComplete) {
  // A file-size limit makes writes fail as a full disk does.
  const std::string command = "bash -c 'ulimit -f 20; trap \"\" XFSZ; exec " + std::string(DASIM_BINARY) + " run " +
                              path("small.toml") + " -r 20 -q -o " + path("out") + "' 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  std::string out;
  std::array<char, 4096> buffer;
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  EXPECT_NE(WEXITSTATUS(status), 0) << out;
  EXPECT_NE(out.find("disk full"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(dir_ / "out" / "small.h5"));
  EXPECT_FALSE(fs::exists(dir_ / "out" / ".small.h5.tmp"));
}

TEST_F(Cli, InterruptKeepsAPartialFileAndResumeFinishesItIdentically) {
  write("slow.toml", std::string(kScenario).replace(std::string(kScenario).find("years = 2"), 9, "years = 60"));
  ASSERT_EQ(run("run " + path("slow.toml") + " -r 12 -q -s 5 -o " + path("out") + " --name whole").status, 0);
  // Start the same run, interrupt it part way, then resume.
  const pid_t pid = ::fork();
  if (pid == 0) {
    const std::string out = path("out");
    ::execl(DASIM_BINARY, DASIM_BINARY, "run", path("slow.toml").c_str(), "-r", "12", "-q", "-s", "5", "-o", out.c_str(),
            "--name", "cut", nullptr);
    _exit(127);
  }
  // Interrupt once the journal has a finished replication in it: by then the run has taken over SIGINT (a fixed
  // delay raced the start-up on a loaded machine and killed the process before it could keep anything).
  const fs::path journal = dir_ / "out" / "cut.journal";
  std::uintmax_t opened = 0;
  for (int waited = 0; waited < 6000; ++waited) {
    std::error_code ec;
    const std::uintmax_t size = fs::file_size(journal, ec);
    if (!ec && opened == 0) opened = size;
    if (!ec && opened > 0 && size > opened) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid, SIGINT);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 0) GTEST_SKIP() << "the run finished before the interrupt; nothing to resume";
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_FALSE(fs::exists(dir_ / "out" / "cut.h5")) << "an interrupted run must not look complete";
  ASSERT_TRUE(fs::exists(dir_ / "out" / "cut.h5.partial"));
  const Result other = run("run " + path("small.toml") + " -r 12 -q -s 5 -o " + path("out") + " --name cut --resume");
  EXPECT_NE(other.status, 0);
  EXPECT_NE(other.output.find("has changed since the interrupted run"), std::string::npos) << other.output;
  const Result resumed = run("run " + path("slow.toml") + " -r 12 -q -s 5 -o " + path("out") + " --name cut --resume");
  ASSERT_EQ(resumed.status, 0) << resumed.output;
  EXPECT_FALSE(fs::exists(dir_ / "out" / "cut.h5.partial"));
  // The resumed summary equals the uninterrupted one, number for number.
  std::ifstream a(dir_ / "out" / "whole-summary.csv"), b(dir_ / "out" / "cut-summary.csv");
  std::string whole((std::istreambuf_iterator<char>(a)), {}), cut((std::istreambuf_iterator<char>(b)), {});
  EXPECT_EQ(whole, cut);
}

TEST_F(Cli, CheckPrintsResolvedParametersAndWarnsOfOverload) {
  const Result ok = run("check " + path("small.toml"));
  EXPECT_EQ(ok.status, 0) << ok.output;
  EXPECT_NE(ok.output.find("pool idva"), std::string::npos) << ok.output;
  EXPECT_NE(ok.output.find("rho 0.8"), std::string::npos) << ok.output;  // 2000/365.25 x 3 / 20 = 0.82
  std::string overloaded = kScenario;
  overloaded.replace(overloaded.find("rate_per_year = 2000"), 20, "rate_per_year = 4000");
  write("over.toml", overloaded);
  const Result warn = run("check " + path("over.toml"));
  EXPECT_NE(warn.output.find("WARNING: rho >= 1"), std::string::npos) << warn.output;
}

TEST_F(Cli, SweepRunsEveryGridPointOnCommonRandomNumbers) {
  write("sweep.toml", "scenario = \"small.toml\"\nmode = \"grid\"\n[[vary]]\nkey = \"pools.idva.workers\"\nvalues = [4, 6]\n"
                      "[[vary]]\nkey = \"arrivals.referrals.rate_per_year\"\nvalues = [1000, 2000]\n");
  const Result r = run("sweep " + path("sweep.toml") + " -r 3 -q -o " + path("out"));
  ASSERT_EQ(r.status, 0) << r.output;
  std::ifstream csv(dir_ / "out" / "sweep-summary.csv");
  const std::string text((std::istreambuf_iterator<char>(csv)), {});
  for (const char* point : {"small[pools.idva.workers=4;arrivals.referrals.rate_per_year=1000]",
                            "small[pools.idva.workers=6;arrivals.referrals.rate_per_year=2000]"})
    EXPECT_NE(text.find(point), std::string::npos) << point;
  // Common random numbers: the same referrals arrive whatever the number of workers.
  EXPECT_NE(text.find("difference,small[pools.idva.workers=6;arrivals.referrals.rate_per_year=1000],"
                      "small[pools.idva.workers=4;arrivals.referrals.rate_per_year=1000],(total),,all,people,people/year,0,0,0,0"),
            std::string::npos);
  write("bad-sweep.toml", "scenario = \"small.toml\"\n[[vary]]\nkey = \"pools.idva.wrokers\"\nvalues = [4]\n");
  const Result bad = run("sweep " + path("bad-sweep.toml") + " -r 2 -q -o " + path("out") + " --force");
  EXPECT_EQ(bad.status, 2) << bad.output;
  EXPECT_NE(bad.output.find("cannot vary 'pools.idva.wrokers'"), std::string::npos) << bad.output;
}

TEST_F(Cli, SweepTakesRunsOptionsIncludingResume) {
  write("sweep.toml", "scenario = \"small.toml\"\n[[vary]]\nkey = \"pools.idva.workers\"\nvalues = [4, 6]\n");
  const Result none = run("sweep " + path("sweep.toml") + " -r 3 -q -o " + path("out") + " --resume");
  EXPECT_NE(none.status, 0);
  EXPECT_NE(none.output.find("nothing to resume"), std::string::npos) << none.output;
  ASSERT_EQ(run("sweep " + path("sweep.toml") + " -r 3 -q -s 4 --totals-only -o " + path("out")).status, 0);
  // A partial file with every replication done: the resume reads it all back and reruns nothing.
  fs::copy_file(dir_ / "out" / "sweep.h5", dir_ / "out" / "sweep.h5.partial");
  fs::rename(dir_ / "out" / "sweep-summary.csv", dir_ / "out" / "first-summary.csv");
  const Result resumed = run("sweep " + path("sweep.toml") + " -r 3 -q -s 4 -o " + path("out") + " --resume");
  ASSERT_EQ(resumed.status, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("0 replications"), std::string::npos) << resumed.output;
  std::ifstream a(dir_ / "out" / "first-summary.csv"), b(dir_ / "out" / "sweep-summary.csv");
  const std::string first((std::istreambuf_iterator<char>(a)), {}), again((std::istreambuf_iterator<char>(b)), {});
  EXPECT_FALSE(first.empty());
  EXPECT_EQ(first, again);
  const Result other_seed = run("sweep " + path("sweep.toml") + " -r 3 -q -s 5 -o " + path("out") + " --force --resume");
  EXPECT_EQ(other_seed.status, 2) << "--force and --resume exclude each other: " << other_seed.output;
}

TEST_F(Cli, ReportSaysWhereItLookedForItsScripts) {
  ASSERT_EQ(run("run " + path("small.toml") + " -r 2 -q -o " + path("out")).status, 0);
  const Result missing = run("report " + path("out/small.h5") + " --no-pdf", "DASIM_PLOTS_DIR=" + path("nowhere"));
  EXPECT_EQ(missing.status, 1) << missing.output;
  EXPECT_NE(missing.output.find("DASIM_PLOTS_DIR=" + path("nowhere") + ": no board_pack.py there"), std::string::npos)
      << missing.output;
}

TEST_F(Cli, SensitivityVariesEachAssumptionLowAndHigh) {
  std::string text = kScenario;
  text.replace(text.find("rate_per_year = 2000"), 20, "rate_per_year = 2000  # assumption: no published rate");
  text.replace(text.find("workers = 4"), 11, "workers = 4  # assumption");
  write("assumed.toml", text);
  const Result r = run("run " + path("assumed.toml") + " -r 4 -q --sensitivity --metric idva:all:wait_mean -o " + path("out"));
  ASSERT_EQ(r.status, 0) << r.output;
  std::ifstream csv(dir_ / "out" / "small-sensitivity.csv");  // named after the scenario
  const std::string table((std::istreambuf_iterator<char>(csv)), {});
  EXPECT_NE(table.find("arrivals.referrals.rate_per_year,"), std::string::npos) << table;
  EXPECT_NE(table.find("pools.idva.workers,"), std::string::npos) << table;
  EXPECT_EQ(table.find("cases_per_worker"), std::string::npos) << "only parameters marked assumption vary";
  const Result wrong = run("run " + path("assumed.toml") + " -r 4 -q --sensitivity --metric idva:all:nonsense --force -o " + path("out"));
  EXPECT_EQ(wrong.status, 2) << wrong.output;
  EXPECT_NE(wrong.output.find("no measure 'idva:all:nonsense'"), std::string::npos) << wrong.output;
}

TEST_F(Cli, AFailingReplicationIsNamedWithItsSeedAndTheBatchStops) {
  // Demand far above capacity: the queue grows until the open-case guard stops the replication. (Two full pools
  // declining into each other, the old example, is now refused when the scenario loads.)
  write("loop.toml", std::string(kScenario).replace(std::string(kScenario).find("rate_per_year = 2000"), 20, "rate_per_year = 1e8"));
  const Result r = run("run " + path("loop.toml") + " -r 4 -j 2 -q -o " + path("out"));
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("cases open at once"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("replication seed"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("--only-replication"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "out" / "small.h5")) << "a failed run must not look complete";
  // The rerun the message suggests reproduces the failure alone.
  const Result alone = run("run " + path("loop.toml") + " -r 4 -q --only-replication 0 -o " + path("out"));
  EXPECT_EQ(alone.status, 1) << alone.output;
  EXPECT_NE(alone.output.find("cases open at once"), std::string::npos) << alone.output;
}

TEST_F(Cli, ReportWritesChartsFromARunAndRefusesBadFilesCleanly) {
  ASSERT_EQ(run("run " + path("small.toml") + " -r 3 -q -o " + path("out")).status, 0);
  const Result ok = run("report " + path("out/small.h5") + " --no-pdf --out " + path("report"));
  EXPECT_EQ(ok.status, 0) << ok.output;
  EXPECT_TRUE(fs::exists(dir_ / "report" / "board-pack.html")) << ok.output;
  EXPECT_TRUE(fs::exists(dir_ / "report" / "charts" / "waits.png")) << ok.output;
  write("truncated.h5", "\x89HDF\r\n\x1a\n not really");
  const Result bad = run("report " + path("truncated.h5") + " --no-pdf --out " + path("report2"));
  EXPECT_EQ(bad.status, 2) << bad.output;
  EXPECT_EQ(bad.output.find("Traceback"), std::string::npos) << bad.output;
}

TEST_F(Cli, MonthlySeriesByPoolOnRequest) {
  ASSERT_EQ(run("run " + path("small.toml") + " -r 2 -q --monthly-by-pool -o " + path("out")).status, 0);
  const std::string check = "/usr/bin/python3 -c \"import h5py; f = h5py.File('" + path("out/small.h5") +
                            "'); print(f['scenarios/small/pool_monthly_data'].shape)\" 2>&1";
  FILE* pipe = ::popen(check.c_str(), "r");
  char buffer[256] = {};
  const std::size_t n = std::fread(buffer, 1, sizeof buffer - 1, pipe);
  ::pclose(pipe);
  EXPECT_EQ(std::string(buffer, n), "(2, 1, 25, 9)\n") << "2 replications, 1 pool, 25 months, 9 metrics";
}
