// SimGrid's cost per step under platform and configuration variants (bench/SIMGRID-STEP.md): bare-timer M/M/10,
// 200,000 customers, no dasim code.
//
//   bench_simgrid_step host|zone [--cfg=...]...     (NOMODELS=1 empties the engine's model list, as dasim does)
//   valgrind --tool=callgrind --collect-atstart=no --toggle-collect='timed_section*' bench_simgrid_step host ...
#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/NetZone.hpp>
#include <xbt/log.h>
#include <xbt/config.hpp>
#include <deque>
#include <random>
#include <cstdio>
#include <cstring>
#include <limits>
#include <vector>
#include <cstdlib>
using simgrid::kernel::timer::Timer;
static std::mt19937_64 rng(1);
static std::exponential_distribution<double> gap(9.0), svc(1.0);
static long arrived = 0, N = 200000, events = 0; static int busy = 0; static std::deque<double> q;
static double now() { return simgrid::s4u::Engine::get_clock(); }
static void depart();
static void arrive() { ++events; double t = now(); if (++arrived < N) Timer::set(t + gap(rng), arrive);
  if (busy < 10) { ++busy; Timer::set(t + svc(rng), depart);} else q.push_back(svc(rng)); }
static void depart() { ++events; if (q.empty()) { --busy; return; } double d = q.front(); q.pop_front(); Timer::set(now() + d, depart); }
__attribute__((noinline)) void timed_section() { Timer::set(gap(rng), arrive); simgrid::s4u::Engine::get_instance()->run_until(std::numeric_limits<double>::max()); }
int main(int argc, char** argv) {
  const char* variant = argc > 1 ? argv[1] : "host";
  xbt_log_control_set("root.thresh:critical");
  std::vector<char*> args{argv[0]};
  std::vector<std::string> cfg;
  for (int i = 2; i < argc; ++i) cfg.push_back(argv[i]);
  for (auto& c : cfg) args.push_back(c.data());
  int ac = args.size(); args.push_back(nullptr);
  simgrid::s4u::Engine e(&ac, args.data());
  if (!strcmp(variant, "host")) { auto* z = simgrid::s4u::create_full_zone("world"); z->create_host("h", 1.0); z->seal(); }
  else if (!strcmp(variant, "zone")) { auto* z = simgrid::s4u::create_full_zone("world"); z->seal(); }
  if (getenv("NOMODELS")) const_cast<std::vector<simgrid::kernel::resource::Model*>&>(e.get_all_models()).clear();
  timed_section();
  std::printf("%s events=%ld t=%f\n", variant, events, now());
  std::fflush(nullptr); std::_Exit(0);
}
