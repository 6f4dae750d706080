#pragma once
// The run queue: comparisons the page asks for, run as `dasim run` then `dasim report` child processes of this
// executable, at most as many workers at once as the machine has cores; their progress, cancel, and the record
// (results/.serve/NAME.json) that lets a restarted server list them and resume an interrupted one.
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <sys/types.h>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "serve/project.hpp"

namespace dasim::serve {

struct RunRequest {
  std::string name;                  // results name; "" picks one from the date
  std::vector<std::string> options;  // scenario names, the baseline first
  int replications = 0;
  std::uint64_t seed = 0;
};

class RunQueue {
 public:
  RunQueue(const Project& project, int cores, bool pdf = true);
  ~RunQueue();
  /// Checks the request (names, options that exist, ranges) and queues it; returns the run's state.
  nlohmann::json submit(RunRequest request);
  /// Stops a queued or running run and removes every file it made: a cancelled run leaves nothing behind.
  nlohmann::json cancel(const std::string& name);
  /// Starts an interrupted run again from its partial results (`dasim run --resume`), or the board pack alone
  /// for results that have none.
  nlohmann::json resume(const std::string& name);
  /// Every run: the server's records, and results files written from the command line.
  nlohmann::json list() const;
  nlohmann::json status(const std::string& name) const;
  /// Sends SIGTERM to running children (they keep their finished replications), waits, marks them interrupted.
  void shutdown();

 private:
  struct Run {
    nlohmann::json record;  // what results/.serve/NAME.json holds
    pid_t pid = 0;
    std::string phase;      // "run" or "report" while a child runs
    int jobs = 1;
    std::uintmax_t log_read = 0;
  };
  void loop();
  void start(Run& run);
  void finished(Run& run, int status);
  void read_progress(Run& run);
  void save(const Run& run) const;
  void remove_files(const std::string& name) const;
  std::vector<std::string> run_command(const Run& run, bool resume) const;
  int used_jobs() const;

  const Project& project_;
  int cores_;
  bool pdf_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::map<std::string, Run> runs_;
  std::vector<std::string> order_;                 // queue order of the runs
  std::map<std::string, std::string> cancelled_;   // name -> message, kept in memory only (no files)
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace dasim::serve
