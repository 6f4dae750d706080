// The end phase of a run flat in replications, timed on its own: `bench_end_phase R OUT.h5 SCENARIO.toml...` streams
// R fabricated replications of each scenario (every array the schema has, values that vary from one replication to
// the next so the percentiles take real selection) through the Collector into a results file, as `dasim run` does,
// then times Collector::summarise reading the percentiles back from it, and counts its passes over the file.
// bench/end_phase.sh runs it at several R (bench/BATCH-RESULTS.md).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "batch/collector.hpp"
#include "batch/plan.hpp"
#include "batch/schema.hpp"
#include "output/writers.hpp"
#include "scenario/loader.hpp"

namespace {

using namespace dasim;

/// A value of cell `cell` in replication r: a fixed level a cell, spread by a hash of (r, cell) over 0 .. 2 x level.
double fabricated_value(std::uint64_t r, std::size_t cell) {
  std::uint64_t z = r * 0x9E3779B97F4A7C15ull + cell * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  const double u = static_cast<double>(z >> 11) / 9007199254740992.0;
  return (1.0 + static_cast<double>(cell % 97)) * 2.0 * u;
}

/// Counts the passes: a pass reads replication 0 first.
class CountingReader : public batch::ReplicationReader {
 public:
  explicit CountingReader(const batch::ReplicationReader& inner) : inner_(inner) {}
  std::vector<double> read(std::size_t scenario, const batch::Group& group, std::size_t first, std::size_t count) const override {
    passes += first == 0;
    return inner_.read(scenario, group, first, count);
  }
  mutable int passes = 0;

 private:
  const batch::ReplicationReader& inner_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s REPLICATIONS OUT.h5 SCENARIO.toml...\n", argv[0]);
    return 2;
  }
  const int R = std::atoi(argv[1]);
  const std::filesystem::path out = argv[2];
  std::vector<model::Scenario> scenarios;
  for (int i = 3; i < argc; ++i) scenarios.push_back(scenario::load(argv[i]));
  batch::RunRecord record = batch::new_record(scenarios, 1, R, false);
  output::ResultsStream stream(record, out);
  batch::Collector collector(record, [&](int s, const batch::ReplicationResult& r) { stream.write(s, r); }, 1);
  for (int r = 0; r < R; ++r)
    for (std::size_t s = 0; s < scenarios.size(); ++s) {
      batch::ReplicationResult result;
      result.replication = static_cast<std::uint64_t>(r);
      for (const batch::Group& g : batch::groups()) {
        if (g.optional) continue;
        std::vector<double>& v = result.*g.field;
        const std::size_t n = g.shape(scenarios[s]).size();
        for (std::size_t i = 0; i < n; ++i) v.push_back(fabricated_value(static_cast<std::uint64_t>(r) * 7 + s, i));
      }
      collector.add(static_cast<int>(s), std::move(result));
    }
  CountingReader reader(stream);
  const auto start = std::chrono::steady_clock::now();
  const batch::RunSummary summary = collector.summarise(&reader);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("replications %d rows %zu passes %d summarise_s %.2f file_MB %.1f\n", R, summary.rows.size(), reader.passes,
              seconds, static_cast<double>(std::filesystem::file_size(out)) / 1e6);
  return 0;
}
