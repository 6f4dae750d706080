#include "batch/spawner.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fmt/format.h>
#include <poll.h>
#include <stdexcept>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace dasim::batch {

struct Spawner::Message {
  std::int32_t kind = 0;  // kStarted (with the pipe's read end attached), kEnded, or kFailed (status = errno)
  std::int32_t pid = 0;
  std::int32_t status = 0;
};

namespace {

enum : std::int32_t { kStarted, kEnded, kFailed };

void send_message(int socket, const void* data, std::size_t size, int fd = -1) {
  iovec iov{const_cast<void*>(data), size};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  if (fd >= 0) {
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(c), &fd, sizeof fd);
  }
  while (::sendmsg(socket, &msg, MSG_NOSIGNAL) < 0 && errno == EINTR) {
  }
}

/// The spawner's life: fork a worker per request, report each worker's end, leave when the parent goes.
[[noreturn]] void serve(int socket, const std::function<void(std::size_t, int)>& work) {
  // The parent decides what an interrupt or a termination means (it ends the workers, then closes this socket).
  std::signal(SIGINT, SIG_IGN);
  std::signal(SIGTERM, SIG_IGN);
  sigset_t chld, old;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  ::sigprocmask(SIG_BLOCK, &chld, &old);
  const int ended = ::signalfd(-1, &chld, SFD_CLOEXEC);
  for (;;) {
    pollfd polls[2] = {{socket, POLLIN, 0}, {ended, POLLIN, 0}};
    if (::poll(polls, 2, -1) < 0 && errno != EINTR) _exit(1);
    if (polls[1].revents & POLLIN) {
      signalfd_siginfo info;
      while (::read(ended, &info, sizeof info) < 0 && errno == EINTR) {
      }
    }
    // Reap every worker that has ended (signals merge, so ask until there is none).
    int status = 0;
    for (pid_t pid; (pid = ::waitpid(-1, &status, WNOHANG)) > 0;) {
      const Spawner::Message m{kEnded, pid, status};
      send_message(socket, &m, sizeof m);
    }
    if (polls[0].revents & POLLIN) {
      std::uint64_t index = 0;
      const ssize_t n = ::recv(socket, &index, sizeof index, 0);
      if (n == 0) _exit(0);  // the parent has gone
      if (n != sizeof index) continue;
      int fds[2];
      if (::pipe(fds) != 0) {
        const Spawner::Message m{kFailed, 0, errno};
        send_message(socket, &m, sizeof m);
        continue;
      }
      const pid_t pid = ::fork();
      if (pid == 0) {
        ::sigprocmask(SIG_SETMASK, &old, nullptr);
        ::close(ended);
        ::close(socket);
        ::close(fds[0]);
        work(static_cast<std::size_t>(index), fds[1]);
        _exit(3);  // work() must not return
      }
      ::close(fds[1]);
      const Spawner::Message m{pid < 0 ? kFailed : kStarted, pid, pid < 0 ? errno : 0};
      send_message(socket, &m, sizeof m, pid < 0 ? -1 : fds[0]);
      ::close(fds[0]);
    } else if (polls[0].revents & (POLLHUP | POLLERR)) {
      _exit(0);
    }
  }
}

}  // namespace

Spawner::Spawner(std::function<void(std::size_t, int)> work) {
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0)
    throw std::runtime_error(fmt::format("cannot create a socket for the worker spawner: {}", std::strerror(errno)));
  std::fflush(nullptr);  // a forked child must not repeat the parent's buffered output
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error(fmt::format("cannot start the worker spawner: {}", std::strerror(errno)));
  if (pid_ == 0) {
    ::close(pair[0]);
    serve(pair[1], work);
  }
  ::close(pair[1]);
  socket_ = pair[0];
}

Spawner::~Spawner() {
  ::close(socket_);
  ::waitpid(pid_, nullptr, 0);
}

Spawner::Message Spawner::receive(int* fd) {
  Message m;
  iovec iov{&m, sizeof m};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n;
  while ((n = ::recvmsg(socket_, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {
  }
  if (n != static_cast<ssize_t>(sizeof m)) throw std::runtime_error("the worker spawner ended unexpectedly");
  if (fd) {
    *fd = -1;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) std::memcpy(fd, CMSG_DATA(c), sizeof *fd);
  }
  return m;
}

Spawner::Started Spawner::start(std::size_t index) {
  const std::uint64_t request = index;
  send_message(socket_, &request, sizeof request);
  for (;;) {
    int fd = -1;
    const Message m = receive(&fd);
    if (m.kind == kEnded) {
      ended_[m.pid] = m.status;
    } else if (m.kind == kFailed) {
      throw std::runtime_error(fmt::format("cannot start a worker process: {}", std::strerror(m.status)));
    } else {
      if (fd < 0) throw std::runtime_error("the worker spawner sent no result pipe");
      return {m.pid, fd};
    }
  }
}

int Spawner::status_of(pid_t pid) {
  while (!ended_.count(pid)) {
    const Message m = receive(nullptr);
    if (m.kind == kEnded) ended_[m.pid] = m.status;
  }
  const int status = ended_.at(pid);
  ended_.erase(pid);
  return status;
}

}  // namespace dasim::batch
