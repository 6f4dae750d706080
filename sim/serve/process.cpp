#include "serve/process.hpp"

#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace dasim::serve {

fs::path self_executable() { return fs::read_symlink("/proc/self/exe"); }

namespace {
std::vector<char*> c_args(std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (auto& a : argv) out.push_back(a.data());
  out.push_back(nullptr);
  return out;
}
/// The server blocks SIGINT and SIGTERM in every thread (one thread waits for them); a child must not inherit that.
void unblock_signals() {
  sigset_t all;
  sigfillset(&all);
  ::sigprocmask(SIG_UNBLOCK, &all, nullptr);
}
}  // namespace

pid_t spawn(const std::vector<std::string>& argv_in, const fs::path& log, const fs::path& dir) {
  std::vector<std::string> argv = argv_in;
  std::vector<char*> args = c_args(argv);
  const pid_t parent = ::getpid();
  const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (out < 0) throw std::runtime_error(fmt::format("{}: cannot open the run's log: {}", log.string(), std::strerror(errno)));
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(out);
    throw std::runtime_error(fmt::format("cannot start {}: {}", argv[0], std::strerror(errno)));
  }
  if (pid == 0) {
    unblock_signals();
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);  // the server died before prctl
    const int in = ::open("/dev/null", O_RDONLY);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(out, 2);
    if (::chdir(dir.c_str()) != 0) ::_exit(127);
    std::signal(SIGPIPE, SIG_DFL);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // also here, so a cancel right after spawn reaches the group
  ::close(out);
  return pid;
}

std::string capture(const std::vector<std::string>& argv_in, const std::string& input, int timeout_seconds) {
  std::vector<std::string> argv = argv_in;
  std::vector<char*> args = c_args(argv);
  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) || ::pipe2(out, O_CLOEXEC) || ::pipe2(err, O_CLOEXEC))
    throw std::runtime_error(fmt::format("cannot run {}: {}", argv[0], std::strerror(errno)));
  const pid_t pid = ::fork();
  if (pid == 0) {
    unblock_signals();
    std::signal(SIGPIPE, SIG_DFL);
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  std::string stdout_text, stderr_text;
  std::size_t written = 0;
  int to_child = in[1];
  if (input.empty()) ::close(to_child), to_child = -1;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  bool out_open = true, err_open = true, timed_out = false;
  while (out_open || err_open) {
    std::vector<pollfd> fds;
    if (to_child >= 0) fds.push_back({to_child, POLLOUT, 0});
    if (out_open) fds.push_back({out[0], POLLIN, 0});
    if (err_open) fds.push_back({err[0], POLLIN, 0});
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) { timed_out = true; break; }
    if (::poll(fds.data(), fds.size(), static_cast<int>(left)) < 0 && errno != EINTR) break;
    for (const auto& p : fds) {
      if (!p.revents) continue;
      if (p.fd == to_child) {
        const ssize_t n = ::write(to_child, input.data() + written, input.size() - written);
        if (n > 0) written += n;
        if (n < 0 || written == input.size()) ::close(to_child), to_child = -1;
      } else {
        char buffer[8192];
        const ssize_t n = ::read(p.fd, buffer, sizeof buffer);
        std::string& text = p.fd == out[0] ? stdout_text : stderr_text;
        if (n > 0) text.append(buffer, n);
        else (p.fd == out[0] ? out_open : err_open) = false;
      }
    }
  }
  if (to_child >= 0) ::close(to_child);
  ::close(out[0]);
  ::close(err[0]);
  if (timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (timed_out) throw std::runtime_error(fmt::format("{} took longer than {} s", argv[0], timeout_seconds));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error(fmt::format("{} failed: {}", argv[0], stderr_text.substr(0, 2000)));
  return stdout_text;
}

}  // namespace dasim::serve
