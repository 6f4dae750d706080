#include "batch/readback.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>

namespace dasim::batch {

std::vector<double> RecordReader::read(std::size_t scenario, const Group& group, std::size_t first, std::size_t count) const {
  const ScenarioRun& run = run_.scenarios.at(scenario);
  const std::size_t cells = group.shape(*run.scenario).size();
  std::vector<double> out;
  out.reserve(count * cells);
  for (std::size_t r = first; r < first + count; ++r) {
    const std::vector<double>* values = r < run.replications.size() ? &(run.replications[r].*group.field) : nullptr;
    if (values && values->size() == cells) out.insert(out.end(), values->begin(), values->end());
    else out.insert(out.end(), cells, std::numeric_limits<double>::quiet_NaN());  // not done (or not kept)
  }
  return out;
}

RowMoments::RowMoments(const std::vector<RowSpec>& specs, std::size_t scenarios)
    : specs_(specs), plain_(scenarios), moments_(specs.size()) {
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (specs[i].paired) paired_.push_back(i);
    else plain_.at(specs[i].scenario).push_back(i);
  }
}

void RowMoments::add_plain(std::size_t scenario, const ReplicationResult& result) {
  for (std::size_t i : plain_.at(scenario)) moments_[i].add(specs_[i].value(result, result));
}

void RowMoments::add_paired(const std::vector<const ReplicationResult*>& results) {
  for (std::size_t i : paired_) {
    const ReplicationResult *own = results.at(specs_[i].scenario), *base = results.at(0);
    if (own && base) moments_[i].add(specs_[i].value(*own, *base));
  }
}

void RowMoments::add(const std::vector<const ReplicationResult*>& results) {
  for (std::size_t s = 0; s < results.size(); ++s)
    if (results[s]) add_plain(s, *results[s]);
  add_paired(results);
}

namespace {

using Field = std::vector<double> ReplicationResult::*;

/// The schema group of an array, by its index in groups() (member pointers have no order to sort by).
std::size_t group_of(Field field) {
  for (std::size_t g = 0; g < groups().size(); ++g)
    if (groups()[g].field == field) return g;
  throw std::logic_error("a summary row reads an array the schema does not have");
}

/// What the specs [first, last) read: per scenario, the groups.
std::map<std::size_t, std::set<std::size_t>> inputs(const std::vector<RowSpec>& specs, std::size_t first, std::size_t last) {
  std::map<std::size_t, std::set<std::size_t>> out;
  for (std::size_t i = first; i < last; ++i)
    for (Field f : specs[i].reads) {
      out[specs[i].scenario].insert(group_of(f));
      if (specs[i].paired) out[0].insert(group_of(f));
    }
  return out;
}

bool counted(const RowSpec& spec, const RunRecord& run, std::size_t r) {
  return run.scenarios[spec.scenario].done[r] && (!spec.paired || run.scenarios[0].done[r]);
}

}  // namespace

std::vector<stats::Summary> summaries(const std::vector<RowSpec>& specs, const std::vector<stats::Moments>& moments,
                                      const RunRecord& run, const ReplicationReader& reader, std::size_t budget) {
  std::vector<stats::Summary> out(specs.size());
  const std::size_t R = run.scenarios.empty() ? 0 : run.scenarios.front().done.size();
  budget = std::max<std::size_t>(budget, 1);
  std::size_t first = 0;
  while (first < specs.size()) {
    // A block of rows whose values fit the budget together (at least one row, however many replications).
    const std::size_t rows = std::max<std::size_t>(1, budget / std::max<std::size_t>(R, 1));
    const std::size_t last = std::min(specs.size(), first + rows);
    std::vector<std::vector<double>> columns(last - first);
    for (std::size_t i = first; i < last; ++i)
      if (!specs[i].hidden) columns[i - first].reserve(static_cast<std::size_t>(moments[i].n));
    const auto needed = inputs(specs, first, last);
    // Replications a block at a time, the arrays of the block no larger than the budget either.
    std::size_t cells = 0;
    for (const auto& [scenario, read] : needed)
      for (std::size_t g : read) cells += groups()[g].shape(*run.scenarios[scenario].scenario).size();
    const std::size_t step = std::max<std::size_t>(1, budget / std::max<std::size_t>(cells, 1));
    std::vector<ReplicationResult> at(run.scenarios.size());
    for (std::size_t r0 = 0; r0 < R; r0 += step) {
      const std::size_t count = std::min(step, R - r0);
      std::map<std::pair<std::size_t, std::size_t>, std::vector<double>> read;  // by scenario and group
      for (const auto& [scenario, wanted] : needed)
        for (std::size_t g : wanted) read[{scenario, g}] = reader.read(scenario, groups()[g], r0, count);
      for (std::size_t r = r0; r < r0 + count; ++r) {
        for (const auto& [key, values] : read) {
          const std::size_t size = values.size() / count;
          (at[key.first].*groups()[key.second].field)
              .assign(values.begin() + (r - r0) * size, values.begin() + (r - r0 + 1) * size);
        }
        for (std::size_t i = first; i < last; ++i)
          if (!specs[i].hidden && counted(specs[i], run, r))
            columns[i - first].push_back(specs[i].value(at[specs[i].scenario], at[0]));
      }
    }
    for (std::size_t i = first; i < last; ++i) {
      std::vector<double>& values = columns[i - first];
      out[i] = stats::summarize(moments[i], values);
      if (!specs[i].hidden && values.size() != static_cast<std::size_t>(moments[i].n))
        throw std::logic_error(fmt::format("summary row {} {} {}: {} values read back where the run had {}",
                                           specs[i].row.scenario, specs[i].row.service, specs[i].row.metric, values.size(),
                                           moments[i].n));
      std::vector<double>().swap(values);
    }
    first = last;
  }
  return out;
}

}  // namespace dasim::batch
