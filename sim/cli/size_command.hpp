#pragma once
// `dasim size`: the least capacity of a service, and its cost, that meets a target, under each option
// (docs/size.md). Exit codes: 0 every option answered; 2 bad input; 3 a target impossible up to the ceiling, a
// measure that does not improve with capacity, or one that cannot be judged (no results files are written then).
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace dasim::cli {

struct SizeOptions {
  std::vector<std::string> scenarios;
  // Services sized one after another, each with those before it at their answer: --service and --target pair up.
  std::vector<std::string> services;
  std::vector<std::string> targets;   // "within_target >= 0.9"
  std::string area;                   // one area's pools and measure; default all
  std::string risk;                   // judge the target on this risk level's measure (the risk axis); default all
  std::vector<std::string> selections;  // AXIS=LABEL on the target measure's schema axes (a risk axis plugs in here)
  int replications = 10;              // at each level first
  int max_replications = 80;          // near the boundary
  int ceiling = 0;                    // the most capacity tried (0: four times the option's, at least ten more)
  std::uint64_t seed = 1;
  int jobs = 1;
  std::string output = "results";
  std::string name;
  bool force = false;
  bool quiet = false;
};

CLI::App* add_size_command(CLI::App& app, SizeOptions& options);
int size(const SizeOptions& options);

}  // namespace dasim::cli
