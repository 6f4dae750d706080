#include "cli/console.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <map>
#include <tuple>
#include <unistd.h>

namespace dasim::cli {

std::string pounds(double value) {
  const long long whole = std::llround(std::fabs(value));
  const std::string digits = std::to_string(whole);
  std::string grouped;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return (value < 0 && whole != 0 ? "−£" : "£") + grouped;
}

Progress::Progress(std::size_t total, bool quiet, bool every_line)
    : total_(total), quiet_(quiet), tty_(::isatty(2)), every_line_(every_line) {}

void Progress::update(std::size_t done) {
  if (quiet_ || total_ == 0) return;
  const double elapsed = seconds();
  const double eta = done > 0 ? elapsed / static_cast<double>(done) * static_cast<double>(total_ - done) : NAN;
  if (tty_) {
    const int width = 30, filled = static_cast<int>(width * done / total_);
    fmt::print(stderr, "\r[{}{}] {}/{} replications, {:.1f} s elapsed, ETA {}   ", std::string(filled, '#'),
               std::string(width - filled, '.'), done, total_, elapsed, done ? fmt::format("{:.0f} s", eta) : "-");
    if (done == total_) fmt::print(stderr, "\n");
  } else if (done == total_ || elapsed - last_line_ >= 10 || every_line_) {
    last_line_ = elapsed;
    fmt::print(stderr, "progress: {}/{} replications, {:.1f} s elapsed{}\n", done, total_, elapsed,
               done && done < total_ ? fmt::format(", about {:.0f} s to go", eta) : "");
  }
}

double Progress::seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

namespace {
/// A number as people read it: a true minus sign, and "-0.00" shown as "0.00".
std::string signed_text(double value, const char* format) {
  std::string text = fmt::format(fmt::runtime(format), value);
  if (!text.empty() && text.front() == '-') {
    if (text.find_first_of("123456789") == std::string::npos) return text.substr(1);
    return "−" + text.substr(1);
  }
  return text;
}


/// "mean (low to high)"; a share's interval (`share`) is kept within 0–100%, the range a share can take.
std::string with_ci(const stats::Summary& s, const char* format, double scale = 1, bool share = false) {
  if (s.n == 0 || std::isnan(s.mean)) return "-";
  const std::string mean = signed_text(s.mean * scale, format);
  if (std::isnan(s.ci_low)) return mean;
  const double low = share ? std::max(0.0, s.ci_low) : s.ci_low, high = share ? std::min(1.0, s.ci_high) : s.ci_high;
  return fmt::format("{} ({} to {})", mean, signed_text(low * scale, format), signed_text(high * scale, format));
}

std::string money_with_ci(const stats::Summary& s) {
  if (s.n == 0 || std::isnan(s.mean)) return "-";
  if (std::isnan(s.ci_low) || pounds(s.ci_low) == pounds(s.ci_high)) return pounds(s.mean);  // the same every time
  return fmt::format("{} ({} to {})", pounds(s.mean), pounds(s.ci_low), pounds(s.ci_high));
}
}  // namespace

void print_summary(const batch::RunRecord& run, const std::vector<batch::Row>& rows, bool by_area) {
  std::map<std::tuple<std::string, std::string, std::string, std::string, std::string, std::string>, const batch::Row*> index;
  for (const auto& r : rows) index[{r.kind, r.scenario, r.service, r.pool, r.area, r.metric}] = &r;
  auto get = [&](const std::string& kind, const std::string& scenario, const std::string& service, const std::string& area,
                 const std::string& metric, const std::string& pool = "") -> stats::Summary {
    const auto it = index.find({kind, scenario, service, pool, area, metric});
    return it == index.end() ? stats::Summary{} : it->second->summary;
  };
  // An area's occupancy is that of the pool serving it in each option (shared when the option pools it).
  auto area_occupancy = [&](const model::Scenario& s, const std::string& service, const std::string& area) {
    const auto sv = std::find(s.services.begin(), s.services.end(), service) - s.services.begin();
    const auto a = std::find_if(s.areas.begin(), s.areas.end(), [&](const auto& x) { return x.name == area; }) - s.areas.begin();
    if (sv == static_cast<long>(s.services.size()) || a == static_cast<long>(s.areas.size())) return stats::Summary{};
    return get("summary", s.name, service, "all", "occupancy", s.pools[s.service_pool[sv][a]].name);
  };
  const model::Scenario& base = *run.scenarios.front().scenario;
  std::vector<std::string> areas{"all"};
  if (by_area)
    for (const auto& a : base.areas) areas.push_back(a.name);
  fmt::print("\nResults: mean (95% CI) over {} replications, seed {}\n", run.replications, run.master_seed);
  const std::string header = fmt::format("  {:<34} {:>24} {:>24} {:>22} {:>21} {:>21} {:>21}", "option", "median wait (d)",
                                         "90th pct wait (d)", "within target (%)", "gave up a year", "declined a year", "occupancy (%)");
  const model::DisplayNames& names = base.display_names;
  for (const auto& service : base.services)
    for (const auto& area : areas) {
      if (get("summary", base.name, service, area, "entered").n == 0) continue;
      fmt::print("\n{} — {}\n{}\n", model::DisplayNames::of(names.services, service),
                 area == "all" ? "all areas" : model::DisplayNames::of(names.areas, area), header);
      auto line = [&](const std::string& kind, const model::Scenario& s, const std::string& label) {
        const std::string& scenario = s.name;
        fmt::print("  {:<34} {:>24} {:>24} {:>22} {:>21} {:>21} {:>21}\n", label,
                   with_ci(get(kind, scenario, service, area, "wait_p50"), "{:.2f}"),
                   with_ci(get(kind, scenario, service, area, "wait_p90"), "{:.2f}"),
                   with_ci(get(kind, scenario, service, area, "within_target"), "{:.1f}", 100, kind == "summary"),
                   with_ci(get(kind, scenario, service, area, "disengaged"), "{:.1f}"),
                   with_ci(get(kind, scenario, service, area, "declined"), "{:.1f}"),
                   area == "all"          ? with_ci(get(kind, scenario, service, area, "occupancy"), "{:.1f}", 100, kind == "summary")
                   : kind == "summary"    ? with_ci(area_occupancy(s, service, area), "{:.1f}", 100, true)
                                          : "");
      };
      for (const auto& sr : run.scenarios) line("summary", *sr.scenario, sr.scenario->display_name);
      for (std::size_t k = 1; k < run.scenarios.size(); ++k)
        line("difference", *run.scenarios[k].scenario, "  " + run.scenarios[k].scenario->display_name + ": difference");
    }
  // Funders in one order for every option: alphabetical by the name a reader sees.
  std::map<std::string, std::string> funders;  // display name -> key
  for (const auto& sr : run.scenarios)
    for (const auto& f : sr.scenario->funders) funders.emplace(model::DisplayNames::of(sr.scenario->display_names.funders, f), f);
  fmt::print("\nMoney (£ a year)\n");
  for (const auto& sr : run.scenarios) {
    const auto& s = *sr.scenario;
    fmt::print("  {}\n", s.display_name);
    for (const auto& [shown, f] : funders)
      if (std::find(s.funders.begin(), s.funders.end(), f) != s.funders.end())
        fmt::print("    service cost, {:<44} {:>40}\n", shown, money_with_ci(get("summary", s.name, "(cost)", f, "service_cost")));
    fmt::print("    {:<58} {:>40}\n", "outcome costs (cashable + societal)", money_with_ci(get("summary", s.name, "(total)", "all", "outcome_cost")));
  }
  for (std::size_t k = 1; k < run.scenarios.size(); ++k) {
    const std::string& name = run.scenarios[k].scenario->name;
    fmt::print("  {} against {}\n", run.scenarios[k].scenario->display_name, base.display_name);
    fmt::print("    {:<58} {:>40}\n", "service cost difference", money_with_ci(get("difference", name, "(total)", "all", "service_cost")));
    fmt::print("    {:<58} {:>40}\n", "cost avoided (all)", money_with_ci(get("difference", name, "(total)", "all", "cost_avoided")));
    fmt::print("    {:<58} {:>40}\n", "cost avoided, cashable", money_with_ci(get("difference", name, "(total)", "all", "cashable_cost_avoided")));
    fmt::print("    {:<58} {:>40}\n", "cost avoided, societal", money_with_ci(get("difference", name, "(total)", "all", "societal_cost_avoided")));
    // Incremental: cost avoided over the service cost the option adds; a refused ratio says why.
    for (const auto& [metric, label] : {std::pair{"return_per_pound", "return per extra £1 (all)"},
                                        {"cashable_return_per_pound", "return per extra £1, cashable"},
                                        {"societal_return_per_pound", "return per extra £1, societal"}}) {
      const auto it = index.find({"difference", name, "(total)", "", "all", metric});
      const bool refused = it != index.end() && it->second->units.rfind("refused", 0) == 0;
      fmt::print("    {:<58} {:>40}\n", label, refused ? it->second->units : with_ci(get("difference", name, "(total)", "all", metric), "{:.2f}"));
    }
  }
  // Children's social care of the households referred (docs/model.md §9.2), all areas, by the measures' display names.
  if (!base.social_care.enabled) return;
  fmt::print("\nChildren's social care, all areas\n");
  for (const batch::Metric& m : batch::care_group().metrics) {
    fmt::print("  {}\n", m.display);
    auto shown = [&](const std::string& kind, const std::string& scenario) {
      const stats::Summary v = get(kind, scenario, batch::kSocialCare, "all", m.name);
      return m.units == "GBP/year" ? money_with_ci(v) : with_ci(v, "{:.1f}");
    };
    for (const auto& sr : run.scenarios) fmt::print("    {:<58} {:>40}\n", sr.scenario->display_name, shown("summary", sr.scenario->name));
    for (std::size_t k = 1; k < run.scenarios.size(); ++k)
      fmt::print("    {:<58} {:>40}\n", run.scenarios[k].scenario->display_name + ": difference",
                 shown("difference", run.scenarios[k].scenario->name));
  }
}

void print_warmup(const batch::RunRecord& run, const batch::RunSummary& summary) {
  for (std::size_t k = 0; k < run.scenarios.size(); ++k) {
    const batch::ScenarioRun& sr = run.scenarios[k];
    const std::vector<batch::WarmupCheck>& checks = summary.scenarios[k].warmup;
    std::vector<std::string> short_ones, trending;
    int worst = 0;
    for (const auto& c : checks) {
      const std::string service = model::DisplayNames::of(sr.scenario->display_names.services, c.service);
      // A service whose capacity changes after the warm-up trends because its inputs do: say so, and do not call
      // what follows from it a warm-up that is too short.
      if (c.trends()) {
        trending.push_back(fmt::format("{} (from month {})", service, c.capacity_trend_month));
        if (c.drifting || !c.long_enough()) continue;
      }
      worst = std::max(worst, c.mser_months);
      if (c.drifting) short_ones.push_back(fmt::format("{} (still drifting at half the run: no steady level)", service));
      else if (!c.long_enough()) short_ones.push_back(fmt::format("{} ({} months)", service, c.mser_months));
    }
    if (checks.empty()) continue;
    if (!trending.empty())
      fmt::print("\ntrend ({}): capacity changes after the warm-up (dated changes, such as a pay award eroding fixed "
                 "contract values), so these trend through the results, as they should: {}\n", sr.scenario->display_name, fmt::join(trending, ", "));
    if (short_ones.empty())
      fmt::print("\nwarm-up ({}): {} months is long enough; MSER truncation is at most {} months for every service\n",
                 sr.scenario->display_name, checks.front().warmup_months, worst);
    else
      fmt::print("\nwarm-up ({}): WARNING: {} months may be too short; MSER suggests more for: {}\n", sr.scenario->display_name,
                 checks.front().warmup_months, fmt::join(short_ones, ", "));
  }
}

namespace {

/// What an offered load of rho >= 1 does to a pool, by the pool's own rules: a queue with no patience grows without
/// end, but people who give up waiting bound it, and a caseload that stretches takes more before anyone waits.
std::string what_overload_does(const model::PoolSpec& pool, double rho) {
  const auto* places = std::get_if<model::PlacesSpec>(&pool.kind);
  if (places && places->stretch > 0 && rho < 1 + places->stretch)
    return fmt::format("caseloads run above the recommended level (they may stretch by up to {:.0f}%) rather than "
                       "anyone waiting", 100 * places->stretch);
  if (pool.patience)
    return "people give up waiting, which keeps the queue bounded; waits and the number who give up depend on how "
           "long people will wait";
  return "no one gives up waiting, so its queue grows without bound and its figures depend on the run's length";
}

}  // namespace

int print_offered_load(const model::Scenario& s, const batch::ReplicationResult& replication, bool every_pool) {
  const batch::Shape area_shape = batch::area_group().shape(s);
  const std::size_t entered = batch::area_group().metric("entered");
  std::vector<std::string> overloaded;  // one line a pool, for the warning after the loop
  int warnings = 0;
  for (const model::PoolSpec& pool : s.pools) {
    if (pool.places() == 0) continue;  // a meeting holds no places
    // arrivals at this pool: its service's entries from the areas it serves
    double per_year = 0;
    for (std::size_t a = 0; a < s.areas.size(); ++a)
      if (pool.serves_area[a])
        per_year += replication.area_metrics[area_shape.at({static_cast<std::size_t>(pool.service), a, entered})];
    const double hold = pool.mean_hold(), places = pool.places();
    const double rho = per_year / model::kDaysPerYear * hold / places;
    const bool over = rho >= 1 && !pool.declines_when_full();
    warnings += over;
    if (every_pool)
      fmt::print("  {:<32} {:>9.1f} a year x {:>7.1f} d / {:>5.0f} places = rho {:.2f}{}\n", pool.name, per_year, hold,
                 places, rho, over ? "  WARNING: rho >= 1: " + what_overload_does(pool, rho) : "");
    else if (over)
      overloaded.push_back(fmt::format("  pool '{}' is overloaded: {:.1f} a year x {:.1f} d / {:.0f} places = rho {:.2f}; {}",
                                       pool.name, per_year, hold, places, rho, what_overload_does(pool, rho)));
  }
  // One warning a scenario, not one a pool: a board-level option can have dozens of pools under pressure.
  if (!every_pool && !overloaded.empty())
    fmt::print("\nWARNING ({}): {} pool{} more demand than places (rho >= 1):\n{}\n", s.name, overloaded.size(),
               overloaded.size() == 1 ? " has" : "s have", fmt::join(overloaded, "\n"));
  return warnings;
}

}  // namespace dasim::cli
