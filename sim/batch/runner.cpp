#include "batch/runner.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fmt/format.h>
#include <map>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "batch/spawner.hpp"
#include "batch/wire.hpp"

namespace dasim::batch {

namespace {

struct Worker {
  pid_t pid;
  Task task;
  std::string bytes;
};

void write_all(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) _exit(3);
    done += static_cast<std::size_t>(n);
  }
}

/// In the child: run, send "R" + result or "E" + message, and leave without running the parent's destructors.
[[noreturn]] void child(const model::Scenario& scenario, const Task& task, const RunnerOptions& options, int fd) {
  std::signal(SIGINT, SIG_IGN);  // the parent decides what an interrupt means
  std::signal(SIGTERM, SIG_DFL);
  // A worker must not outlive the spawner that forked it (which leaves when the run's process goes, killed by
  // SIGTERM or SIGKILL, say): the kernel sends it SIGKILL when its parent dies; the parent may have died before
  // this line, leaving the worker to init, hence the check.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() == 1) _exit(3);
  try {
    std::string message(1, 'R');
    message += serialize(run_replication(scenario, options.master_seed, task.replication, options.monthly_by_pool));
    write_all(fd, message);
    _exit(0);
  } catch (const std::exception& e) {
    write_all(fd, std::string("E") + e.what());
  } catch (...) {
    write_all(fd, "Eunknown exception");
  }
  _exit(2);
}

std::string describe_failure(const model::Scenario& scenario, const Task& task, std::uint64_t seed, const std::string& why) {
  return fmt::format("replication {} of scenario '{}' failed: {} (master seed {}, replication seed {}; rerun it alone "
                     "with: dasim run SCENARIO --seed {} --only-replication {})",
                     task.replication, scenario.name, why, seed, replication_seed(seed, task.replication), seed,
                     task.replication);
}

}  // namespace

bool run_tasks(const std::vector<const model::Scenario*>& scenarios, const std::vector<Task>& tasks,
               const RunnerOptions& options, const std::function<void(const Task&, ReplicationResult&&)>& on_result) {
  std::map<int, Worker> running;  // by pipe fd
  std::size_t next = 0;
  auto stopping = [&] { return options.stop && options.stop->load(); };
  // Forked now, before any result arrives, so that forking a worker costs the same at the end of the batch as at
  // the start (batch/spawner.hpp).
  Spawner spawner([&](std::size_t index, int fd) { child(*scenarios[tasks[index].scenario], tasks[index], options, fd); });
  auto end_all = [&] {
    for (auto& [fd, w] : running) {
      ::kill(w.pid, SIGKILL);
      spawner.status_of(w.pid);
      ::close(fd);
    }
    running.clear();
  };
  while (next < tasks.size() || !running.empty()) {
    while (!stopping() && next < tasks.size() && static_cast<int>(running.size()) < std::max(1, options.jobs)) {
      const Spawner::Started worker = spawner.start(next);
      running.emplace(worker.fd, Worker{worker.pid, tasks[next], {}});
      ++next;
    }
    if (stopping()) {
      end_all();
      return false;
    }
    std::vector<pollfd> polls;
    for (auto& [fd, w] : running) polls.push_back({fd, POLLIN, 0});
    if (::poll(polls.data(), polls.size(), 200) < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(fmt::format("poll failed: {}", std::strerror(errno)));
    }
    for (const pollfd& p : polls) {
      if (!(p.revents & (POLLIN | POLLHUP | POLLERR))) continue;
      Worker& w = running.at(p.fd);
      char buffer[1 << 16];
      const ssize_t n = ::read(p.fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n > 0) {
        w.bytes.append(buffer, static_cast<std::size_t>(n));
        continue;
      }
      // End of the pipe: the worker has finished, one way or another.
      const int status = spawner.status_of(w.pid);
      ::close(p.fd);
      Worker done = std::move(w);
      running.erase(p.fd);
      const model::Scenario& scenario = *scenarios[done.task.scenario];
      if (stopping()) continue;
      std::string why;
      if (WIFSIGNALED(status)) why = fmt::format("the worker was killed by signal {} ({})", WTERMSIG(status), strsignal(WTERMSIG(status)));
      else if (!done.bytes.empty() && done.bytes[0] == 'E') why = done.bytes.substr(1);
      else if (WEXITSTATUS(status) != 0 || done.bytes.empty() || done.bytes[0] != 'R')
        why = fmt::format("the worker exited with status {}", WEXITSTATUS(status));
      if (!why.empty()) {
        end_all();
        throw ReplicationFailure(describe_failure(scenario, done.task, options.master_seed, why), done.task.scenario,
                                 done.task.replication);
      }
      try {
        on_result(done.task, deserialize(done.bytes.substr(1)));
      } catch (...) {
        end_all();  // e.g. the journal could not be written: stop the workers before reporting it
        throw;
      }
    }
  }
  return !stopping() || next >= tasks.size();
}

}  // namespace dasim::batch
