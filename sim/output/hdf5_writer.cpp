#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <hdf5.h>
#include <limits>
#include <utility>

#include "batch/replication.hpp"
#include "model/pool_stats.hpp"
#include "output/writers.hpp"
#include "scenario/loader.hpp"

namespace dasim::output {

namespace {

using batch::ReplicationResult;

/// Owns an HDF5 handle and closes it with the right function.
class Handle {
 public:
  Handle(hid_t id, herr_t (*close)(hid_t), const std::string& what) : id_(id), close_(close) {
    if (id < 0) throw OutputError(what);
  }
  ~Handle() {
    if (id_ >= 0) close_(id_);
  }
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, -1)), close_(other.close_) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  operator hid_t() const { return id_; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

class Writer {
 public:
  explicit Writer(std::string path) : path_(std::move(path)) {}

  void check(herr_t status, const std::string& what) const {
    if (status < 0) throw OutputError(fmt::format("{}: cannot write {} (is the disk full?)", path_, what));
  }
  Handle string_type() const {
    Handle t(H5Tcopy(H5T_C_S1), H5Tclose, path_ + ": HDF5 type");
    check(H5Tset_size(t, H5T_VARIABLE), "a string type");
    check(H5Tset_cset(t, H5T_CSET_UTF8), "a string type");
    return t;
  }
  void attr(hid_t loc, const char* name, const std::string& value) const {
    Handle type = string_type();
    Handle space(H5Screate(H5S_SCALAR), H5Sclose, path_ + ": dataspace");
    Handle a(H5Acreate2(loc, name, type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose, fmt::format("{}: attribute {}", path_, name));
    const char* p = value.c_str();
    check(H5Awrite(a, type, &p), fmt::format("attribute {}", name));
  }
  void attr(hid_t loc, const char* name, const std::vector<std::string>& values) const {
    Handle type = string_type();
    const hsize_t n = values.size();
    Handle space(n ? H5Screate_simple(1, &n, nullptr) : H5Screate(H5S_NULL), H5Sclose, path_ + ": dataspace");
    Handle a(H5Acreate2(loc, name, type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose, fmt::format("{}: attribute {}", path_, name));
    std::vector<const char*> p;
    for (const auto& v : values) p.push_back(v.c_str());
    if (n) check(H5Awrite(a, type, p.data()), fmt::format("attribute {}", name));
  }
  template <class T>
  void attr_numbers(hid_t loc, const char* name, const std::vector<T>& values, hid_t type) const {
    const hsize_t n = values.size();
    Handle space(values.size() == 1 ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, nullptr), H5Sclose, path_ + ": dataspace");
    Handle a(H5Acreate2(loc, name, type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose, fmt::format("{}: attribute {}", path_, name));
    check(H5Awrite(a, type, values.data()), fmt::format("attribute {}", name));
  }
  void strings(hid_t loc, const char* name, const std::vector<std::string>& values) const {
    Handle type = string_type();
    const hsize_t n = values.size();
    Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose, path_ + ": dataspace");
    Handle d(H5Dcreate2(loc, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose,
             fmt::format("{}: dataset {}", path_, name));
    std::vector<const char*> p;
    for (const auto& v : values) p.push_back(v.c_str());
    if (n) check(H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, p.data()), fmt::format("dataset {}", name));
  }
  /// A numeric array, chunked and compressed when large; `units` become its attribute.
  template <class T>
  void array(hid_t loc, const char* name, const std::vector<hsize_t>& dims, const std::vector<T>& data, hid_t type,
             const std::vector<std::string>& units = {}) const {
    Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose, path_ + ": dataspace");
    Handle plist(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, path_ + ": property list");
    if (data.size() > 4096 && H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0) {
      std::vector<hsize_t> chunk = dims;
      chunk[0] = 1;  // one replication a chunk
      check(H5Pset_chunk(plist, static_cast<int>(chunk.size()), chunk.data()), "chunking");
      check(H5Pset_deflate(plist, 4), "compression");
    }
    Handle d(H5Dcreate2(loc, name, type, space, H5P_DEFAULT, plist, H5P_DEFAULT), H5Dclose,
             fmt::format("{}: dataset {}", path_, name));
    if (!data.empty()) check(H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()), fmt::format("dataset {}", name));
    if (!units.empty()) attr(d, "units", units);
  }
  Handle group(hid_t loc, const std::string& name) const {
    return Handle(H5Gcreate2(loc, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                  fmt::format("{}: cannot create group {}", path_, name));
  }

 private:
  std::string path_;
};

/// Stacks one field of every replication into [R, ...], NaN where a replication is not done yet.
std::vector<double> stack(const batch::ScenarioRun& run, std::size_t per_replication,
                          const std::vector<double> ReplicationResult::*field) {
  std::vector<double> out(run.replications.size() * per_replication, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t r = 0; r < run.replications.size(); ++r)
    if (run.done[r]) {
      const auto& v = run.replications[r].*field;
      std::copy(v.begin(), v.begin() + std::min(v.size(), per_replication), out.begin() + r * per_replication);
    }
  return out;
}

void write_scenario(const Writer& w, hid_t parent, const batch::ScenarioRun& run, std::uint64_t master_seed) {
  const model::Scenario& s = *run.scenario;
  Handle g = w.group(parent, s.name);
  w.attr(g, "description", s.description);
  w.attr(g, "source_text", s.source_text);
  w.attr(g, "resolved", scenario::describe(s));
  w.attr_numbers(g, "horizon_days", std::vector<double>{s.simulation.horizon_days()}, H5T_NATIVE_DOUBLE);
  w.attr_numbers(g, "warmup_days", std::vector<double>{s.simulation.warmup_days}, H5T_NATIVE_DOUBLE);
  w.attr(g, "start_date", fmt::format("{:04}-{:02}-{:02}", s.simulation.start_year, s.simulation.start_month, s.simulation.start_day));

  std::vector<std::string> pools, pool_service, areas, months = batch::month_labels(s);
  for (const auto& p : s.pools) pools.push_back(p.name), pool_service.push_back(s.services[p.service]);
  for (const auto& a : s.areas) areas.push_back(a.name);
  areas.push_back("all");
  w.strings(g, "services", s.services);
  w.strings(g, "pools", pools);
  w.strings(g, "pool_service", pool_service);
  w.strings(g, "areas", areas);
  w.strings(g, "area_metrics", batch::kAreaMetrics);
  w.strings(g, "service_metrics", batch::kServiceMetrics);
  w.strings(g, "pool_metrics", batch::kPoolMetrics);
  w.strings(g, "monthly_metrics", batch::kMonthlyMetrics);
  w.strings(g, "totals_metrics", batch::kTotals);
  w.strings(g, "funders", s.funders);
  w.strings(g, "payers", s.payers);
  w.strings(g, "months", months);

  const hsize_t R = run.replications.size(), S = s.services.size(), A = areas.size(), P = s.pools.size();
  const hsize_t M = months.size(), F = s.funders.size(), Y = s.payers.size();
  std::vector<std::uint64_t> seeds;
  std::vector<std::int8_t> done;
  for (hsize_t r = 0; r < R; ++r) seeds.push_back(batch::replication_seed(master_seed, r)), done.push_back(run.done[r]);
  w.array(g, "replication_seed", {R}, seeds, H5T_NATIVE_UINT64);
  w.array(g, "done", {R}, done, H5T_NATIVE_INT8);
  const auto na = batch::kAreaMetrics.size(), ns = batch::kServiceMetrics.size(), np = batch::kPoolMetrics.size();
  const auto nm = batch::kMonthlyMetrics.size(), nt = batch::kTotals.size();
  w.array(g, "area_metrics_data", {R, S, A, na}, stack(run, S * A * na, &ReplicationResult::area_metrics), H5T_NATIVE_DOUBLE, batch::kAreaUnits);
  w.array(g, "service_metrics_data", {R, S, ns}, stack(run, S * ns, &ReplicationResult::service_metrics), H5T_NATIVE_DOUBLE, batch::kServiceUnits);
  w.array(g, "pool_metrics_data", {R, P, np}, stack(run, P * np, &ReplicationResult::pool_metrics), H5T_NATIVE_DOUBLE, batch::kPoolUnits);
  w.array(g, "monthly_data", {R, S, M, nm}, stack(run, S * M * nm, &ReplicationResult::monthly), H5T_NATIVE_DOUBLE, batch::kMonthlyUnits);
  if (std::any_of(run.replications.begin(), run.replications.end(), [](const auto& r) { return !r.pool_monthly.empty(); }))
    w.array(g, "pool_monthly_data", {R, P, M, nm}, stack(run, P * M * nm, &ReplicationResult::pool_monthly), H5T_NATIVE_DOUBLE,
            batch::kMonthlyUnits);
  w.array(g, "totals_data", {R, nt}, stack(run, nt, &ReplicationResult::totals), H5T_NATIVE_DOUBLE, batch::kTotalUnits);
  w.array(g, "outcome_cost", {R, Y, 2}, stack(run, Y * 2, &ReplicationResult::outcome_cost), H5T_NATIVE_DOUBLE,
          std::vector<std::string>{"GBP/year"});
  const std::vector<double> funders = batch::funder_costs(s);
  std::vector<double> funder_cost;
  for (hsize_t r = 0; r < R; ++r) funder_cost.insert(funder_cost.end(), funders.begin(), funders.end());
  w.array(g, "funder_cost", {R, F}, funder_cost, H5T_NATIVE_DOUBLE, std::vector<std::string>{"GBP/year"});
  // Contracts, so cost can be shown by service: a contract's cost is shared among the services of its pools in
  // proportion to their workers (staff or units), an approximation where one contract buys several services.
  std::vector<std::string> contracts;
  std::vector<double> contract_cost, funder_share, service_share;
  for (const auto& c : s.contracts) {
    contracts.push_back(c.name);
    contract_cost.push_back(c.annual_cost());
    funder_share.insert(funder_share.end(), c.funder_share.begin(), c.funder_share.end());
    std::vector<double> by_service(S, 0.0);
    double workers = 0;
    for (int p : c.pools) by_service[s.pools[p].service] += s.pools[p].count, workers += s.pools[p].count;
    for (double& x : by_service) x = workers > 0 ? x / workers : 0.0;
    service_share.insert(service_share.end(), by_service.begin(), by_service.end());
  }
  const hsize_t C = contracts.size();
  if (C > 0) {
    w.strings(g, "contracts", contracts);
    w.array(g, "contract_cost", {C}, contract_cost, H5T_NATIVE_DOUBLE, std::vector<std::string>{"GBP/year"});
    w.array(g, "contract_funder_share", {C, F}, funder_share, H5T_NATIVE_DOUBLE, std::vector<std::string>{"share"});
    w.array(g, "contract_service_share", {C, S}, service_share, H5T_NATIVE_DOUBLE, std::vector<std::string>{"share"});
  }
  // Raw per-replication histograms, kept so that a resumed run can rebuild the merged one exactly.
  w.array(g, "wait_histogram_by_replication", {R, S, A, batch::kHistogramBins},
          stack(run, S * A * batch::kHistogramBins, &ReplicationResult::histogram), H5T_NATIVE_DOUBLE,
          std::vector<std::string>{"people"});
  std::vector<double> merged(S * A * batch::kHistogramBins, 0.0);
  for (hsize_t r = 0; r < R; ++r)
    if (run.done[r])
      for (std::size_t i = 0; i < merged.size() && i < run.replications[r].histogram.size(); ++i)
        merged[i] += run.replications[r].histogram[i];
  w.array(g, "wait_histogram", {S, A, batch::kHistogramBins}, merged, H5T_NATIVE_DOUBLE, std::vector<std::string>{"people"});
  std::vector<std::int32_t> mser;
  for (const auto& c : batch::warmup_checks(run)) mser.push_back(c.mser_months);
  if (!mser.empty()) {
    w.array(g, "warmup_mser_months", {mser.size()}, mser, H5T_NATIVE_INT32, std::vector<std::string>{"months"});
    w.attr_numbers(g, "warmup_months", std::vector<std::int32_t>{batch::warmup_checks(run).front().warmup_months}, H5T_NATIVE_INT32);
  }
  std::vector<double> edges;
  for (int b = 0; b < batch::kHistogramBins; ++b) edges.push_back(model::WaitHistogram::lower_edge(b));
  edges.push_back(model::WaitHistogram::kHigh * 1.075);
  w.array(g, "wait_bin_edges", {edges.size()}, edges, H5T_NATIVE_DOUBLE, std::vector<std::string>{"days"});
}

void write_rows(const Writer& w, hid_t parent, const char* name, const std::vector<batch::Row>& rows, const std::string& kind) {
  Handle g = w.group(parent, name);
  std::vector<std::string> scenario, baseline, service, pool, area, metric, units;
  std::vector<double> mean, lo, hi, sd, p05, p50, p95;
  std::vector<std::int32_t> n;
  for (const auto& r : rows) {
    if (r.kind != kind) continue;
    scenario.push_back(r.scenario), baseline.push_back(r.baseline), service.push_back(r.service), pool.push_back(r.pool);
    area.push_back(r.area), metric.push_back(r.metric), units.push_back(r.units);
    const auto& s = r.summary;
    mean.push_back(s.mean), lo.push_back(s.ci_low), hi.push_back(s.ci_high), sd.push_back(s.sd);
    p05.push_back(s.p05), p50.push_back(s.p50), p95.push_back(s.p95), n.push_back(s.n);
  }
  const hsize_t count = scenario.size();
  for (auto [label, v] : {std::pair{"scenario", &scenario}, {"service", &service}, {"pool", &pool}, {"area", &area},
                          {"metric", &metric}, {"units", &units}})
    w.strings(g, label, *v);
  if (kind == "difference") w.strings(g, "baseline", baseline);
  for (auto [label, v] : {std::pair{"mean", &mean}, {"ci_low", &lo}, {"ci_high", &hi}, {"sd", &sd}, {"p05", &p05},
                          {"p50", &p50}, {"p95", &p95}})
    w.array(g, label, {count}, *v, H5T_NATIVE_DOUBLE);
  w.array(g, "n", {count}, n, H5T_NATIVE_INT32);
}

void write_sensitivity(const Writer& w, hid_t file, const batch::RunRecord& run) {
  Handle g = w.group(file, "sensitivity");
  w.attr_numbers(g, "replications", std::vector<std::int32_t>{run.sensitivity_replications}, H5T_NATIVE_INT32);
  w.attr(g, "scenario", run.scenarios.front().scenario->name);
  std::vector<std::string> parameter, where, output, units;
  std::vector<double> base, low, high, out_base, out_low, out_high, ell, elh, ehl, ehh;
  for (const auto& r : run.sensitivity) {
    parameter.push_back(r.parameter), where.push_back(r.where), output.push_back(r.output), units.push_back(r.units);
    base.push_back(r.base_value), low.push_back(r.low_value), high.push_back(r.high_value);
    out_base.push_back(r.output_base), out_low.push_back(r.output_at_low), out_high.push_back(r.output_at_high);
    ell.push_back(r.effect_low.ci_low), elh.push_back(r.effect_low.ci_high);
    ehl.push_back(r.effect_high.ci_low), ehh.push_back(r.effect_high.ci_high);
  }
  const hsize_t n = parameter.size();
  w.strings(g, "parameter", parameter);
  w.strings(g, "where", where);
  w.strings(g, "output", output);
  w.strings(g, "output_units", units);
  w.attr(g, "units", units.empty() ? std::string() : units.front());
  for (auto [label, v] : {std::pair{"base_value", &base}, {"low_value", &low}, {"high_value", &high}, {"output_base", &out_base},
                          {"output_at_low", &out_low}, {"output_at_high", &out_high}, {"effect_low_ci_low", &ell},
                          {"effect_low_ci_high", &elh}, {"effect_high_ci_low", &ehl}, {"effect_high_ci_high", &ehh}})
    w.array(g, label, {n}, *v, H5T_NATIVE_DOUBLE);
}

}  // namespace

void write_hdf5(const batch::RunRecord& run, const std::vector<batch::Row>& rows, const std::filesystem::path& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become exceptions with the path, not HDF5's stack dump
  const Writer w(path.string());
  Handle file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
              fmt::format("{}: cannot create the results file (does the folder exist and is it writable?)", path.string()));
  w.attr(file, "filetype", "dasim-results");
  w.attr_numbers(file, "format_version", std::vector<std::int32_t>{kFormatMajor, kFormatMinor}, H5T_NATIVE_INT32);
  w.attr(file, "dasim_version", DASIM_VERSION);
  w.attr(file, "git_commit", DASIM_GIT_COMMIT);
  w.attr(file, "created", run.created);
  w.attr_numbers(file, "master_seed", std::vector<std::uint64_t>{run.master_seed}, H5T_NATIVE_UINT64);
  w.attr_numbers(file, "replications", std::vector<std::int32_t>{run.replications}, H5T_NATIVE_INT32);
  w.attr_numbers(file, "complete", std::vector<std::int32_t>{run.complete() ? 1 : 0}, H5T_NATIVE_INT32);
  std::vector<std::string> names;
  for (const auto& s : run.scenarios) names.push_back(s.scenario->name);
  w.attr(file, "scenarios", names);
  w.attr(file, "baseline", names.empty() ? "" : names.front());
  {
    Handle scenarios = w.group(file, "scenarios");
    for (const auto& s : run.scenarios) write_scenario(w, scenarios, s, run.master_seed);
  }
  write_rows(w, file, "summary", rows, "summary");
  write_rows(w, file, "comparisons", rows, "difference");
  if (!run.sensitivity.empty()) write_sensitivity(w, file, run);
  if (H5Fflush(file, H5F_SCOPE_GLOBAL) < 0) throw OutputError(fmt::format("{}: flushing failed (is the disk full?)", path.string()));
}

}  // namespace dasim::output

namespace dasim::output {

namespace {

std::vector<double> read_doubles(hid_t group, const char* name, std::size_t expected, const std::string& path) {
  Handle d(H5Dopen2(group, name, H5P_DEFAULT), H5Dclose, fmt::format("{}: missing dataset {}", path, name));
  Handle space(H5Dget_space(d), H5Sclose, path);
  if (static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)) != expected)
    throw OutputError(fmt::format("{}: dataset {} has another shape than this run's: it was made by other scenarios", path, name));
  std::vector<double> out(expected);
  if (H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0)
    throw OutputError(fmt::format("{}: cannot read dataset {}", path, name));
  return out;
}

std::string read_string_attr(hid_t loc, const char* name, const std::string& path) {
  Handle a(H5Aopen(loc, name, H5P_DEFAULT), H5Aclose, fmt::format("{}: missing attribute {}", path, name));
  Handle type(H5Aget_type(a), H5Tclose, path);
  Handle memtype(H5Tcopy(H5T_C_S1), H5Tclose, path);
  H5Tset_size(memtype, H5T_VARIABLE);
  H5Tset_cset(memtype, H5T_CSET_UTF8);
  char* value = nullptr;
  if (H5Aread(a, memtype, &value) < 0 || !value) throw OutputError(fmt::format("{}: cannot read attribute {}", path, name));
  std::string out(value);
  H5free_memory(value);
  return out;
}

}  // namespace

void read_hdf5_for_resume(batch::RunRecord& run, const std::filesystem::path& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const std::string p = path.string();
  if (H5Fis_hdf5(p.c_str()) <= 0) throw OutputError(fmt::format("{}: not a readable HDF5 results file (truncated?)", p));
  Handle file(H5Fopen(p.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, fmt::format("{}: cannot open", p));
  if (read_string_attr(file, "filetype", p) != "dasim-results") throw OutputError(fmt::format("{}: not a dasim results file", p));
  {
    std::int32_t version[2] = {0, 0};
    Handle a(H5Aopen(file, "format_version", H5P_DEFAULT), H5Aclose, p + ": missing format_version");
    if (H5Aread(a, H5T_NATIVE_INT32, version) < 0 || version[0] != kFormatMajor)
      throw OutputError(fmt::format("{}: results format {}.{} cannot be resumed by this dasim (format {}.{})", p, version[0],
                                    version[1], kFormatMajor, kFormatMinor));
  }
  std::uint64_t seed = 0;
  std::int32_t replications = 0;
  {
    Handle a(H5Aopen(file, "master_seed", H5P_DEFAULT), H5Aclose, p + ": missing master_seed");
    H5Aread(a, H5T_NATIVE_UINT64, &seed);
    Handle b(H5Aopen(file, "replications", H5P_DEFAULT), H5Aclose, p + ": missing replications");
    H5Aread(b, H5T_NATIVE_INT32, &replications);
  }
  if (seed != run.master_seed || replications != run.replications)
    throw OutputError(fmt::format("{}: was started with --seed {} --replications {}, not --seed {} --replications {}; "
                                  "resume with the same options", p, seed, replications, run.master_seed, run.replications));
  Handle scenarios(H5Gopen2(file, "scenarios", H5P_DEFAULT), H5Gclose, p + ": missing group scenarios");
  for (batch::ScenarioRun& sr : run.scenarios) {
    const model::Scenario& s = *sr.scenario;
    if (H5Lexists(scenarios, s.name.c_str(), H5P_DEFAULT) <= 0)
      throw OutputError(fmt::format("{}: was made by other scenarios (no '{}' in it)", p, s.name));
    Handle g(H5Gopen2(scenarios, s.name.c_str(), H5P_DEFAULT), H5Gclose, p);
    if (read_string_attr(g, "source_text", p) != s.source_text)
      throw OutputError(fmt::format("{}: scenario '{}' has changed since the interrupted run; start afresh with --force", p, s.name));
    const std::size_t R = sr.replications.size(), S = s.services.size(), A = s.areas.size() + 1, P = s.pools.size();
    const std::size_t M = batch::month_labels(s).size(), Y = s.payers.size(), H = batch::kHistogramBins;
    const auto done = read_doubles(g, "done", R, p);
    const auto area = read_doubles(g, "area_metrics_data", R * S * A * batch::kAreaMetrics.size(), p);
    const auto service = read_doubles(g, "service_metrics_data", R * S * batch::kServiceMetrics.size(), p);
    const auto pool = read_doubles(g, "pool_metrics_data", R * P * batch::kPoolMetrics.size(), p);
    const auto monthly = read_doubles(g, "monthly_data", R * S * M * batch::kMonthlyMetrics.size(), p);
    const auto totals = read_doubles(g, "totals_data", R * batch::kTotals.size(), p);
    const auto outcome = read_doubles(g, "outcome_cost", R * Y * 2, p);
    const auto histogram = read_doubles(g, "wait_histogram_by_replication", R * S * A * H, p);
    const bool has_pool_series = H5Lexists(g, "pool_monthly_data", H5P_DEFAULT) > 0;
    if (has_pool_series != run.monthly_by_pool)
      throw OutputError(fmt::format("{}: the interrupted run was {} --monthly-by-pool; resume with the same options", p,
                                    has_pool_series ? "started with" : "started without"));
    const auto pool_monthly = has_pool_series
                                  ? read_doubles(g, "pool_monthly_data", R * P * M * batch::kMonthlyMetrics.size(), p)
                                  : std::vector<double>{};
    auto slice = [](const std::vector<double>& all, std::size_t r, std::size_t n) {
      return std::vector<double>(all.begin() + r * n, all.begin() + (r + 1) * n);
    };
    for (std::size_t r = 0; r < R; ++r) {
      if (done[r] == 0) continue;
      batch::ReplicationResult& out = sr.replications[r];
      out.replication = r;
      out.area_metrics = slice(area, r, area.size() / R);
      out.service_metrics = slice(service, r, service.size() / R);
      out.pool_metrics = slice(pool, r, pool.size() / R);
      out.monthly = slice(monthly, r, monthly.size() / R);
      out.totals = slice(totals, r, totals.size() / R);
      out.outcome_cost = slice(outcome, r, outcome.size() / R);
      out.histogram = slice(histogram, r, histogram.size() / R);
      if (has_pool_series) out.pool_monthly = slice(pool_monthly, r, pool_monthly.size() / R);
      sr.done[r] = true;
    }
  }
}

}  // namespace dasim::output
