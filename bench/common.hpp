#pragma once
// What every benchmark shares: the M/M/c system they all simulate, command-line parsing, a wall clock, peak
// memory, and the one result line that bench/run.sh parses.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <sys/resource.h>

namespace dasim::bench {

// M/M/10 with λ = 9 a day and μ = 1 a day (ρ = 0.9); Erlang C gives Wq = 0.6687 days.
constexpr double kArrivalsPerDay = 9.0;
constexpr double kServicesPerDay = 1.0;
constexpr int kServers = 10;
constexpr double kErlangCWait = 0.6687;

struct Options {
  std::uint64_t customers = 200'000;
  std::uint64_t seed = 1;
};

/// `program [customers] [seed]`.
inline Options parse(int argc, char** argv) {
  Options o;
  if (argc > 1) o.customers = std::strtoull(argv[1], nullptr, 10);
  if (argc > 2) o.seed = std::strtoull(argv[2], nullptr, 10);
  if (o.customers == 0) {
    std::fprintf(stderr, "usage: %s [customers > 0] [seed]\n", argv[0]);
    std::exit(2);
  }
  return o;
}

class Stopwatch {
 public:
  double seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

 private:
  using Clock = std::chrono::steady_clock;
  Clock::time_point start_ = Clock::now();
};

/// Runs `simulate` and returns its wall time in seconds. Kept out of line under this one name so that
/// `valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*timed_section*'` counts the instructions
/// of exactly the section the clock times (run.sh does), a measure the load on the machine cannot disturb.
[[gnu::noinline]] inline double timed_section(const std::function<void()>& simulate) {
  const Stopwatch clock;
  simulate();
  return clock.seconds();
}

/// Peak resident set of this process so far, in KiB (Linux reports ru_maxrss in KiB).
inline long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

/// One line of key=value pairs: readable, and easy for run.sh to pick apart.
inline void report(const char* implementation, double customers, double seconds, double mean_wait, double events) {
  std::printf("impl=%s customers=%.0f seconds=%.4f customers_per_s=%.0f mean_wait=%.4f erlang_c=%.4f events=%.0f "
              "peak_rss_kib=%ld\n",
              implementation, customers, seconds, customers / seconds, mean_wait, kErlangCWait, events, peak_rss_kib());
}

}  // namespace dasim::bench
