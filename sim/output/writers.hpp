#pragma once
// Results files: HDF5 (the full record) and CSV (the summary for spreadsheets). Layout: docs/results-format.md.
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "batch/figures.hpp"
#include "batch/readback.hpp"
#include "batch/results.hpp"
#include "output/error.hpp"

namespace dasim::output {

// 1.1 added /schema, dimension scales, monthly_band and the "(all services)" summary rows.
constexpr int kFormatMajor = 1, kFormatMinor = 1;

/// The commit the binary was built from (refreshed at every build, not only when CMake configures).
const char* build_commit();

/// Writes the whole run to `path` (replications not yet done are stored as NaN, with `done` = 0 and the root
/// attribute `complete` = 0). The caller writes to a temporary name and renames.
void write_hdf5(const batch::RunRecord& run, const batch::RunSummary& summary, const std::filesystem::path& path);

/// A results file written as the run goes: created at the start with every per-replication dataset (NaN until
/// its replication arrives), each replication written as it arrives (in any order), and the rest (counts, figures,
/// summary, and the `complete` flag) at the end. The parent keeps no replication's arrays for the file's sake, and
/// reads the summary's values back from the file (ReplicationReader) for the percentiles, before finish().
class ResultsStream : public batch::ReplicationReader {
 public:
  /// Sized for `run.replications`; finish() may cut the datasets to fewer (a sequential run that stopped early).
  ResultsStream(const batch::RunRecord& run, const std::filesystem::path& path);
  ~ResultsStream() override;
  ResultsStream(const ResultsStream&) = delete;
  ResultsStream& operator=(const ResultsStream&) = delete;
  /// Stores one replication of scenario `scenario` (by its index in the run) in its row.
  void write(int scenario, const batch::ReplicationResult& result);
  /// Reads back rows written (a row not written reads as NaN).
  std::vector<double> read(std::size_t scenario, const batch::Group& group, std::size_t first, std::size_t count) const override;
  /// Writes what depends on the whole run and closes the file. The stream is spent afterwards.
  void finish(const batch::RunRecord& run, const batch::RunSummary& summary);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Reads back the replications stored in a partial file made by the same scenarios, for --resume, a block at a time,
/// handing each done one to `on_result`. Throws OutputError if the file was made by other scenarios, another seed or
/// another replication count.
void read_hdf5_for_resume(const batch::RunRecord& run, const std::filesystem::path& path,
                          const std::function<void(int scenario, batch::ReplicationResult&&)>& on_result);
/// The same, into `run`'s replications (which must be sized for them all).
void read_hdf5_for_resume(batch::RunRecord& run, const std::filesystem::path& path);

void write_csv(const std::vector<batch::Row>& rows, const std::filesystem::path& path);
void write_sensitivity_csv(const batch::RunRecord& run, const std::filesystem::path& path);

/// Writes through a temporary file in the same folder and renames it into place, so a file with the final name is
/// always complete. On any failure the temporary file is removed and the error names the path and the reason.
template <class WriteFn>
void write_atomically(const std::filesystem::path& path, WriteFn write) {
  const std::filesystem::path tmp = path.parent_path() / ("." + path.filename().string() + ".tmp");
  try {
    write(tmp);
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) throw OutputError(path.string() + ": cannot move the finished file into place: " + ec.message());
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    throw;
  }
}

}  // namespace dasim::output
