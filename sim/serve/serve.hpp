#pragma once
// `dasim serve`: a local web page where a planner picks a starting scenario, sees its pathway, changes what a
// commissioner controls, saves the option, compares options on common random numbers and takes the board pack.
#include <memory>
#include <string>

namespace CLI {
class App;
}

namespace dasim::serve {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 8765;
  std::string scenarios = "scenarios";
  std::string results = "results";
  int jobs = 0;  // 0: every core
  bool pdf = true;  // the board pack's PDF (needs Chromium)
};

/// The `serve` subcommand, registered on the `dasim` command line; run() only when it was chosen.
struct ServeCommand {
  CLI::App* command = nullptr;
  std::shared_ptr<ServeOptions> options;
  bool chosen() const;
  int run() const;
};
ServeCommand register_serve(CLI::App& app);

/// Serves until SIGINT or SIGTERM; returns the exit code.
int serve(const ServeOptions& options);

}  // namespace dasim::serve
