// End to end: a run's name is locked, finished replications survive SIGKILL in the journal, and the final files
// appear together. Each test drives the dasim binary on files in its own folder.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "cli_support.hpp"

namespace fs = std::filesystem;

namespace {

using dasim::test_support::Result;
using dasim::test_support::slurp;
Result run(const std::string& args) { return dasim::test_support::run_dasim(args); }

/// Waits until `journal` holds some finished replications (a worker finishes in well under a second), then kills
/// the run `pid` without warning. Returns false if the run finished first (nothing left to resume).
bool kill_once_journalled(pid_t pid, const fs::path& journal, const fs::path& final_file) {
  for (int i = 0; i < 400 && !(fs::exists(journal) && fs::file_size(journal) > 20000); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  return !fs::exists(final_file);
}

/// Starts dasim with `args` (split on spaces) in the background; returns its pid.
pid_t start(const std::vector<std::string>& args) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::vector<char*> argv{const_cast<char*>(DASIM_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    std::freopen("/dev/null", "w", stdout);
    ::execv(DASIM_BINARY, argv.data());
    _exit(127);
  }
  return pid;
}

// The small scenario run for 60 years with patience, so that a kill lands mid-run (16 replications finish in
// seconds) and the pools' re-armed and cancelled patience timers are part of what resumes identically.
std::string slow_scenario() {
  std::string text = dasim::test_support::kBusyScenario;
  text.replace(text.find("name = \"small\""), 14, "name = \"slow\"");
  text.replace(text.find("years = 2"), 9, "years = 60");
  return text + "patience = { dist = \"exponential\", mean = 10 }\n";
}

class RunFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("dasim-runfiles-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "out");
    std::ofstream(dir_ / "slow.toml") << slow_scenario();
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::string args(const std::string& name, const std::string& more = "") const {
    return "run " + path("slow.toml") + " -r 16 -j 2 -q -s 3 -o " + path("out") + " --name " + name + more;
  }
  std::vector<std::string> argv(const std::string& name) const {
    return {"run", path("slow.toml"), "-r", "16", "-j", "2", "-q", "-s", "3", "-o", path("out"), "--name", name};
  }
  fs::path dir_;
};

}  // namespace

TEST_F(RunFiles, SigkillKeepsFinishedReplicationsAndResumeIsBitIdentical) {
  ASSERT_EQ(run(args("whole")).status, 0);
  const fs::path journal = dir_ / "out" / "cut.journal";
  if (!kill_once_journalled(start(argv("cut")), journal, dir_ / "out" / "cut.h5")) GTEST_SKIP() << "the run finished before the kill";
  ASSERT_TRUE(fs::exists(journal)) << "finished replications must be on disk before the end of the run";
  EXPECT_FALSE(fs::exists(dir_ / "out" / "cut-summary.csv"));
  // Its workers were killed with it or finish alone; either way the name's lock is stale now.
  const Result fresh = run(args("cut"));
  EXPECT_NE(fresh.status, 0) << "a fresh run must not silently discard the journal";
  EXPECT_NE(fresh.output.find("--resume"), std::string::npos) << fresh.output;
  EXPECT_NE(fresh.output.find("no longer running"), std::string::npos) << "the stale lock is explained: " << fresh.output;
  const Result resumed = run(args("cut", " --resume"));
  ASSERT_EQ(resumed.status, 0) << resumed.output;
  EXPECT_FALSE(fs::exists(journal));
  EXPECT_FALSE(fs::exists(dir_ / "out" / "cut.lock"));
  EXPECT_EQ(slurp(dir_ / "out" / "whole-summary.csv"), slurp(dir_ / "out" / "cut-summary.csv"));
}

TEST_F(RunFiles, ATornLastRecordIsDroppedAndRerun) {
  ASSERT_EQ(run(args("whole")).status, 0);
  const fs::path journal = dir_ / "out" / "torn.journal";
  if (!kill_once_journalled(start(argv("torn")), journal, dir_ / "out" / "torn.h5")) GTEST_SKIP() << "the run finished before the kill";
  // As if killed in the middle of writing a record.
  fs::resize_file(journal, fs::file_size(journal) - 100);
  const Result resumed = run(args("torn", " --resume"));
  ASSERT_EQ(resumed.status, 0) << resumed.output;
  EXPECT_EQ(slurp(dir_ / "out" / "whole-summary.csv"), slurp(dir_ / "out" / "torn-summary.csv"));
}

TEST_F(RunFiles, TwoRunsOfOneNameAtOnceOneWinsTheOtherIsToldAndNothingIsOverwritten) {
  const pid_t first = start(argv("same"));
  // Wait until the first holds the name.
  for (int i = 0; i < 400 && !fs::exists(dir_ / "out" / "same.lock"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const Result second = run(args("same", " --force"));
  int status = 0;
  ::waitpid(first, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_NE(second.status, 0) << second.output;
  EXPECT_NE(second.output.find("being written by another dasim"), std::string::npos) << second.output;
  // What is there is the first run's, complete.
  ASSERT_EQ(run(args("alone")).status, 0);
  EXPECT_EQ(slurp(dir_ / "out" / "alone-summary.csv"), slurp(dir_ / "out" / "same-summary.csv"));
  EXPECT_FALSE(fs::exists(dir_ / "out" / "same.lock"));
  for (const auto& entry : fs::directory_iterator(dir_ / "out"))
    EXPECT_EQ(entry.path().extension() == ".tmp", false) << "left behind: " << entry.path();
}

TEST_F(RunFiles, ACommitInterruptedByAKillIsCompletedByTheNextRunOfThatName) {
  ASSERT_EQ(run(args("done")).status, 0);
  // Stage the files as a dead process (pid 2^22 + 1 is above Linux's pid limit, so never alive) would have,
  // and leave its lock holding the commit list: the kill came between the commit and the renames.
  const fs::path out = dir_ / "out";
  const std::string dead = "4194305";
  fs::rename(out / "done.h5", out / (".next.h5." + dead + ".tmp"));
  fs::rename(out / "done-summary.csv", out / (".next-summary.csv." + dead + ".tmp"));
  std::ofstream(out / "next.lock") << dead << "\ncommit\n"
                                   << (out / (".next.h5." + dead + ".tmp")).string() << "\t" << (out / "next.h5").string() << "\n"
                                   << (out / (".next-summary.csv." + dead + ".tmp")).string() << "\t"
                                   << (out / "next-summary.csv").string() << "\n";
  const Result again = run(args("next"));
  EXPECT_NE(again.output.find("that is now complete"), std::string::npos) << again.output;
  EXPECT_TRUE(fs::exists(out / "next.h5"));
  EXPECT_TRUE(fs::exists(out / "next-summary.csv"));
  EXPECT_NE(again.status, 0) << "the completed files are not overwritten without --force: " << again.output;
  EXPECT_FALSE(fs::exists(out / "next.lock"));
}
