#pragma once
// The `dasim` command line: parsing with CLI11, and one function per subcommand.
#include <cstdint>
#include <string>
#include <vector>

#include "model/spec.hpp"

namespace dasim::cli {

struct RunOptions {
  std::vector<std::string> scenarios;
  int replications = 10;
  bool replications_given = false;
  double precision = 0;  // > 0: add replications until the key measures are this precise (-r is the maximum)
  std::uint64_t seed = 1;
  std::string output = "results";
  std::string name;
  int jobs = 1;
  bool force = false;
  bool resume = false;
  bool by_area = false;  // print each area as well as all areas (--full-table)
  bool quiet = false;
  bool progress_lines = false;  // off a terminal, a line per finished replication (dasim serve reads them)
  bool monthly_by_pool = false;
  long only_replication = -1;
  // one-at-a-time sensitivity of the baseline's assumptions
  bool sensitivity = false;
  double spread = 0.25;
  int sensitivity_replications = 10;
  std::vector<std::string> metrics;
  std::string vary_only;
};

/// Runs `dasim` with these arguments; returns the process exit code (0 ok, 1 failed run, 2 bad input).
int main(int argc, char** argv);

/// Parses the arguments and runs the subcommand (MPI, if any, is already started).
int dispatch(int argc, char** argv);
int run(std::vector<model::Scenario> scenarios, const RunOptions& options);
int check(const std::vector<std::string>& scenarios, std::uint64_t seed);
int report(const std::string& results, const std::string& out, bool pdf, const std::string& baseline = "");

}  // namespace dasim::cli
