#include "batch/size.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <stdexcept>

namespace dasim::batch {

std::string Target::text() const { return fmt::format("{} {} {:g}", metric, at_least ? ">=" : "<=", threshold); }

Target parse_target(const std::string& text) {
  const auto op = text.find_first_of("<>");
  const auto bad = [&](const std::string& why) {
    return std::invalid_argument(fmt::format("--target '{}': {}; write it as METRIC >= NUMBER or METRIC <= NUMBER, "
                                             "e.g. \"within_target >= 0.9\"", text, why));
  };
  if (op == std::string::npos || op + 1 >= text.size() || text[op + 1] != '=') throw bad("no >= or <=");
  auto trim = [](std::string s) {
    s.erase(0, s.find_first_not_of(" \t"));
    s.erase(s.find_last_not_of(" \t") + 1);
    return s;
  };
  Target t;
  t.metric = trim(text.substr(0, op));
  t.at_least = text[op] == '>';
  const std::string number = trim(text.substr(op + 2));
  if (t.metric.empty()) throw bad("no measure before the comparison");
  if (number.empty()) throw bad("no number after the comparison");
  char* end = nullptr;
  t.threshold = std::strtod(number.c_str(), &end);
  if (end != number.c_str() + number.size() || !std::isfinite(t.threshold)) throw bad(fmt::format("'{}' is not a number", number));
  return t;
}

MeasureCell find_cell(const model::Scenario& scenario, const std::string& metric,
                      const std::map<std::string, std::string>& selections) {
  if (const auto slash = metric.find('/'); slash != std::string::npos) {
    MeasureCell share = find_cell(scenario, metric.substr(0, slash), selections);
    const MeasureCell per = find_cell(scenario, metric.substr(slash + 1), selections);
    if (per.per_group) throw std::invalid_argument(fmt::format("measure '{}': one '/' at most", metric));
    share.per_group = per.group;
    share.per_at = per.at;
    share.description = fmt::format("{} as a share of {}{}", share.group->metrics[share.metric].display,
                                    per.group->metrics[per.metric].display, per.description.substr(per.description.rfind(" (")));
    return share;
  }
  std::string groups_with_metric;
  for (const Group& g : groups()) {
    const auto m = std::find_if(g.metrics.begin(), g.metrics.end(), [&](const Metric& x) { return x.name == metric; });
    if (m == g.metrics.end() || !g.metric_axis) continue;
    groups_with_metric += (groups_with_metric.empty() ? "" : ", ") + g.name;
    bool usable = true;
    for (const Axis a : g.axes) usable = usable && selections.count(axis_name(a));
    for (const auto& [axis, label] : selections) {
      const bool has = std::any_of(g.axes.begin(), g.axes.end(), [&](Axis a) { return axis == axis_name(a); });
      usable = usable && (has || label == "all");
    }
    if (!usable) continue;
    std::vector<std::size_t> index;
    std::string where;
    for (const Axis a : g.axes) {
      const std::string& label = selections.at(axis_name(a));
      const std::vector<std::string> labels = axis_labels(a, scenario);
      const auto it = std::find(labels.begin(), labels.end(), label);
      if (it == labels.end()) {
        std::string known;
        for (const auto& l : labels) known += (known.empty() ? "" : ", ") + l;
        throw std::invalid_argument(fmt::format("scenario '{}' has no {} '{}' (it has: {})", scenario.name, axis_name(a),
                                                label, known));
      }
      index.push_back(static_cast<std::size_t>(it - labels.begin()));
      if (a == Axis::service) where += model::DisplayNames::of(scenario.display_names.services, label);
      else if (label != "all") where += fmt::format(", {}", model::DisplayNames::of(a == Axis::area ? scenario.display_names.areas : std::map<std::string, std::string>{}, label));
    }
    index.push_back(static_cast<std::size_t>(m - g.metrics.begin()));
    const Shape shape = g.shape(scenario);
    std::size_t at = 0;
    for (std::size_t d = 0; d < index.size(); ++d) at = at * shape.dims[d] + index[d];
    const std::string area = selections.count("area") && selections.at("area") != "all" ? "" : ", all areas";
    return {&g, index.back(), at, fmt::format("{} ({}{})", m->display, where, area)};
  }
  if (groups_with_metric.empty()) {
    std::string known;
    for (const Metric& x : area_group().metrics) known += (known.empty() ? "" : ", ") + x.name;
    for (const Metric& x : service_group().metrics) known += ", " + x.name;
    throw std::invalid_argument(fmt::format("no measure '{}' (measures of a service: {})", metric, known));
  }
  std::string given;
  for (const auto& [axis, label] : selections) given += (given.empty() ? "" : ", ") + axis + "=" + label;
  throw std::invalid_argument(fmt::format("measure '{}' is in {} but not for the selection {}", metric, groups_with_metric, given));
}

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::meets: return "meets";
    case Verdict::fails: return "fails";
    default: return "unclear";
  }
}

const char* status_name(SizeStatus s) {
  switch (s) {
    case SizeStatus::found: return "found";
    case SizeStatus::between: return "between";
    case SizeStatus::impossible: return "impossible";
    case SizeStatus::non_monotone: return "non_monotone";
    default: return "undefined";
  }
}

namespace {

class Searcher {
 public:
  Searcher(const Target& target, const SizeRule& rule, const LevelMeasure& measure, SizeOutcome& out)
      : target_(target), rule_(rule), measure_(measure), out_(out) {}

  /// Judges a level: runs more replications, doubling, until its CI is on one side of the threshold or the maximum.
  Verdict judge(int level) {
    LevelResult& r = out_.levels[level];
    r.level = level;
    int n = std::max<int>(rule_.initial, static_cast<int>(r.values.size()));
    for (;;) {
      extend(r, n);
      if (r.summary.n < 2) throw Undefined{level};
      r.verdict = verdict(r.summary);
      if (r.verdict != Verdict::unclear || n >= rule_.maximum) return r.verdict;
      n = std::min(rule_.maximum, 2 * n);
    }
  }
  struct Undefined { int level; };

 private:
  void extend(LevelResult& r, int n) {
    const int have = static_cast<int>(r.values.size());
    if (n <= have) return;
    const std::vector<double> more = measure_(r.level, have, n);
    r.values.insert(r.values.end(), more.begin(), more.end());
    out_.replications += n - have;
    r.summary = stats::summarize(r.values, rule_.confidence);
  }
  Verdict verdict(const stats::Summary& s) const {
    const double t = target_.threshold;
    if (target_.at_least) return s.ci_low >= t ? Verdict::meets : s.ci_high < t ? Verdict::fails : Verdict::unclear;
    return s.ci_high <= t ? Verdict::meets : s.ci_low > t ? Verdict::fails : Verdict::unclear;
  }
  const Target& target_;
  const SizeRule& rule_;
  const LevelMeasure& measure_;
  SizeOutcome& out_;
};

/// A pair of visited levels where more capacity made the measure worse beyond chance (paired-t on the replications
/// both ran), or where a level meets the target and a higher one clearly fails; empty when there is none.
std::string monotone_problem(const Target& target, const SizeOutcome& out, double confidence) {
  const LevelResult* previous = nullptr;
  for (const auto& [level, r] : out.levels) {
    if (previous) {
      const std::size_t n = std::min(previous->values.size(), r.values.size());
      const std::vector<double> a(r.values.begin(), r.values.begin() + n), b(previous->values.begin(), previous->values.begin() + n);
      const stats::Summary d = stats::summarize(stats::paired_differences(a, b), confidence);
      const bool worse = target.at_least ? d.ci_high < 0 : d.ci_low > 0;
      if (worse)
        return fmt::format("the measure gets worse as capacity rises from {} to {}: paired difference {:.4g} (95% CI "
                           "{:.4g} to {:.4g}, {} common replications)", previous->level, level, d.mean, d.ci_low, d.ci_high, d.n);
    }
    previous = &r;
  }
  for (const auto& [low, a] : out.levels)
    for (const auto& [high, b] : out.levels)
      if (low < high && a.verdict == Verdict::meets && b.verdict == Verdict::fails)
        return fmt::format("the target is met at {} but clearly not at {}, a higher capacity", low, high);
  return "";
}

}  // namespace

SizeOutcome search(const Target& target, int start, const SizeRule& rule, const LevelMeasure& measure) {
  if (rule.floor > rule.ceiling)
    throw std::invalid_argument(fmt::format("the least level {} is above the ceiling {}", rule.floor, rule.ceiling));
  SizeOutcome out;
  Searcher s(target, rule, measure, out);
  try {
    // Bracket from the option's own level: down while it meets, up while it does not, in growing steps.
    int lo = -1, hi = -1;
    int level = std::clamp(start, rule.floor, rule.ceiling);
    int step = std::max(1, static_cast<int>(std::lround(0.1 * level)));
    if (s.judge(level) == Verdict::meets) {
      hi = level;
      while (hi > rule.floor) {
        const int next = std::max(rule.floor, hi - step);
        if (s.judge(next) != Verdict::meets) { lo = next; break; }
        hi = next;
        step *= 2;
      }
    } else {
      lo = level;
      while (hi < 0 && lo < rule.ceiling) {
        const int next = std::min(rule.ceiling, lo + step);
        if (s.judge(next) == Verdict::meets) hi = next;
        else lo = next;
        step *= 2;
      }
    }
    while (hi >= 0 && lo >= 0 && hi - lo > 1) {  // bisect: lo does not meet, hi meets
      const int mid = lo + (hi - lo) / 2;
      if (s.judge(mid) == Verdict::meets) hi = mid;
      else lo = mid;
    }
    if (const std::string problem = monotone_problem(target, out, rule.confidence); !problem.empty()) {
      out.status = SizeStatus::non_monotone;
      out.message = fmt::format("the measure does not improve steadily with capacity, so no least level can be "
                                "trusted: {}", problem);
      return out;
    }
    if (hi < 0) {
      out.status = SizeStatus::impossible;
      out.level = rule.ceiling;
      const stats::Summary& at = out.levels.at(rule.ceiling).summary;
      out.message = fmt::format("the target is not met at any level up to the ceiling of {}: there the measure is {:.4g} "
                                "(95% CI {:.4g} to {:.4g})", rule.ceiling, at.mean, at.ci_low, at.ci_high);
      return out;
    }
    out.level = hi;
    out.below = lo;
    if (lo >= 0 && out.levels.at(lo).verdict == Verdict::unclear) {
      out.status = SizeStatus::between;
      out.message = fmt::format("the answer lies between {} and {}: {} meets the target, and {} could not be told "
                                "apart from it in {} replications (the most allowed)", lo, hi, hi, lo, rule.maximum);
    } else {
      out.status = SizeStatus::found;
      out.message = lo < 0 ? fmt::format("even the least level tried, {}, meets the target", hi)
                           : fmt::format("{} is the least level that meets the target; {} clearly does not", hi, lo);
    }
  } catch (const Searcher::Undefined& u) {
    out.status = SizeStatus::undefined;
    out.level = u.level;
    out.message = fmt::format("the measure is undefined at level {} in nearly every replication (nobody reached the "
                              "service), so it cannot be judged", u.level);
  }
  return out;
}

}  // namespace dasim::batch
