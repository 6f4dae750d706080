#pragma once
// What the end-to-end tests of the dasim binary share: running it (or a shell command), a fresh folder per test,
// a small scenario and reading a file.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace dasim::test_support {

struct Result {
  int status;          // the exit code, or 128 + the signal that ended it
  std::string output;  // stdout and stderr together
};

/// Runs a shell command, stderr with stdout.
inline Result shell(const std::string& command) {
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  std::string out;
  std::array<char, 4096> buffer;
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), out};
}

/// Runs dasim with `args`; `environment` (e.g. "NAME=value") is set for it alone.
inline Result run(const std::string& args, const std::string& environment = "") {
  return shell((environment.empty() ? "" : "env " + environment + " ") + DASIM_BINARY + " " + args);
}

/// A fresh folder for each test, with an empty `out` folder in it; removed afterwards.
class CliFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("dasim-cli-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "out");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  bool out_is_empty() const { return std::filesystem::is_empty(dir_ / "out"); }
  std::filesystem::path dir_;
};

/// Runs dasim with `args` (the name the run-file and precision tests use).
inline Result run_dasim(const std::string& args, const std::string& environment = "") { return run(args, environment); }

/// A busy small scenario: one pool at about 80% load, two years.
inline const char* const kBusyScenario = R"(
[scenario]
name = "small"
[simulation]
years = 2
warmup_years = 0.5
[areas.a]
population = 100
[[arrivals]]
name = "referrals"
area = "a"
rate_per_year = 2000
to = "idva"
[pools.idva]
workers = 4
cases_per_worker = 5
duration = { dist = "exponential", mean = 3 }
)";

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace dasim::test_support
