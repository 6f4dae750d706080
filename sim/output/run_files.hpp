#pragma once
// The files of one named run in an output folder, owned by one process at a time.
//
// - NAME.lock, made with O_EXCL and holding the owner's pid: a second run of the same name stops with a clear
//   message instead of sharing temporary files or overwriting the first. A lock whose process is gone is stale:
//   it is explained, finished (see below) and taken over.
// - NAME.journal: every finished replication is appended as it arrives (one write of a checksummed record), so a
//   SIGKILL or the OOM killer loses at most the replications in flight, and --resume reads them back. A torn last
//   record (killed mid-write) fails its checksum and is dropped.
// - The final files are staged under names private to this process (.NAME.h5.PID.tmp, ...), then the lock records
//   a commit list and the staged files are renamed into place. If the process dies mid-way, the next run of that
//   name finds the commit list in the stale lock and completes the renames: the HDF5 and CSV results are both the
//   new ones, or (before the commit list is written) both the old ones.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "batch/replication.hpp"
#include "model/spec.hpp"

namespace dasim::output {

/// Identity of a run: a journal written by another run (other scenarios, seed or options) is refused on resume.
struct RunIdentity {
  std::uint64_t master_seed = 1;
  int replications = 0;
  bool monthly_by_pool = false;
  std::vector<std::string> scenario_texts;  // each scenario's name and source text
};
RunIdentity identity_of(const std::vector<model::Scenario>& scenarios, std::uint64_t master_seed, int replications,
                        bool monthly_by_pool);

class RunFiles {
 public:
  /// Takes the lock of run `name` in `dir`, or throws OutputError naming the process that holds it. `note` is told
  /// about a stale lock taken over (and what was done about its unfinished commit).
  RunFiles(const std::filesystem::path& dir, const std::string& name, const std::function<void(const std::string&)>& note);
  ~RunFiles();  // removes staged files not published, and releases the lock
  RunFiles(const RunFiles&) = delete;
  RunFiles& operator=(const RunFiles&) = delete;

  std::filesystem::path final_path(const std::string& suffix) const { return dir_ / (name_ + suffix); }
  /// This process's private staging name for final_path(suffix).
  std::filesystem::path staged_path(const std::string& suffix) const;
  std::filesystem::path journal_path() const { return journal_of(dir_, name_); }
  static std::filesystem::path journal_of(const std::filesystem::path& dir, const std::string& name) {
    return dir / (name + ".journal");
  }

  /// Opens the journal for appending: a fresh one (any old journal is discarded), or, to resume, the existing one
  /// after checking it was made by the same run. On resume, `on_record` receives each whole record first.
  void open_journal(const RunIdentity& identity, bool resume,
                    const std::function<void(int scenario, batch::ReplicationResult&&)>& on_record);
  /// Appends one finished replication (a single write; the kernel keeps it if this process is then killed).
  void append(int scenario, const batch::ReplicationResult& result);

  /// Writes one file through its staged name and renames it into place (the .h5.partial of an interrupted run).
  void replace(const std::string& suffix, const std::function<void(const std::filesystem::path&)>& write);
  /// Moves the staged file of `staged_suffix` into place as final_path(`final_suffix`) (a streamed results file that
  /// an interrupted run leaves as NAME.h5.partial).
  void place(const std::string& staged_suffix, const std::string& final_suffix);
  /// Moves the staged files (suffixes) into place as one commit, then removes the journal and `also_remove`.
  void publish(const std::vector<std::string>& suffixes, const std::vector<std::filesystem::path>& also_remove);

 private:
  void take_lock(const std::function<void(const std::string&)>& note);
  std::filesystem::path dir_;
  std::string name_;
  std::filesystem::path lock_;
  int journal_fd_ = -1;
  bool locked_ = false;
};

/// Reads every whole record of a journal (for tests and tools); stops at the first torn or corrupt one.
/// Returns the byte length of the whole records read.
/// Throws OutputError if `expected` is given and the journal was made by another run.
std::uint64_t read_journal(const std::filesystem::path& path, const RunIdentity* expected,
                           const std::function<void(int scenario, batch::ReplicationResult&&)>& on_record);

}  // namespace dasim::output
