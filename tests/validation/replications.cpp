#include "replications.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fmt/format.h>
#include <stdexcept>

#include "batch/runner.hpp"
#include "batch/schema.hpp"
#include "scenario/loader.hpp"

namespace dasim::validation {

namespace {
std::size_t index_in(const std::vector<std::string>& names, const std::string& name, const char* what) {
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) throw std::invalid_argument(fmt::format("no {} named '{}'", what, name));
  return static_cast<std::size_t>(it - names.begin());
}
}  // namespace

std::uint64_t seed(std::uint64_t base) {
  const char* shift = std::getenv("DASIM_VALIDATION_SEED");
  return base + (shift ? std::strtoull(shift, nullptr, 10) : 0);
}

std::string scenario_path(const std::string& file_name) { return std::string(DASIM_VALIDATION_SCENARIOS) + "/" + file_name; }

std::vector<batch::ReplicationResult> run(const model::Scenario& scenario, int count, std::uint64_t master_seed, int jobs) {
  std::vector<batch::Task> tasks;
  for (int r = 0; r < count; ++r) tasks.push_back({0, static_cast<std::uint64_t>(r)});
  std::vector<batch::ReplicationResult> results(count);
  batch::run_tasks({&scenario}, tasks, {master_seed, jobs, nullptr},
                   [&](const batch::Task& task, batch::ReplicationResult&& result) {
                     results[task.replication] = std::move(result);
                   });
  return results;
}

Replications::Replications(const std::string& file_name, int count, std::uint64_t master_seed, int jobs)
    : scenario_(std::make_unique<model::Scenario>(scenario::load(scenario_path(file_name)))),
      results_(run(*scenario_, count, validation::seed(master_seed), jobs)) {}

double Replications::observed_days() const {
  return scenario_->simulation.horizon_days() - scenario_->simulation.warmup_days;
}

std::vector<double> Replications::area(const std::string& service, const std::string& area,
                                       const std::string& metric) const {
  const std::vector<std::string> areas = batch::axis_labels(batch::Axis::area, *scenario_);
  const std::size_t s = index_in(scenario_->services, service, "service");
  const std::size_t a = area.empty() ? areas.size() - 1 : index_in(areas, area, "area");
  const batch::Group& group = batch::area_group();
  const std::size_t at = group.shape(*scenario_).at({s, a, group.metric(metric)});
  std::vector<double> out;
  for (const auto& r : results_) out.push_back(r.area_metrics[at]);
  return out;
}

std::vector<double> Replications::pool(const std::string& pool, const std::string& metric) const {
  const batch::Group& group = batch::pool_group();
  const std::size_t at = group.shape(*scenario_).at({index_in(pool_names(), pool, "pool"), group.metric(metric)});
  std::vector<double> out;
  for (const auto& r : results_) out.push_back(r.pool_metrics[at]);
  return out;
}

std::vector<double> Replications::monthly(const std::string& service, int month, const std::string& metric) const {
  const batch::Group& group = batch::monthly_group();
  const batch::Shape shape = group.shape(*scenario_);
  if (month < 0 || static_cast<std::size_t>(month) >= shape.dims[1]) throw std::out_of_range("no such month");
  const std::size_t at = shape.at({index_in(scenario_->services, service, "service"), static_cast<std::size_t>(month),
                                   group.metric(metric)});
  std::vector<double> out;
  for (const auto& r : results_) out.push_back(r.monthly[at]);
  return out;
}

std::vector<double> Replications::total(const std::string& metric) const {
  const std::size_t m = batch::totals_group().metric(metric);
  std::vector<double> out;
  for (const auto& r : results_) out.push_back(r.totals[m]);
  return out;
}

std::vector<std::string> Replications::pool_names() const {
  std::vector<std::string> names;
  for (const auto& p : scenario_->pools) names.push_back(p.name);
  return names;
}

std::vector<double> ratio(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> out(std::min(a.size(), b.size()));
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = a[i] / b[i];
  return out;
}

::testing::AssertionResult inside_interval(const std::string& what, const std::vector<double>& values, double theory,
                                           double max_half_width, double resolution) {
  const stats::Summary narrow = stats::summarize(values, 0.95);
  const stats::Summary s = stats::summarize(values, kConfidence);
  const double half = (s.ci_high - s.ci_low) / 2;
  const std::string line = fmt::format(
      "{}: theory {:.6g}, simulated {:.6g}, 95% CI [{:.6g}, {:.6g}], {:g}% CI [{:.6g}, {:.6g}] (half-width {:.3g}, at most "
      "{:.3g}), n = {}",
      what, theory, s.mean, narrow.ci_low, narrow.ci_high, kConfidence * 100, s.ci_low, s.ci_high, half, max_half_width,
      s.n) + (resolution > 1 ? fmt::format(", stored to a factor {:g}", resolution) : "");
  std::printf("%s\n", line.c_str());
  if (!(s.ci_low / resolution <= theory && theory <= s.ci_high * resolution))
    return ::testing::AssertionFailure() << line << ": the theory value is outside the interval";
  if (!(half <= max_half_width))
    return ::testing::AssertionFailure() << line << ": the interval's half-width " << half << " exceeds "
                                         << max_half_width << ", too wide to test anything";
  return ::testing::AssertionSuccess() << line;
}

}  // namespace dasim::validation
