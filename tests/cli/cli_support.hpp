#pragma once
// What the end-to-end tests of run files and --precision share: running the dasim binary and reading a file.
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/wait.h>

namespace dasim::test_support {

struct Result {
  int status;
  std::string output;  // stdout and stderr together
};

/// Runs dasim with `args` (a shell command line after the binary); `environment` (e.g. "NAME=value") is set for it
/// alone.
inline Result run_dasim(const std::string& args, const std::string& environment = "") {
  const std::string command = (environment.empty() ? "" : "env " + environment + " ") + DASIM_BINARY + " " + args + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  std::string out;
  std::array<char, 4096> buffer;
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), out};
}

/// A small scenario: one pool at about 80% load, two years.
inline const char* const kSmallScenario = R"(
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
