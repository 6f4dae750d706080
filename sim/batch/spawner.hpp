#pragma once
// Workers fork from a small process, not from the parent. The parent grows over a batch (results, summary), and
// fork costs in proportion to the process that forks (its page tables: 3 ms at 50 MB, 72 ms at 1.2 GB, measured
// in issue 13). So run_tasks first forks a spawner, while the parent is still small; the spawner forks each worker
// on request and passes the read end of the worker's result pipe back over a Unix socket (SCM_RIGHTS). The
// spawner reaps its workers and reports how each ended. If the parent dies, the spawner sees its socket close and
// exits; running workers then find their pipe closed.
#include <cstdint>
#include <functional>
#include <map>
#include <sys/types.h>

namespace dasim::batch {

class Spawner {
 public:
  /// Forks the spawner. `work(index, fd)` runs in each worker: it writes the result to `fd` and must not return.
  explicit Spawner(std::function<void(std::size_t index, int fd)> work);
  ~Spawner();  // closes the socket: the spawner ends
  Spawner(const Spawner&) = delete;
  Spawner& operator=(const Spawner&) = delete;

  struct Started {
    pid_t pid;
    int fd;  // read end of the worker's result pipe, owned by the caller
  };
  /// Starts a worker for task `index`.
  Started start(std::size_t index);
  /// How worker `pid` ended (a waitpid status), waiting for the spawner to reap it.
  int status_of(pid_t pid);
  /// What the spawner sends back (declared here for the spawner's own loop).
  struct Message;

 private:
  Message receive(int* fd);
  int socket_ = -1;
  pid_t pid_ = -1;
  std::map<pid_t, int> ended_;  // statuses reported before they were asked for
};

}  // namespace dasim::batch
