#pragma once
// What the end-to-end tests of the dasim binary share: running it (or a shell command) and a fresh folder per test.
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

}  // namespace dasim::test_support
