#include "output/sizing_file.hpp"

#include <fmt/format.h>

#include "output/hdf5.hpp"

namespace dasim::output {

void add_sizing_group(const std::filesystem::path& path, const std::vector<batch::SizingAnswer>& answers,
                      const std::string& procedure, const batch::SizeRule& rule) {
  h5::Group file(h5::Handle(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose,
                            fmt::format("{}: cannot open to add /sizing", path.string())),
                 path.string(), "/");
  const h5::Group sizing = file.create_group("sizing");
  sizing.set_attribute("procedure", procedure);
  sizing.set_numbers("initial_replications", std::vector<std::int32_t>{rule.initial});
  sizing.set_numbers("maximum_replications", std::vector<std::int32_t>{rule.maximum});
  sizing.set_numbers("confidence", std::vector<double>{rule.confidence});
  std::vector<std::string> options, services;
  for (const batch::SizingAnswer& a : answers) {
    options.push_back(a.plan.option->name);
    services.push_back(a.plan.option->services[a.plan.service]);
  }
  sizing.write_strings("options", options);  // with `services`: the searches in the order they ran
  sizing.write_strings("services", services);
  for (const batch::SizingAnswer& a : answers) {
    // /sizing/OPTION/SERVICE: several services of one option are sized one after another.
    const std::string& option = a.plan.option->name;
    const h5::Group og = sizing.has(option) ? sizing.open_group(option) : sizing.create_group(option);
    const h5::Group g = og.create_group(a.plan.option->services[a.plan.service]);
    const batch::SizeOutcome& o = a.outcome;
    g.set_attribute("area", a.plan.area.empty() ? "all" : a.plan.area);
    g.set_attribute("selection", a.selection);
    g.set_attribute("target", a.target.text());
    g.set_attribute("target_measure", a.cell.description);
    g.set_attribute("unit", a.plan.unit);
    g.set_attribute("status", batch::status_name(o.status));
    g.set_attribute("message", o.message);
    g.set_numbers("level", std::vector<std::int32_t>{o.level});
    g.set_numbers("below", std::vector<std::int32_t>{o.below});
    g.set_numbers("option_level", std::vector<std::int32_t>{a.plan.base_level});
    g.set_numbers("replications_used", std::vector<std::int32_t>{o.replications});
    g.set_numbers("seconds", std::vector<double>{a.seconds});
    // The levels visited, in increasing order: the measure's mean and 95% CI, replications and verdict at each.
    std::vector<std::int32_t> levels, counts;
    std::vector<double> mean, low, high;
    std::vector<std::string> verdicts;
    for (const auto& [level, r] : o.levels) {
      levels.push_back(level);
      counts.push_back(static_cast<std::int32_t>(r.values.size()));
      mean.push_back(r.summary.mean);
      low.push_back(r.summary.ci_low);
      high.push_back(r.summary.ci_high);
      verdicts.push_back(batch::verdict_name(r.verdict));
    }
    const std::size_t k = levels.size();
    g.write("levels", {k}, levels);
    g.write("replications", {k}, counts);
    g.write("mean", {k}, mean);
    g.write("ci_low", {k}, low);
    g.write("ci_high", {k}, high);
    g.write_strings("verdict", verdicts);
    // The rows the console and CSV show (answer, target, cost by funder, other services), column by column.
    std::vector<std::string> kind, service, name, units, note;
    std::vector<std::int32_t> at;
    std::vector<double> value, value_low, value_high;
    for (const batch::SizingRow& r : batch::sizing_rows(a)) {
      kind.push_back(r.kind);
      service.push_back(r.service);
      name.push_back(r.name);
      units.push_back(r.units);
      note.push_back(r.note);
      at.push_back(r.level);
      value.push_back(r.summary.mean);
      value_low.push_back(r.summary.ci_low);
      value_high.push_back(r.summary.ci_high);
    }
    const h5::Group rows = g.create_group("rows");
    rows.write_strings("kind", kind);
    rows.write_strings("service", service);
    rows.write_strings("name", name);
    rows.write_strings("units", units);
    rows.write_strings("note", note);
    rows.write("level", {at.size()}, at);
    rows.write("mean", {value.size()}, value);
    rows.write("ci_low", {value_low.size()}, value_low);
    rows.write("ci_high", {value_high.size()}, value_high);
  }
}

}  // namespace dasim::output
