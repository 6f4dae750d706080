// The results-file layout (docs/results-format.md), driven by the results schema: each metric group of
// batch/schema.hpp becomes one dataset per scenario, labelled by dimension scales, and is described in /schema.
#include <algorithm>
#include <fmt/format.h>
#include <limits>
#include <map>

#include "batch/figures.hpp"
#include "batch/schema.hpp"
#include "output/hdf5.hpp"
#include "output/writers.hpp"
#include "scenario/loader.hpp"

namespace dasim::output {

namespace {

using batch::Axis;
using batch::Group;

/// The label dataset of an axis, where the scenario stores one.
const char* axis_dataset(Axis axis) {
  switch (axis) {
    case Axis::service: return "services";
    case Axis::area: return "areas";
    case Axis::pool: return "pools";
    case Axis::month: return "months";
    case Axis::payer: return "payers";
    case Axis::bin: return "";
    case Axis::risk: return "risk_levels";
    case Axis::source: return "sources";
  }
  return "";
}

std::vector<std::string> metric_names(const Group& g) {
  std::vector<std::string> out;
  for (const auto& m : g.metrics) out.push_back(m.name);
  return out;
}

void write_schema(const h5::Group& file) {
  const h5::Group schema = file.create_group("schema");
  schema.set_attribute("description", "metric groups: each is the dataset `dataset` of every scenario group");
  for (const Group& g : batch::groups()) {
    const h5::Group out = schema.create_group(g.name);
    std::vector<std::string> names, units, display, axes{"replication"};
    for (const auto& m : g.metrics) names.push_back(m.name), units.push_back(m.units), display.push_back(m.display);
    for (Axis a : g.axes) axes.push_back(batch::axis_name(a));
    if (g.metric_axis) axes.push_back("metric");
    out.write_strings("name", names);
    out.write_strings("units", units);
    out.write_strings("display_name", display);
    out.set_attribute("dataset", g.dataset);
    out.set_attribute("axes", axes);
    out.set_attribute("labels", g.labels);
    out.set_numbers("optional", std::vector<std::int32_t>{g.optional ? 1 : 0});
  }
}

/// The parameters the scenario's files mark `assumption`, as a sensitivity run finds them, so readers list them
/// without scanning the TOML again.
void write_assumptions(const h5::Group& scenario_group, const model::Scenario& s) {
  const std::vector<scenario::Assumption> found = scenario::assumptions(s);
  std::vector<std::string> keys, where, display;
  std::vector<double> values;
  for (const auto& a : found)
    keys.push_back(a.key), values.push_back(a.value), where.push_back(a.where), display.push_back(s.display_names.parameter(a.key));
  const h5::Group g = scenario_group.create_group("assumptions");
  g.write_strings("key", keys);
  g.write_strings("display_name", display);  // the scenario's name for it, for the appendix
  g.write("value", {values.size()}, values);
  g.write_strings("where", where);
}

/// What a board reads for each label dataset's entries, parallel to it (docs/results-format.md).
void write_display_names(const h5::Group& g, const model::Scenario& s) {
  g.set_attribute("display_name", s.display_name);
  const model::DisplayNames& d = s.display_names;
  auto parallel = [&](const char* dataset, const std::vector<std::string>& keys, const std::map<std::string, std::string>& names) {
    std::vector<std::string> out;
    for (const auto& k : keys) out.push_back(model::DisplayNames::of(names, k));
    g.write_strings(dataset, out);
  };
  parallel("service_display_names", s.services, d.services);
  parallel("funder_display_names", s.funders, d.funders);
  parallel("payer_display_names", s.payers, d.payers);
  std::vector<std::string> areas = batch::axis_labels(Axis::area, s);
  areas.pop_back();
  std::vector<std::string> area_names;
  for (const auto& a : areas) area_names.push_back(model::DisplayNames::of(d.areas, a));
  area_names.push_back("All areas");  // the label `all`
  g.write_strings("area_display_names", area_names);
  parallel("pool_display_names", batch::axis_labels(Axis::pool, s), d.pools);
}

/// What a scenario's group holds open while replications arrive: the per-replication datasets, by schema group.
struct ScenarioDatasets {
  h5::Group group;
  std::vector<std::pair<const Group*, h5::Dataset>> rows;  // one per stored group
  std::vector<h5::Dataset> indexes;  // replication, replication_seed: cut to the final count at the end
};

/// Everything of a scenario known before its replications run: descriptions, labels, and the per-replication
/// datasets (sized for every replication asked for, NaN until each arrives).
ScenarioDatasets start_scenario(const h5::Group& parent, const model::Scenario& s, std::size_t R,
                                std::uint64_t master_seed, bool monthly_by_pool) {
  ScenarioDatasets out{parent.create_group(s.name), {}, {}};
  const h5::Group& g = out.group;
  g.set_attribute("description", s.description);
  g.set_attribute("source_text", s.source_text);
  g.set_attribute("resolved", scenario::describe(s));
  g.set_numbers("horizon_days", std::vector<double>{s.simulation.horizon_days()});
  g.set_numbers("warmup_days", std::vector<double>{s.simulation.warmup_days});
  g.set_attribute("start_date", fmt::format("{:04}-{:02}-{:02}", s.simulation.start_year, s.simulation.start_month, s.simulation.start_day));

  // Labels, each a dimension scale so that tools such as xarray name the axes.
  std::map<std::string, h5::Dataset> scales;
  auto labels = [&](const std::string& name, const std::vector<std::string>& values, const std::string& axis) {
    h5::Dataset d = g.write_strings(name, values);
    d.make_scale(axis);
    scales.emplace(name, std::move(d));
  };
  for (Axis a : {Axis::service, Axis::pool, Axis::area, Axis::payer, Axis::month, Axis::risk, Axis::source})
    labels(axis_dataset(a), batch::axis_labels(a, s), batch::axis_name(a));
  std::vector<std::string> pool_service;
  for (const auto& p : s.pools) pool_service.push_back(s.services[p.service]);
  g.write_strings("pool_service", pool_service);
  g.write_strings("funders", s.funders);
  write_assumptions(g, s);
  write_display_names(g, s);
  std::vector<std::int32_t> replication;
  std::vector<std::uint64_t> seeds;
  for (std::size_t r = 0; r < R; ++r)
    replication.push_back(static_cast<std::int32_t>(r)), seeds.push_back(batch::replication_seed(master_seed, r));
  out.indexes.push_back(g.create_rows("replication", {R}, replication));
  out.indexes.back().make_scale("replication");
  out.indexes.push_back(g.create_rows("replication_seed", {R}, seeds));

  for (const Group& grp : batch::groups()) {
    if (grp.optional && !monthly_by_pool) continue;
    if (!grp.labels.empty() && !scales.count(grp.labels)) labels(grp.labels, metric_names(grp), "metric");
    const batch::Shape shape = grp.shape(s);
    std::vector<std::size_t> dims{R};
    dims.insert(dims.end(), shape.dims.begin(), shape.dims.end());
    h5::Dataset d = g.template create_rows<double>(grp.dataset, dims);
    d.set_attribute("units", grp.units());
    d.attach_scale(out.indexes.front(), 0, "replication");
    for (std::size_t k = 0; k < grp.axes.size(); ++k) {
      const auto dim = static_cast<unsigned>(k + 1);
      if (*axis_dataset(grp.axes[k])) d.attach_scale(scales.at(axis_dataset(grp.axes[k])), dim, batch::axis_name(grp.axes[k]));
      else d.label_axis(dim, batch::axis_name(grp.axes[k]));
    }
    const auto metric_dim = static_cast<unsigned>(dims.size() - 1);
    if (!grp.labels.empty()) d.attach_scale(scales.at(grp.labels), metric_dim, "metric");
    else if (grp.metric_axis) d.label_axis(metric_dim, "metric");
    out.rows.emplace_back(&grp, std::move(d));
  }
  return out;
}

/// The rest of a scenario, once its replications are in: which are done, costs, and the figures.
void finish_scenario(ScenarioDatasets& datasets, const batch::ScenarioRun& run, const batch::ScenarioFigures& figures) {
  const model::Scenario& s = *run.scenario;
  const h5::Group& g = datasets.group;
  const std::size_t R = run.done.size();
  for (auto& [grp, d] : datasets.rows) d.resize_rows(R);  // a sequential run may stop below the rows made
  for (const h5::Dataset& d : datasets.indexes) d.resize_rows(R);
  std::vector<std::int8_t> done;
  for (std::size_t r = 0; r < R; ++r) done.push_back(run.done[r]);
  g.write("done", {R}, done);

  const std::size_t S = s.services.size(), A = s.areas.size() + 1, M = batch::month_labels(s).size(), F = s.funders.size();
  const std::vector<double> funders = batch::funder_costs(s);
  std::vector<double> funder_cost;
  for (std::size_t r = 0; r < R; ++r) funder_cost.insert(funder_cost.end(), funders.begin(), funders.end());
  g.write("funder_cost", {R, F}, funder_cost).set_attribute("units", std::vector<std::string>{"GBP/year"});
  if (!figures.contracts.empty()) {
    std::vector<std::string> names;
    std::vector<double> cost, funder_share, service_share;
    for (const auto& c : figures.contracts) {
      names.push_back(c.name), cost.push_back(c.annual_cost);
      funder_share.insert(funder_share.end(), c.funder_share.begin(), c.funder_share.end());
      service_share.insert(service_share.end(), c.service_share.begin(), c.service_share.end());
    }
    const std::size_t C = names.size();
    g.write_strings("contracts", names);
    g.write("contract_cost", {C}, cost).set_attribute("units", std::vector<std::string>{"GBP/year"});
    g.write("contract_funder_share", {C, F}, funder_share).set_attribute("units", std::vector<std::string>{"share"});
    g.write("contract_service_share", {C, S}, service_share).set_attribute("units", std::vector<std::string>{"share"});
  }
  g.write("wait_histogram", {S, A, std::size_t(batch::kHistogramBins)}, figures.wait_histogram)
      .set_attribute("units", std::vector<std::string>{"people"});
  if (!figures.warmup.empty()) {
    std::vector<std::int32_t> mser;
    for (const auto& c : figures.warmup) mser.push_back(c.mser_months);
    g.write("warmup_mser_months", {mser.size()}, mser).set_attribute("units", std::vector<std::string>{"months"});
    g.set_numbers("warmup_months", std::vector<std::int32_t>{figures.warmup.front().warmup_months});
  }
  const std::vector<double> edges = batch::bin_edges();
  g.write("wait_bin_edges", {edges.size()}, edges).set_attribute("units", std::vector<std::string>{"days"});
  const Group& monthly = batch::monthly_group();
  const h5::Dataset band = g.write("monthly_band", {S, M, monthly.metrics.size(), batch::kBandStatistics.size()},
                                   figures.monthly_band);
  band.set_attribute("units", monthly.units());
  band.set_attribute("statistics", batch::kBandStatistics);
}

void write_rows(const h5::Group& parent, const char* name, const std::vector<batch::Row>& rows, const std::string& kind) {
  const h5::Group g = parent.create_group(name);
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
  const std::size_t count = scenario.size();
  for (auto [label, v] : {std::pair{"scenario", &scenario}, {"service", &service}, {"pool", &pool}, {"area", &area},
                          {"metric", &metric}, {"units", &units}})
    g.write_strings(label, *v);
  if (kind == "difference") g.write_strings("baseline", baseline);
  for (auto [label, v] : {std::pair{"mean", &mean}, {"ci_low", &lo}, {"ci_high", &hi}, {"sd", &sd}, {"p05", &p05},
                          {"p50", &p50}, {"p95", &p95}})
    g.write(label, {count}, *v);
  g.write("n", {count}, n);
}

void write_sensitivity(const h5::Group& file, const batch::RunRecord& run) {
  const h5::Group g = file.create_group("sensitivity");
  g.set_numbers("replications", std::vector<std::int32_t>{run.sensitivity_replications});
  g.set_attribute("scenario", run.scenarios.front().scenario->name);
  std::vector<std::string> parameter, where, output, units;
  std::vector<double> base, low, high, out_base, out_low, out_high, ell, elh, ehl, ehh;
  std::vector<std::string> scenario;  // the option of each row; its difference from the baseline as the setting moves
  std::vector<double> d_base, d_low, d_high, dll, dlh, dhl, dhh;
  for (const auto& r : run.sensitivity) {
    scenario.push_back(r.scenario), d_base.push_back(r.difference_base), d_low.push_back(r.difference_at_low);
    d_high.push_back(r.difference_at_high), dll.push_back(r.difference_change_low.ci_low);
    dlh.push_back(r.difference_change_low.ci_high), dhl.push_back(r.difference_change_high.ci_low);
    dhh.push_back(r.difference_change_high.ci_high);
    parameter.push_back(r.parameter), where.push_back(r.where), output.push_back(r.output), units.push_back(r.units);
    base.push_back(r.base_value), low.push_back(r.low_value), high.push_back(r.high_value);
    out_base.push_back(r.output_base), out_low.push_back(r.output_at_low), out_high.push_back(r.output_at_high);
    ell.push_back(r.effect_low.ci_low), elh.push_back(r.effect_low.ci_high);
    ehl.push_back(r.effect_high.ci_low), ehh.push_back(r.effect_high.ci_high);
  }
  const std::size_t n = parameter.size();
  g.write_strings("parameter", parameter);
  std::vector<std::string> parameter_display;
  for (const auto& key : parameter) parameter_display.push_back(run.scenarios.front().scenario->display_names.parameter(key));
  g.write_strings("parameter_display", parameter_display);
  g.write_strings("where", where);
  g.write_strings("output", output);
  g.write_strings("output_units", units);
  g.set_attribute("units", units.empty() ? std::string() : units.front());
  for (auto [label, v] : {std::pair{"base_value", &base}, {"low_value", &low}, {"high_value", &high}, {"output_base", &out_base},
                          {"output_at_low", &out_low}, {"output_at_high", &out_high}, {"effect_low_ci_low", &ell},
                          {"effect_low_ci_high", &elh}, {"effect_high_ci_low", &ehl}, {"effect_high_ci_high", &ehh},
                          {"difference_base", &d_base}, {"difference_at_low", &d_low}, {"difference_at_high", &d_high},
                          {"difference_change_low_ci_low", &dll}, {"difference_change_low_ci_high", &dlh},
                          {"difference_change_high_ci_low", &dhl}, {"difference_change_high_ci_high", &dhh}})
    g.write(label, {n}, *v);
  g.write_strings("scenario", scenario);
}

}  // namespace

struct ResultsStream::Impl {
  h5::File file;
  std::vector<ScenarioDatasets> scenarios;
};

ResultsStream::ResultsStream(const batch::RunRecord& run, const std::filesystem::path& path) {
  h5::File file = h5::File::create(path);
  // What a run knows at its start; the counts, the procedure and `complete` are written by finish(), so a file
  // still being written, or left by a killed run, never claims to be whole.
  file.set_attribute("filetype", "dasim-results");
  file.set_numbers("format_version", std::vector<std::int32_t>{kFormatMajor, kFormatMinor});
  file.set_attribute("dasim_version", DASIM_VERSION);
  file.set_attribute("git_commit", build_commit());
  file.set_numbers("master_seed", std::vector<std::uint64_t>{run.master_seed});
  std::vector<std::string> names;
  for (const auto& s : run.scenarios) names.push_back(s.scenario->name);
  file.set_attribute("scenarios", names);
  file.set_attribute("baseline", names.empty() ? "" : names.front());
  write_schema(file);
  std::vector<ScenarioDatasets> scenarios;
  {
    const h5::Group group = file.create_group("scenarios");
    for (const auto& sr : run.scenarios)
      scenarios.push_back(start_scenario(group, *sr.scenario, sr.done.size(), run.master_seed, run.monthly_by_pool));
  }
  impl_ = std::make_unique<Impl>(Impl{std::move(file), std::move(scenarios)});
}

ResultsStream::~ResultsStream() = default;

void ResultsStream::write(int scenario, const batch::ReplicationResult& result) {
  for (const auto& [grp, d] : impl_->scenarios.at(static_cast<std::size_t>(scenario)).rows)
    d.write_row(result.replication, result.*grp->field);
}

std::vector<double> ResultsStream::read(std::size_t scenario, const batch::Group& group, std::size_t first,
                                        std::size_t count) const {
  if (!impl_) throw std::logic_error("ResultsStream::read after finish()");
  for (const auto& [grp, d] : impl_->scenarios.at(scenario).rows)
    if (grp->field == group.field) return d.read_rows(first, count);
  throw std::logic_error(fmt::format("ResultsStream::read: no dataset {} is streamed", group.dataset));
}

void ResultsStream::finish(const batch::RunRecord& run, const batch::RunSummary& summary) {
  const h5::File& file = impl_->file;
  file.set_attribute("created", run.created);
  file.set_numbers("replications", std::vector<std::int32_t>{run.replications});
  file.set_numbers("complete", std::vector<std::int32_t>{run.complete() ? 1 : 0});
  file.set_attribute("replication_procedure", run.replication_procedure);
  if (!run.stop_reason.empty()) file.set_attribute("stop_reason", run.stop_reason);
  for (std::size_t k = 0; k < run.scenarios.size(); ++k)
    finish_scenario(impl_->scenarios.at(k), run.scenarios[k], summary.scenarios.at(k));
  write_rows(file, "summary", summary.rows, "summary");
  write_rows(file, "comparisons", summary.rows, "difference");
  if (!run.sensitivity.empty()) write_sensitivity(file, run);
  file.flush();
  impl_.reset();  // closes the file: it may be renamed into place
}

void write_hdf5(const batch::RunRecord& run, const batch::RunSummary& summary, const std::filesystem::path& path) {
  ResultsStream stream(run, path);
  for (std::size_t k = 0; k < run.scenarios.size(); ++k)
    for (std::size_t r = 0; r < run.scenarios[k].done.size(); ++r)
      if (run.scenarios[k].done[r]) stream.write(static_cast<int>(k), run.scenarios[k].replications[r]);
  stream.finish(run, summary);
}

void read_hdf5_for_resume(const batch::RunRecord& run, const std::filesystem::path& path,
                          const std::function<void(int scenario, batch::ReplicationResult&&)>& on_result) {
  const h5::File file = h5::File::open_read_only(path);
  const std::string p = path.string();
  if (file.string_attribute("filetype") != "dasim-results") throw OutputError(fmt::format("{}: not a dasim results file", p));
  const auto version = file.number_attribute<std::int32_t>("format_version", 2);
  if (version[0] != kFormatMajor)
    throw OutputError(fmt::format("{}: results format {}.{} cannot be resumed by this dasim (format {}.{})", p, version[0],
                                  version[1], kFormatMajor, kFormatMinor));
  const std::uint64_t seed = file.number_attribute<std::uint64_t>("master_seed", 1)[0];
  const std::int32_t replications = file.number_attribute<std::int32_t>("replications", 1)[0];
  if (seed != run.master_seed || replications != run.replications)
    throw OutputError(fmt::format("{}: was started with --seed {} --replications {}, not --seed {} --replications {}; "
                                  "resume with the same options", p, seed, replications, run.master_seed, run.replications));
  const h5::Group scenarios = file.open_group("scenarios");
  for (std::size_t k = 0; k < run.scenarios.size(); ++k) {
    const model::Scenario& s = *run.scenarios[k].scenario;
    if (!scenarios.has(s.name)) throw OutputError(fmt::format("{}: was made by other scenarios (no '{}' in it)", p, s.name));
    const h5::Group g = scenarios.open_group(s.name);
    if (g.string_attribute("source_text") != s.source_text)
      throw OutputError(fmt::format("{}: scenario '{}' has changed since the interrupted run; start afresh with --force", p, s.name));
    const std::size_t R = run.scenarios[k].done.size();
    const auto done = g.read_doubles("done", R);
    std::vector<std::pair<const Group*, h5::Dataset>> stored;
    std::size_t cells = 0;
    for (const Group& grp : batch::groups()) {
      if (grp.optional && g.has(grp.dataset) != run.monthly_by_pool)
        throw OutputError(fmt::format("{}: the interrupted run was {} --monthly-by-pool; resume with the same options", p,
                                      run.monthly_by_pool ? "started without" : "started with"));
      if (grp.optional && !run.monthly_by_pool) continue;
      stored.emplace_back(&grp, g.open_dataset(grp.dataset));
      cells += grp.shape(s).size();
    }
    // A block of replications at a time, so that resuming a long run holds no more of it than a run does.
    const std::size_t step = std::max<std::size_t>(1, batch::kReadbackBudget / std::max<std::size_t>(cells, 1));
    for (std::size_t r0 = 0; r0 < R; r0 += step) {
      const std::size_t count = std::min(step, R - r0);
      std::vector<batch::ReplicationResult> block(count);
      for (const auto& [grp, d] : stored) {
        const std::size_t size = grp->shape(s).size();
        const std::vector<double> values = d.read_rows(r0, count);
        if (values.size() != count * size)
          throw OutputError(fmt::format("{}: holds {} values a replication where this run has {}: it was made by other "
                                        "scenarios", d.where(), values.size() / count, size));
        for (std::size_t i = 0; i < count; ++i)
          block[i].*grp->field = std::vector<double>(values.begin() + i * size, values.begin() + (i + 1) * size);
      }
      for (std::size_t i = 0; i < count; ++i)
        if (done[r0 + i] != 0) {
          block[i].replication = r0 + i;
          on_result(static_cast<int>(k), std::move(block[i]));
        }
    }
  }
}

void read_hdf5_for_resume(batch::RunRecord& run, const std::filesystem::path& path) {
  read_hdf5_for_resume(run, path, [&run](int scenario, batch::ReplicationResult&& result) {
    batch::ScenarioRun& sr = run.scenarios.at(static_cast<std::size_t>(scenario));
    sr.done.at(result.replication) = true;
    sr.replications.at(result.replication) = std::move(result);
  });
}

}  // namespace dasim::output
