// [pools.NAME]: the keys every pool has, then the keys of its kind, read by that kind's own reader. A key of
// another kind is refused with a message saying which kinds it applies to.
#include <algorithm>
#include <fmt/format.h>

#include "scenario/builder.hpp"

namespace dasim::scenario {

namespace {

constexpr std::string_view kCommonKeys[] = {
    "service", "areas", "kind", "workers", "duration", "patience", "max_queue", "eligible", "priority", "target_days",
    "target_working_days", "capacity_changes", "support", "on_complete_set", "next", "also", "on_decline",
    "on_disengage", "children_to"};

/// One pool kind: its name in the file, the keys only it reads, and its reader.
struct KindReader {
  std::string_view name;
  std::vector<std::string_view> keys;
  /// Reads the kind's own keys into `p.kind`; `p`'s common part is read already.
  void (*read)(ScenarioBuilder& in, const toml::table& t, const std::string& key, model::PoolSpec& p);
};

/// The shortest period of a schedule or of meetings: more often than daily is an event storm, not a service.
constexpr double kMinPeriodDays = 1;

/// Places are counted in an int: `workers` × `per_name` must stay far below its limit.
void check_places(const ScenarioBuilder& in, const toml::table& t, const std::string& key, int count, int per,
                  const char* per_name) {
  const long long places = static_cast<long long>(count) * per;
  if (places > kMaxPlaces)
    in.fail(t, key, fmt::format("workers × {} = {} places is beyond what dasim can hold (at most {})", per_name, places, kMaxPlaces));
}

void read_opening_hours(ScenarioBuilder& in, const toml::node& o, const std::string& key, model::OpeningHours& open) {
  const toml::table& ot = in.table_at(o, key);
  in.only_keys(ot, key, {"days", "from", "to"});
  open.always = false;
  if (const toml::node* days = ot.get("days")) {
    static const std::vector<std::string> kDays{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    open.days = 0;
    for (auto&& d : in.array_at(*days, key + ".days")) open.days |= 1 << in.index_of(kDays, d, key + ".days", "day");
    if (!open.days) in.fail(*days, key + ".days", "must list at least one day");
  }
  open.from_hour = in.number(ot, "from", key, 0, 0, 24);
  open.to_hour = in.number(ot, "to", key, 24, 0, 24);
  if (open.to_hour <= open.from_hour) in.fail(ot, key, "`to` must be after `from`");
}

/// Places held for the duration, with optional opening hours, move-on and a rule for when all are taken.
void read_places(ScenarioBuilder& in, const toml::table& t, const std::string& key, model::PlacesSpec& places) {
  if (const toml::node* d = t.get("move_on")) places.move_on = in.distribution(*d, key + ".move_on");
  const std::string full = in.text(t, "when_full", key, "queue");
  if (full != "queue" && full != "decline") in.fail(*t.get("when_full"), key + ".when_full", "must be \"queue\" or \"decline\"");
  places.decline_when_full = full == "decline";
  if (const toml::node* o = t.get("open")) read_opening_hours(in, *o, key + ".open", places.open);
}

/// Caseloads: `workers` staff, each holding `cases_per_worker` open cases.
void read_caseload(ScenarioBuilder& in, const toml::table& t, const std::string& key, model::PoolSpec& p) {
  model::PlacesSpec places;
  places.unit = model::CapacityUnit::staff;
  places.cases_per_worker = in.whole(t, "cases_per_worker", key, 1, 1);
  check_places(in, t, key, p.count, places.cases_per_worker, "cases_per_worker");
  read_places(in, t, key, places);
  places.stretch = in.number(t, "stretch", key, 0, 0, 10);
  places.stretched_duration = in.number(t, "stretched_duration", key, 1, 0.01, 1);
  p.kind = std::move(places);
}

/// Beds: `workers` units, each held by one case.
void read_beds(ScenarioBuilder& in, const toml::table& t, const std::string& key, model::PoolSpec& p) {
  model::PlacesSpec places;
  places.unit = model::CapacityUnit::units;
  read_places(in, t, key, places);
  p.kind = std::move(places);
}

/// Cohort programmes: a group starts when enough wait, or on a schedule; members may drop out.
void read_group(ScenarioBuilder& in, const toml::table& t, const std::string& key, model::PoolSpec& pool) {
  model::GroupSpec p;
  p.group_min = in.whole(t, "group_min", key, 1, 1);
  p.group_max = in.whole(t, "group_max", key, p.group_min, 1);
  if (p.group_max < p.group_min) in.fail(*t.get("group_max"), key + ".group_max", "must be >= group_min");
  if (const toml::node* sch = t.get("schedule")) {
    const toml::table& st = in.table_at(*sch, key + ".schedule");
    in.only_keys(st, key + ".schedule", {"first", "every_days"});
    p.schedule_first = st.get("first") ? static_cast<double>(in.date(*st.get("first"), key + ".schedule.first")) : 0.0;
    p.schedule_every = in.required_number(st, "every_days", key + ".schedule", kMinPeriodDays);
  }
  p.dropout = in.number(t, "dropout", key, 0, 0, 1);
  check_places(in, t, key, pool.count, p.group_max, "group_max");
  pool.kind = p;
}

/// Periodic meetings: sittings every so many days, reviewing up to a number of cases each.
void read_meeting(ScenarioBuilder& in, const toml::table& t, const std::string& key, model::PoolSpec& pool) {
  model::MeetingSpec m;
  m.first = t.get("first_sitting") ? static_cast<double>(in.date(*t.get("first_sitting"), key + ".first_sitting")) : 0.0;
  if (m.first < 0) in.fail(*t.get("first_sitting"), key + ".first_sitting", "must not be before the start date");
  m.interval = in.number(t, "every_days", key, 14, kMinPeriodDays);
  if (t.get("cases_per_sitting")) m.cases_per_sitting = in.whole(t, "cases_per_sitting", key, 1, 1);
  pool.kind = m;
}

const std::vector<KindReader>& kinds() {
  static const std::vector<KindReader> kKinds{
      {"caseload", {"cases_per_worker", "move_on", "when_full", "open", "stretch", "stretched_duration"}, read_caseload},
      {"beds", {"move_on", "when_full", "open"}, read_beds},
      {"group", {"group_min", "group_max", "schedule", "dropout"}, read_group},
      {"meeting", {"first_sitting", "every_days", "cases_per_sitting"}, read_meeting},
  };
  return kKinds;
}

/// Refuses keys that are neither common nor the kind's own, naming the kinds a misplaced key belongs to.
void check_keys(const ScenarioBuilder& in, const toml::table& t, const std::string& key, const KindReader& kind) {
  for (auto&& [k, v] : t) {
    const std::string_view name = k.str();
    if (std::find(std::begin(kCommonKeys), std::end(kCommonKeys), name) != std::end(kCommonKeys)) continue;
    if (std::find(kind.keys.begin(), kind.keys.end(), name) != kind.keys.end()) continue;
    std::string owners;
    for (const KindReader& other : kinds())
      if (std::find(other.keys.begin(), other.keys.end(), name) != other.keys.end())
        owners += (owners.empty() ? "" : " and ") + std::string(other.name);
    if (!owners.empty())
      in.fail(v, key + "." + std::string(name), fmt::format("applies to {} pools only, not {}", owners, kind.name));
    std::string list;
    for (auto a : kCommonKeys) list += (list.empty() ? "" : ", ") + std::string(a);
    for (auto a : kind.keys) list += ", " + std::string(a);
    throw LoadError(fmt::format("{}: {}: unknown key '{}' (expected one of: {})", position(k.source(), in.file()), key,
                                name, list));
  }
}

}  // namespace

void ScenarioBuilder::read_pools() {
  const toml::table& pools = required_table(root_, "pools", "scenario");
  if (pools.size() > kMaxPools) fail(pools, "pools", fmt::format("at most {} pools are supported, got {}", kMaxPools, pools.size()));
  each_named(pools, "pools",
             [&](const std::string& pool_name, const std::string& key, const toml::node& v, const toml::table& t) {
    const std::string kind_name = text(t, "kind", key, "caseload");
    const auto kind = std::find_if(kinds().begin(), kinds().end(), [&](const KindReader& k) { return k.name == kind_name; });
    if (kind == kinds().end())
      fail(*t.get("kind"), key + ".kind", fmt::format("unknown kind '{}' (expected caseload, beds, group or meeting)", kind_name));
    check_keys(*this, t, key, *kind);
    check_name(v, key, pool_name);
    model::PoolSpec p;
    p.name = pool_name;
    p.service = t.get("service") ? service(*t.get("service"), key + ".service") : service(p.name, v);
    p.serves_area.assign(s_.areas.size(), !t.get("areas"));
    if (const toml::node* areas = t.get("areas"))
      for (auto&& a : array_at(*areas, key + ".areas")) p.serves_area[index_of(area_names_, a, key + ".areas", "area")] = true;
    p.count = whole(t, "workers", key, 1, 1);
    kind->read(*this, t, key, p);
    if (const toml::node* d = t.get("duration")) p.duration = distribution(*d, key + ".duration");
    else if (kind->read != read_meeting) fail(t, key, "missing required key 'duration'");
    if (const toml::node* d = t.get("patience")) p.patience = distribution(*d, key + ".patience");
    if (t.get("max_queue")) p.max_queue = whole(t, "max_queue", key, 0, 0);
    if (const toml::node* e = t.get("eligible")) p.eligible = condition(*e, key + ".eligible");
    if (const toml::node* pr = t.get("priority")) read_priority(*pr, key + ".priority", p);
    p.target_days = number(t, "target_days", key, 1.0, 0);
    if (const toml::node* w = t.get("target_working_days")) {
      if (t.get("target_days")) fail(*w, key + ".target_working_days", "give `target_days` or `target_working_days`, not both");
      p.target_days = number(*w, key + ".target_working_days", 0);
      p.target_working_days = true;
    }
    if (const toml::node* changes = t.get("capacity_changes")) read_capacity_changes(*changes, key + ".capacity_changes", p);
    p.support = flag(t, "support", key, kind->read != read_meeting);
    if (const toml::node* set = t.get("on_complete_set")) p.on_complete_set = assignments(*set, key + ".on_complete_set");
    if (const toml::node* c = t.get("children_to")) p.children_to = service(*c, key + ".children_to");
    p.next = routes(t, "next", key);
    p.also = routes(t, "also", key);
    p.on_decline = routes(t, "on_decline", key);
    p.on_disengage = routes(t, "on_disengage", key);
    s_.pools.push_back(std::move(p));
  });
  if (s_.pools.empty()) fail(pools, "pools", "at least one pool is needed");
}

void ScenarioBuilder::read_priority(const toml::node& pr, const std::string& key, model::PoolSpec& p) const {
  const toml::table& pt = table_at(pr, key);
  only_keys(pt, key, {"attribute", "order"});
  if (!pt.get("attribute") || !pt.get("order")) fail(pt, key, "needs `attribute` and `order`");
  p.priority_attribute = s_.attribute_index(text(*pt.get("attribute"), key + ".attribute"));
  if (p.priority_attribute < 0) fail(*pt.get("attribute"), key + ".attribute", "unknown attribute");
  const model::AttributeSpec* a = s_.attribute(p.priority_attribute);
  const std::size_t levels = a ? a->values.size() : p.priority_attribute == model::kArea ? s_.areas.size() : s_.sources.size();
  if (a && a->kind == model::AttributeKind::count) fail(*pt.get("attribute"), key + ".attribute", "cannot be a count");
  p.priority_rank.assign(levels, -1);
  int rank = 0;
  for (auto&& item : array_at(*pt.get("order"), key + ".order"))
    p.priority_rank[value_of(p.priority_attribute, item, key + ".order")] = rank++;
  for (int& r : p.priority_rank)
    if (r < 0) r = rank;  // values not listed come last, FIFO among themselves
  if (rank == 0) fail(*pt.get("order"), key + ".order", "must list at least one value");
}

void ScenarioBuilder::read_capacity_changes(const toml::node& changes, const std::string& key, model::PoolSpec& p) const {
  double previous = -1;
  for (auto&& c : array_at(changes, key)) {
    const toml::table& ct = table_at(c, key);
    only_keys(ct, key, {"date", "workers"});
    if (!ct.get("date")) fail(ct, key, "needs `date`");
    model::CapacityChange change{static_cast<double>(date(*ct.get("date"), key + ".date")), whole(ct, "workers", key, -1, 0)};
    if (change.count < 0) fail(ct, key, "needs `workers`");
    check_places(*this, ct, key, change.count, p.places_for(1), "places each");
    if (change.day < 0 || change.day <= previous) fail(*ct.get("date"), key + ".date", "dates must be after the start date and in order");
    previous = change.day;
    p.capacity_changes.push_back(change);
  }
}

}  // namespace dasim::scenario
