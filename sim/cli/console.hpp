#pragma once
// What `dasim run` prints: progress on stderr, and the results table and warm-up check on stdout.
#include <chrono>
#include <cstddef>

#include "batch/figures.hpp"
#include "batch/results.hpp"

namespace dasim::cli {

/// Progress on stderr: a bar with an ETA on a terminal, plain lines every ten seconds otherwise.
class Progress {
 public:
  /// `every_line`: off a terminal, a line per update rather than one every ten seconds.
  Progress(std::size_t total, bool quiet, bool every_line = false);
  void update(std::size_t done);
  double seconds() const;

 private:
  std::size_t total_;
  bool quiet_, tty_, every_line_;
  double last_line_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

/// The console table: per service and area (all areas only when `by_area` is false), each option's figures, then
/// paired differences from the first option, then money.
/// "£1,234,567", with thousands separators and a true minus sign: how money is written on the console.
std::string pounds(double value);

void print_summary(const batch::RunRecord& run, const std::vector<batch::Row>& rows, bool by_area);

/// Whether each scenario's warm-up was long enough, by the MSER check of its figures.
void print_warmup(const batch::RunRecord& run, const batch::RunSummary& summary);

/// Each pool's offered load (rho = arrivals x mean hold / places) in one replication: with `every_pool`, a line per
/// pool (as `dasim check` prints); else only a warning for each pool at or above capacity. Returns those pools.
int print_offered_load(const model::Scenario& scenario, const batch::ReplicationResult& replication, bool every_pool);

}  // namespace dasim::cli
