#include "batch/readback.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <iterator>
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

bool counted(const RowSpec& spec, const RunRecord& run, std::size_t r) {
  return run.scenarios[spec.scenario].done[r] && (!spec.paired || run.scenarios[0].done[r]);
}

/// One pass over the values of the specs `rows` (sorted indices): every replication the run counts, read back a block
/// of replications at a time (the arrays of a block no larger than `budget` values), each row's value of it handed to
/// `on_value(row, value)` unless NaN (a replication where the row is undefined).
void scan(const std::vector<RowSpec>& specs, const std::vector<std::size_t>& rows, const RunRecord& run,
          const ReplicationReader& reader, std::size_t budget, const std::function<void(std::size_t, double)>& on_value) {
  const std::size_t R = run.scenarios.empty() ? 0 : run.scenarios.front().done.size();
  std::map<std::size_t, std::set<std::size_t>> needed;  // per scenario, the groups the rows read
  for (std::size_t i : rows)
    for (Field f : specs[i].reads) {
      needed[specs[i].scenario].insert(group_of(f));
      if (specs[i].paired) needed[0].insert(group_of(f));
    }
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
      for (std::size_t i : rows)
        if (counted(specs[i], run, r)) {
          const double x = specs[i].value(at[specs[i].scenario], at[0]);
          if (!std::isnan(x)) on_value(i, x);
        }
    }
  }
}

/// Doubles as unsigned keys in the same order (the bit pattern, negatives flipped): a value's bin is exact integer
/// arithmetic, infinities included, and a key range shrinks by the number of bins at every refinement, so selection
/// ends in a few passes however the values are spread (-0 sorts just below +0).
constexpr std::uint64_t kSign = std::uint64_t{1} << 63;
std::uint64_t key_of(double x) {
  std::uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return (bits & kSign) ? ~bits : (bits | kSign);
}
double value_of(std::uint64_t key) {
  const std::uint64_t bits = (key & kSign) ? (key & ~kSign) : ~key;
  double x;
  std::memcpy(&x, &bits, sizeof x);
  return x;
}

/// Part of one row's values, by key: those in [low, high], `count` of them, with `below` of the row's values under
/// `low`; it holds the order statistics of `ranks` (below <= rank < below + count) that are still to be found.
struct Window {
  std::size_t row = 0;
  std::uint64_t low = 0, high = 0;
  std::size_t below = 0, count = 0;
  std::vector<std::size_t> ranks;
};

/// Windows of at most this many values are collected and sorted; larger ones are split into bins and narrowed.
constexpr std::size_t kCollectAtMost = 64;
constexpr std::size_t kMostBins = 1024;

/// How a pass treats one window: collect its values, or count them in `bins` bins of `width` keys each.
struct Plan {
  Window window;
  bool collect = false;
  std::uint64_t width = 1;
  std::vector<std::uint32_t> counts;
  std::vector<std::uint64_t> keys;
};

std::logic_error not_this_run(const RowSpec& spec, std::size_t read, std::size_t had) {
  return std::logic_error(fmt::format("summary row {} {} {}: {} values read back where the run had {}", spec.row.scenario,
                                      spec.row.service, spec.row.metric, read, had));
}

}  // namespace

std::vector<stats::Summary> summaries(const std::vector<RowSpec>& specs, const std::vector<stats::Moments>& moments,
                                      const RunRecord& run, const ReplicationReader& reader, std::size_t budget) {
  budget = std::max<std::size_t>(budget, 1);
  // Each row starts as one window: all its values, between the moments' smallest and largest (a zero at either end
  // taken as either sign, since -0 == +0 to min and max but not to the keys).
  std::vector<std::map<std::size_t, double>> found(specs.size());  // per row, order statistics by rank
  std::vector<Window> open;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (specs[i].hidden || moments[i].n == 0) continue;
    const auto n = static_cast<std::size_t>(moments[i].n);
    Window w{i, key_of(moments[i].min == 0 ? -0.0 : moments[i].min), key_of(moments[i].max == 0 ? 0.0 : moments[i].max),
             0, n, {}};
    for (double q : stats::kReportedQuantiles) {
      const stats::PercentileRanks at = stats::percentile_ranks(n, q);
      w.ranks.push_back(at.low);
      w.ranks.push_back(at.high);
    }
    std::sort(w.ranks.begin(), w.ranks.end());
    w.ranks.erase(std::unique(w.ranks.begin(), w.ranks.end()), w.ranks.end());
    open.push_back(std::move(w));
  }
  // Then passes that each narrow every open window at once (as many as the budget holds: `budget` values collected,
  // 8 x `budget` bin counters), until each wanted rank's value is known. A window whose keys are one value is known
  // without reading: every value in it is that one (all-equal rows, heavy ties).
  const std::size_t counter_budget = 8 * budget, collect_at_most = std::min(budget, kCollectAtMost);
  while (!open.empty()) {
    std::vector<Window> waiting;
    for (Window& w : open) {
      if (w.low == w.high)
        for (std::size_t rank : w.ranks) found[w.row][rank] = value_of(w.low);
      else waiting.push_back(std::move(w));
    }
    if (waiting.empty()) break;
    const std::size_t to_split = static_cast<std::size_t>(std::count_if(
        waiting.begin(), waiting.end(), [&](const Window& w) { return w.count > collect_at_most; }));
    const std::size_t bins = std::clamp<std::size_t>(counter_budget / std::max<std::size_t>(to_split, 1), 2, kMostBins);
    std::vector<Plan> plans;
    std::size_t values = 0, counters = 0, taken = 0;
    for (; taken < waiting.size(); ++taken) {
      Window& w = waiting[taken];
      const bool collect = w.count <= collect_at_most;
      if (!plans.empty() && (collect ? values + w.count > budget : counters + bins > counter_budget)) break;
      Plan plan;
      plan.window = std::move(w);
      plan.collect = collect;
      if (collect) values += plan.window.count;
      else {
        counters += bins;
        plan.width = (plan.window.high - plan.window.low) / bins + 1;
        plan.counts.assign(bins, 0);
      }
      plans.push_back(std::move(plan));
    }
    std::vector<std::vector<std::size_t>> plans_of(specs.size());  // per row, its plans in this pass
    std::vector<std::size_t> rows;
    for (std::size_t p = 0; p < plans.size(); ++p) {
      if (plans_of[plans[p].window.row].empty()) rows.push_back(plans[p].window.row);
      plans_of[plans[p].window.row].push_back(p);
    }
    std::sort(rows.begin(), rows.end());
    scan(specs, rows, run, reader, budget, [&](std::size_t i, double x) {
      const std::uint64_t k = key_of(x);
      for (std::size_t p : plans_of[i]) {
        Plan& plan = plans[p];
        if (k < plan.window.low || k > plan.window.high) continue;
        if (plan.collect) plan.keys.push_back(k);
        else ++plan.counts[(k - plan.window.low) / plan.width];
      }
    });
    std::vector<Window> next(std::make_move_iterator(waiting.begin() + static_cast<std::ptrdiff_t>(taken)),
                             std::make_move_iterator(waiting.end()));
    for (Plan& plan : plans) {
      const Window& w = plan.window;
      if (plan.collect) {
        if (plan.keys.size() != w.count) throw not_this_run(specs[w.row], w.below + plan.keys.size(), w.below + w.count);
        std::sort(plan.keys.begin(), plan.keys.end());
        for (std::size_t rank : w.ranks) found[w.row][rank] = value_of(plan.keys[rank - w.below]);
        continue;
      }
      std::size_t below = w.below, total = 0;
      for (std::size_t b = 0; b < plan.counts.size(); ++b) {
        const std::size_t in_bin = plan.counts[b];
        total += in_bin;
        Window part{w.row, w.low + b * plan.width, 0, below, in_bin, {}};
        part.high = w.high - part.low < plan.width - 1 ? w.high : part.low + (plan.width - 1);
        for (std::size_t rank : w.ranks)
          if (rank >= below && rank < below + in_bin) part.ranks.push_back(rank);
        if (!part.ranks.empty()) next.push_back(std::move(part));
        below += in_bin;
      }
      if (total != w.count) throw not_this_run(specs[w.row], w.below + total, w.below + w.count);
    }
    open = std::move(next);
  }
  std::vector<stats::Summary> out(specs.size());
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (found[i].empty()) out[i] = stats::summarize(moments[i], nullptr);  // hidden, or no values: no percentiles
    else out[i] = stats::summarize(moments[i], [&](std::size_t rank) { return found[i].at(rank); });
  }
  return out;
}

}  // namespace dasim::batch
