// The SimGrid adapter: same-date events run in the order they were scheduled, and handlers' exceptions come back
// out of run_until. Each check runs in a forked child, as SimGrid allows one engine per process.
#include <gtest/gtest.h>

#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "engine/simgrid_engine.hpp"

using namespace dasim;

namespace {

/// Runs `body` in a child process and returns what it wrote to the pipe.
template <class Body>
std::string in_child(Body body) {
  int fds[2];
  if (::pipe(fds) != 0) return "pipe failed";
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    std::string out;
    try {
      out = body();
    } catch (const std::exception& e) {
      out = std::string("exception: ") + e.what();
    }
    (void)!::write(fds[1], out.data(), out.size());
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string out;
  char buffer[4096];
  for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) out.append(buffer, static_cast<std::size_t>(n));
  ::close(fds[0]);
  ::waitpid(pid, nullptr, 0);
  return out;
}

struct Recorder final : model::EventTarget {
  engine::SimGridEngine* engine = nullptr;
  std::string log;
  void on_event(const model::Event& e) override {
    log += std::to_string(e.id) + "@" + std::to_string(static_cast<int>(engine->now())) + " ";
    // An event scheduled for "now" joins the same date, after everything already scheduled for it.
    if (e.id == 2) engine->schedule(engine->now(), model::Event{this, 0, 99, 0});
    if (e.kind == 1) throw std::runtime_error("handler failed");
  }
};

}  // namespace

TEST(SimGridEngine, SameDateEventsRunInSchedulingOrder) {
  const std::string log = in_child([] {
    engine::SimGridEngine engine;
    Recorder recorder;
    recorder.engine = &engine;
    for (std::uint32_t i = 0; i < 8; ++i) engine.schedule(5.0, model::Event{&recorder, 0, i, 0});
    engine.schedule(3.0, model::Event{&recorder, 0, 100, 0});
    engine.schedule(7.0, model::Event{&recorder, 0, 101, 0});
    engine.run_until(10);
    return recorder.log;
  });
  EXPECT_EQ(log, "100@3 0@5 1@5 2@5 3@5 4@5 5@5 6@5 7@5 99@5 101@7 ");
}

TEST(SimGridEngine, AHandlersExceptionComesBackFromRunUntil) {
  const std::string out = in_child([] {
    engine::SimGridEngine engine;
    Recorder recorder;
    recorder.engine = &engine;
    engine.schedule(1.0, model::Event{&recorder, 1, 0, 0});
    engine.run_until(2);
    return std::string("no exception");
  });
  EXPECT_EQ(out, "exception: handler failed");
}

TEST(SimGridEngine, ASecondEngineInOneProcessIsRefused) {
  const std::string out = in_child([] {
    engine::SimGridEngine first;
    engine::SimGridEngine second;
    return std::string("two engines");
  });
  EXPECT_NE(out.find("one clock per process"), std::string::npos) << out;
}

TEST(SimGridEngine, ACancelledEventNeverFiresAndItsSlotIsReused) {
  const std::string log = in_child([] {
    engine::SimGridEngine engine;
    Recorder recorder;
    recorder.engine = &engine;
    engine.schedule(1.0, model::Event{&recorder, 0, 1, 0});
    const model::EventHandle stale = engine.schedule(3.0, model::Event{&recorder, 0, 3, 0});
    engine.schedule(4.0, model::Event{&recorder, 0, 4, 0});
    std::string out = engine.cancel(stale) ? "cancelled " : "not cancelled ";
    out += engine.cancel(stale) ? "twice " : "once ";
    // The freed slot takes a new event; the old handle must not reach it.
    engine.schedule(6.0, model::Event{&recorder, 0, 6, 0});
    out += engine.cancel(stale) ? "reached-new " : "";
    engine.run_until(10);
    return out + recorder.log;
  });
  EXPECT_EQ(log, "cancelled once 1@1 4@4 6@6 ");
}

TEST(SimGridEngine, CancellingAFiredEventDoesNothing) {
  const std::string log = in_child([] {
    engine::SimGridEngine engine;
    Recorder recorder;
    recorder.engine = &engine;
    const model::EventHandle fired = engine.schedule(1.0, model::Event{&recorder, 0, 1, 0});
    engine.run_until(2);
    engine.schedule(3.0, model::Event{&recorder, 0, 3, 0});
    const bool cancelled = engine.cancel(fired);
    engine.run_until(5);
    return std::string(cancelled ? "cancelled " : "kept ") + recorder.log;
  });
  EXPECT_EQ(log, "kept 1@1 3@3 ");
}
