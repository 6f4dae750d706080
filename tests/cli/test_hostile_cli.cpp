// The dasim binary against hostile files and arguments: each gets exit 2 (bad input) or 1 (a run stopped) with a
// message that says what is wrong, before any replication runs; nothing hangs, crashes or writes outside -o.
#include <gtest/gtest.h>

#include <array>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/mount.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "cli/cli_support.hpp"
#include "unit/scenario_text.hpp"

namespace fs = std::filesystem;

namespace {

using dasim::test_support::Result;
using dasim::test_support::shell;

using dasim::test_support::run;

const std::string kScenario = dasim::test_support::kSmallScenario;

class HostileCli : public dasim::test_support::CliFolder {
 protected:
  void SetUp() override {
    CliFolder::SetUp();
    scenario_ = write("small.toml", kScenario);
  }
  std::string out() const { return path("out"); }
  std::string scenario_;
};

/// Expects exit 2 with `fragment` in the message, and nothing written.
#define EXPECT_BAD_INPUT(result, fragment)                                                    \
  do {                                                                                        \
    const Result r_ = (result);                                                               \
    EXPECT_EQ(r_.status, 2) << r_.output;                                                     \
    EXPECT_NE(r_.output.find(fragment), std::string::npos) << r_.output;                      \
  } while (0)

}  // namespace

// ---- file-based cases: tests/cli/hostile/NAME.toml, whose first line is "# expect: FRAGMENT" -----------------

class HostileFile : public ::testing::TestWithParam<std::string> {};

TEST_P(HostileFile, IsRefusedWithItsMessage) {
  const fs::path file = fs::path(DASIM_HOSTILE_DIR) / (GetParam() + ".toml");
  std::ifstream in(file);
  std::string first;
  std::getline(in, first);
  ASSERT_EQ(first.rfind("# expect: ", 0), 0u) << file;
  const std::string expect = first.substr(10);
  const Result r = shell("timeout 60 " + std::string(DASIM_BINARY) + " check " + file.string());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find(file.filename().string() + ":"), std::string::npos) << "names the file: " << r.output;
  EXPECT_NE(r.output.find(expect), std::string::npos) << r.output;
}

std::vector<std::string> hostile_files() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(DASIM_HOSTILE_DIR))
    if (entry.path().extension() == ".toml") names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

INSTANTIATE_TEST_SUITE_P(Files, HostileFile, ::testing::ValuesIn(hostile_files()),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name) if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

// ---- arguments: refused before any replication runs --------------------------------------------------------

TEST_F(HostileCli, SeedsOutsideSixtyFourBitsAreRefused) {
  EXPECT_BAD_INPUT(run("run " + scenario_ + " -o " + out() + " --seed -1"), "seed '-1' must be a whole number");
  EXPECT_BAD_INPUT(run("run " + scenario_ + " -o " + out() + " --seed 18446744073709551616"),
                   "seed 18446744073709551616 is above the largest");
  EXPECT_BAD_INPUT(run("check " + scenario_ + " --seed 1e3"), "must be a whole number");
  EXPECT_TRUE(fs::is_empty(out()));
}

TEST_F(HostileCli, ResultsNamesStayInsideTheOutputFolder) {
  for (const char* name : {"a/b", "../x", ".", ".."})
    EXPECT_BAD_INPUT(run("run " + scenario_ + " -r 1 -o " + out() + " --name '" + name + "'"),
                     "must be a file name without slashes");
  EXPECT_TRUE(fs::is_empty(out()));
  EXPECT_FALSE(fs::exists(dir_ / "x.h5"));
}

TEST_F(HostileCli, AMetricTypoIsRefusedBeforeTheRun) {
  const Result r = run("run " + scenario_ + " -r 2 -o " + out() + " --sensitivity --metric idva:all:wiat_p90");
  EXPECT_BAD_INPUT(r, "no measure 'idva:all:wiat_p90'");
  EXPECT_EQ(r.output.find("replications in"), std::string::npos) << "the run went ahead: " << r.output;
}

TEST_F(HostileCli, AMistypedFlagIsNamedNotBlamedOnAFile) {
  const Result r = run("run " + scenario_ + " --sed 3");
  EXPECT_BAD_INPUT(r, "not expected: --sed");
  EXPECT_EQ(r.output.find("File does not exist"), std::string::npos) << r.output;
}

TEST_F(HostileCli, AnUnknownCommandGetsADidYouMeanHint) {
  EXPECT_BAD_INPUT(run("runn " + scenario_), "unknown command 'runn' (did you mean 'run'?)");
  EXPECT_BAD_INPUT(run("chekc " + scenario_), "(did you mean 'check'?)");
}

// ---- run-time guards -------------------------------------------------------------------------------------------

TEST_F(HostileCli, RunWarnsOfAnOverloadedPool) {
  std::string text = kScenario;
  text.replace(text.find("rate_per_year = 200"), 19, "rate_per_year = 5000");  // rho = 5000 / 365.25 x 3 / 20 = 2.05
  const Result r = run("run " + write("busy.toml", text) + " -r 2 -o " + out());
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("WARNING (small): 1 pool has more demand than places"), std::string::npos) << r.output;
  // The small scenario's IDVA queue has no patience and no stretch: the warning says what that means.
  EXPECT_NE(r.output.find("= rho 2.0"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("no one gives up waiting, so its queue grows without bound"), std::string::npos) << r.output;
  EXPECT_EQ(run("run " + scenario_ + " -r 2 -o " + out() + " --name calm").output.find("overloaded"), std::string::npos);
}

TEST_F(HostileCli, AReplicationThatOutgrowsMemoryStopsNamingThePool) {
  std::string text = kScenario;
  text.replace(text.find("rate_per_year = 200"), 19, "rate_per_year = 1e8");
  const Result r = shell("timeout 120 " + std::string(DASIM_BINARY) + " run " + write("flood.toml", text) + " -r 1 -q -o " + out());
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("cases open at once"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("pool 'idva' has"), std::string::npos) << r.output;
}

TEST_F(HostileCli, ADamagedPartialFileDoesNotHangResumeOrReport) {
  std::string text = kScenario;
  text.replace(text.find("years = 1"), 9, "years = 30");
  const std::string slow = write("slow.toml", text);
  // Interrupt a run part way to get a partial file, then zero a 4 KiB block inside it.
  const Result first = shell("timeout -s INT 1 " + std::string(DASIM_BINARY) + " run " + slow + " -r 2000 -q -o " + out());
  const fs::path partial = dir_ / "out" / "small.h5.partial";
  ASSERT_TRUE(fs::exists(partial)) << first.output;
  ASSERT_GT(fs::file_size(partial), 8192u);
  {
    std::fstream f(partial, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096);
    const std::string zeros(4096, '\0');
    f.write(zeros.data(), static_cast<std::streamsize>(zeros.size()));
  }
  const auto started = std::chrono::steady_clock::now();
  const Result resumed = shell("DASIM_READ_DEADLINE=2 timeout 60 " + std::string(DASIM_BINARY) + " run " + slow +
                               " -r 2000 -q --resume -o " + out());
  EXPECT_EQ(resumed.status, 2) << resumed.output;
  EXPECT_NE(resumed.output.find("small.h5.partial"), std::string::npos) << resumed.output;
  const Result report = shell("DASIM_READ_DEADLINE=2 timeout 60 " + std::string(DASIM_BINARY) + " report " +
                              partial.string() + " --no-pdf --out " + (dir_ / "pack").string());
  EXPECT_EQ(report.status, 2) << report.output;
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(), 40);
}

TEST_F(HostileCli, SigtermToCheckLeavesNoWorkerBehind) {
  std::string text = kScenario;
  text.replace(text.find("years = 1"), 9, "years = 200");
  text.replace(text.find("rate_per_year = 200"), 19, "rate_per_year = 40000");
  text.replace(text.find("workers = 4"), 11, "workers = 800");
  const std::string file = write("long.toml", text);
  const pid_t parent = ::fork();
  if (parent == 0) {
    ::freopen("/dev/null", "w", stdout);
    ::execl(DASIM_BINARY, DASIM_BINARY, "check", file.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // Wait for the pilot's worker to start, then end the parent alone.
  pid_t worker = 0;
  for (int i = 0; i < 100 && worker == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::ifstream children("/proc/" + std::to_string(parent) + "/task/" + std::to_string(parent) + "/children");
    children >> worker;
  }
  ASSERT_GT(worker, 0) << "no worker started";
  ::kill(parent, SIGTERM);
  ::waitpid(parent, nullptr, 0);
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    gone = ::kill(worker, 0) != 0;  // the worker's zombie is reaped by init once it dies
    std::ifstream stat("/proc/" + std::to_string(worker) + "/stat");
    std::string pid, comm, state;
    if (stat >> pid >> comm >> state) gone = gone || state == "Z";
  }
  EXPECT_TRUE(gone) << "worker " << worker << " outlived its parent";
  if (!gone) ::kill(worker, SIGKILL);
}

TEST_F(HostileCli, AFullDiskDuringTheWriteEndsCleanly) {
  // A small tmpfs is a real full disk; without the right to mount one, a file-size limit stands in for it.
  const fs::path disk = dir_ / "disk";
  fs::create_directories(disk);
  const bool mounted = ::mount("tmpfs", disk.c_str(), "tmpfs", 0, "size=64k") == 0;
  const std::string limit = mounted ? "" : "ulimit -f 24; trap \"\" XFSZ; ";
  std::string text = kScenario;
  text.replace(text.find("years = 1"), 9, "years = 5");
  const Result r = shell("bash -c '" + limit + "exec " + std::string(DASIM_BINARY) + " run " + write("five.toml", text) +
                         " -r 20 -q --monthly-by-pool -o " + disk.string() + "'");
  EXPECT_EQ(r.status, 1) << (mounted ? "tmpfs: " : "ulimit: ") << r.output;  // 139 was a crash in HDF5's exit handler
  EXPECT_NE(r.output.find("disk full"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(disk / "small.h5"));
  if (mounted) ::umount(disk.c_str());
}
