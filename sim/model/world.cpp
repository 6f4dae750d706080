#include "model/world.hpp"

#include <algorithm>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>
#include <fmt/format.h>

#include "model/breakdown.hpp"
#include "model/pools.hpp"

namespace dasim::model {

World::World(const Scenario& scenario, Scheduler& scheduler, std::uint64_t master_seed, std::uint64_t replication)
    : scenario_(scenario),
      scheduler_(scheduler),
      calendar_(scenario.simulation),
      router_(scenario),
      household_slots_(scenario) {
  for (const ArrivalSpec& a : scenario.arrivals) {
    rates_.emplace_back(a, calendar_, horizon());
    arrival_rngs_.emplace_back(random::stream_seed(master_seed, replication, "arrivals/" + a.name));
    person_streams_.push_back(random::stream_family(master_seed, replication, a.name));
    if (a.matches_household()) match_window_ = std::max(match_window_, a.match_within_days);
  }
  known_households_.resize(scenario.areas.size());
  children_attribute_ = scenario.attribute_index("children");
  risk_attribute_ = risk_attribute(scenario);
  for (const AttributeSpec& a : scenario.attributes) {
    auto& laws = count_laws_.emplace_back();
    if (a.kind == AttributeKind::count)
      for (double mean : a.means) laws.emplace_back(mean > a.min_count ? mean - a.min_count : 1.0);  // mean = min never draws
  }
  arrival_counts_.assign(scenario.arrivals.size(), 0);
  totals_.outcome_count.assign(scenario.outcomes.size(), 0);
  totals_.outcome_cost.assign(scenario.payers.size(), {0, 0});
  totals_.outcome_cost_by_risk.assign(risk_levels(scenario).size(), {0, 0});
  totals_.outcome_cost_by_source.assign(source_count(scenario), {0, 0});
  totals_.care_by_area.resize(scenario.areas.size());
  totals_.care_by_risk.resize(risk_levels(scenario).size());
  totals_.care_by_source.resize(source_count(scenario));
  for (const PoolSpec& p : scenario.pools) pools_.push_back(make_pool(*this, p));
}

World::~World() = default;

void World::start() {
  for (std::size_t a = 0; a < rates_.size(); ++a) {
    const double first = rates_[a].next_after(0.0, arrival_rngs_[a]);
    if (first < horizon()) schedule(first, Event{this, kArrival, static_cast<std::uint32_t>(a)});
  }
  for (auto& pool : pools_) pool->start();
  schedule(calendar_.first_day_of_month(1), Event{this, kMonth});
  if (scenario_.simulation.warmup_days > 0)
    schedule(scenario_.simulation.warmup_days, Event{this, kWarmupEnd});
  else
    warm_ = true;
}

void World::finish() {
  for (auto& pool : pools_) pool->recorder().closed(horizon());
}

void World::on_event(const Event& e) {
  switch (e.kind) {
    case kArrival: {
      arrive(static_cast<int>(e.id));
      const double next = rates_[e.id].next_after(now(), arrival_rngs_[e.id]);
      if (next < horizon()) schedule(next, e);
      break;
    }
    case kMonth:
      ++month_;
      for (auto& pool : pools_) pool->recorder().month_ended(now());
      if (month_ + 1 < calendar_.months_in_horizon()) schedule(calendar_.first_day_of_month(month_ + 1), e);
      break;
    case kWarmupEnd:
      warm_ = true;
      for (auto& pool : pools_) pool->recorder().warmup_ended(now());
      break;
    case kDelayedEntry:
      enter(e.id);
      break;
    case kRepeat: {
      Person& person = people_[e.id];
      person.completed = person.disengaged = person.declined = person.thinned = false;
      person.waited = 0;
      person.arrived = now();
      for (const auto& [attribute, value] : scenario_.repeat.set) person.attributes[attribute] = static_cast<std::int16_t>(value);
      if (warm_) totals_.repeats += 1;
      const std::uint32_t case_id = open_case(e.id);
      --person.open_cases;  // the pending repeat's hold passes to the new case
      send(case_id, scenario_.repeat.service, nullptr);
      break;
    }
    default: break;
  }
}

void World::arrive(int index) {
  const ArrivalSpec& spec = scenario_.arrivals[index];
  const std::uint32_t id = people_.acquire();
  Person& person = people_[id];
  // The person's own stream is named by who they are, not by when or where they are served.
  person = Person{};
  const std::uint64_t stream = random::stream_member(person_streams_[index], arrival_counts_[index]++);
  person.rng = random::Rng(stream);
  person.stream = stream;
  person.arrived = now();
  person.attributes[kArea] = static_cast<std::int16_t>(spec.area);
  person.attributes[kSource] = static_cast<std::int16_t>(spec.source);
  draw_attributes(person, spec);
  person.household = draw_household(person, household_slots_, household_law_);
  totals_.households += fingerprint(person.household, stream);
  if (match_window_ > 0) {
    if (household_slots_.is_perpetrator(person)) {
      if (spec.matches_household()) match_household(id, spec);
    } else {
      auto& known = known_households_[spec.area];
      known.push_back({now(), stream, id});
      while (known.front().referred < now() - match_window_) known.pop_front();
    }
  }
  if (warm_) {
    totals_.people += 1;
    (household_slots_.is_perpetrator(person) ? totals_.perpetrators : totals_.victims) += 1;
    totals_.children += static_cast<double>(person.household.children.size());
  }
  send(open_case(id), spec.service, nullptr);
}

void World::draw_attributes(Person& person, const ArrivalSpec& arrival) {
  for (std::size_t i = 0; i < scenario_.attributes.size(); ++i) {
    const AttributeSpec& a = scenario_.attributes[i];
    const int slot = static_cast<int>(i) + kFirstDrawnAttribute;
    // Draw every attribute's variate even when it is then fixed or not applicable, so that the stream stays
    // aligned person for person across scenarios that fix different attributes.
    const double u = person.rng.uniform();
    int value = 0;
    const int row = a.by >= 0 ? person.attributes[a.by] : 0;
    if (a.kind == AttributeKind::count) {
      const std::size_t r = std::min<std::size_t>(row, a.means.size() - 1);
      random::Rng stream(random::mix64(static_cast<std::uint64_t>(u * 0x1.0p53)));
      value = a.means[r] > a.min_count ? std::min(a.max_count, a.min_count + count_laws_[i][r](stream)) : a.min_count;
    } else {
      const auto& w = a.weights[std::min<std::size_t>(row, a.weights.size() - 1)];
      double running = 0;
      value = static_cast<int>(w.size()) - 1;
      for (std::size_t v = 0; v < w.size(); ++v)
        if (u < (running += w[v])) {
          value = static_cast<int>(v);
          break;
        }
    }
    person.attributes[slot] = static_cast<std::int16_t>(matches(a.when, person) ? value : 0);
  }
  for (const auto& [attribute, value] : arrival.fixed_attributes)
    person.attributes[attribute] = static_cast<std::int16_t>(value);
}

std::uint32_t World::open_case(std::uint32_t person_id) {
  if (++open_cases_ > kMaxOpenCases) too_many_open_cases();
  const std::uint32_t id = cases_.acquire();
  Case& c = cases_[id];
  const std::uint32_t epoch = c.epoch + 1;  // keeps stale events for the slot's previous case stale
  c = Case{};
  c.person = person_id;
  c.epoch = epoch;
  ++people_[person_id].open_cases;
  return id;
}

void World::too_many_open_cases() const {
  const auto longest = std::max_element(pools_.begin(), pools_.end(),
                                        [](const auto& a, const auto& b) { return a->waiting() < b->waiting(); });
  throw ModelError(fmt::format("more than {} cases open at once at day {:.1f}, so the replication was stopped before it "
                               "ran out of memory; pool '{}' has {} waiting: its demand is far above its capacity",
                               kMaxOpenCases, now(), (*longest)->spec().name, (*longest)->waiting()));
}

void World::close_case(std::uint32_t case_id) {
  --open_cases_;
  Case& c = cases_[case_id];
  ++c.epoch;
  cases_.release(case_id);
  if (--people_[c.person].open_cases == 0) person_leaves(c.person);
}

void World::person_leaves(std::uint32_t id) {
  Person& person = people_[id];
  // A child's case ends with them: outcomes and re-referral are the household's, drawn with the adult.
  if (person.child) {
    if (warm_) {
      totals_.children_supported += person.completed ? 1 : 0;
      totals_.child_wait_days += person.waited;
    }
    return people_.release(id);
  }
  // So are a linked perpetrator's: the household's police incidents and harm are the victim's outcomes, which the
  // programme's result now changes, and drawing the perpetrator's own as well would count them twice.
  if (person.victim != Person::kNoVictim) return perpetrator_done(id);
  const int result = static_cast<int>(person.result());
  const bool harmed = harmed_while_waiting(person);
  // Every outcome draws its variates whether or not it applies, keeping streams aligned across options.
  for (std::size_t i = 0; i < scenario_.outcomes.size(); ++i) {
    const OutcomeSpec& o = scenario_.outcomes[i];
    const int draws = o.per_child ? person.attributes[children_attribute_] : 1;
    const bool applies = matches(o.when, person);
    double p = o.chance(static_cast<SupportResult>(result), person.thinned, person.waited, harmed);
    if (household_slots_.perpetrator_completed >= 0 && person.attributes[household_slots_.perpetrator_completed]) {
      // What the completed programme takes off this household's expected outcome cost: the same household's
      // chance without it, less its chance with it, priced. A per-option figure needs no second run.
      if (applies && warm_) totals_.perpetrator_cost_avoided[o.cashable ? 0 : 1] += draws * p * (1 - o.perpetrator_completed_effect) * o.cost();
      p *= o.perpetrator_completed_effect;
    }
    for (int k = 0; k < draws; ++k)
      if (person.rng.uniform() < p && applies && warm_) {
        totals_.outcome_count[i] += 1;
        book_outcome(person, o);
      }
  }
  children_in_social_care(person);
  if (scenario_.repeat.enabled) {
    double hazard = scenario_.repeat.annual_hazard[result];
    for (const auto& [when, factor] : scenario_.repeat.modifiers)
      if (matches(when, person)) hazard *= factor;
    const double u = person.rng.uniform();
    if (hazard > 0) {
      const double at = now() - std::log1p(-u) * kDaysPerYear / hazard;
      if (at < horizon()) {
        person.open_cases = 1;
        return schedule(at, Event{this, kRepeat, id});
      }
    }
  }
  people_.release(id);
}

void World::book_outcome(const Person& person, const OutcomeSpec& o) {
  const int kind = o.cashable ? 0 : 1;
  totals_.outcome_cost[o.payer][kind] += o.cost();
  totals_.outcome_cost_by_risk[risk_of(person)][kind] += o.cost();
  totals_.outcome_cost_by_source[person.attributes[kSource]][kind] += o.cost();
}

void World::children_in_social_care(Person& adult) {
  const SocialCareSpec& care = scenario_.social_care;
  if (!care.enabled) return;
  // One uniform of the adult's stream seeds the household's trajectories, drawn for everyone: the children then
  // draw from streams of their own, a fixed number of uniforms each, the same in every option.
  const double seed = adult.rng.uniform();
  if (!matches(care.when, adult) || adult.household.children.empty()) return;
  const CareChances chances = care_chances(care, adult.result(), adult.thinned, adult.waited);
  const std::uint64_t household = random::mix64(static_cast<std::uint64_t>(seed * 0x1.0p53));
  // Trajectories of children whose adult left in the warm-up reach into the window too: book every one's part in it.
  const double from = scenario_.simulation.warmup_days, to = horizon();
  CareTally tally;
  for (std::size_t k = 0; k < adult.household.children.size(); ++k) {
    random::Rng stream(care_stream(household, k));
    tally.add(book_care(draw_care_trajectory(care, chances, now(), stream), care, from, to));
  }
  if (adult.result() == SupportResult::completed) tally.de_escalations_after_support = tally.de_escalations;
  totals_.care_by_area[adult.attributes[kArea]].add(tally);
  totals_.care_by_risk[risk_of(adult)].add(tally);
  totals_.care_by_source[adult.attributes[kSource]].add(tally);
  const int kind = care.cashable ? 0 : 1;
  totals_.outcome_cost[care.payer][kind] += tally.cost;
  totals_.outcome_cost_by_risk[risk_of(adult)][kind] += tally.cost;
  totals_.outcome_cost_by_source[adult.attributes[kSource]][kind] += tally.cost;
}

void World::count(Move move) {
  if (!warm_ || move == Move::stayed) return;
  totals_.relocations += 1;
  if (move == Move::followed) return;
  totals_.retriaged += 1;
  if (move == Move::lost) totals_.lost_at_retriage += 1;
}

void World::send(std::uint32_t case_id, int service, const Route* route) {
  Case& c = cases_[case_id];
  const Person& person = people_[c.person];
  c.pool = scenario_.service_pool[service][person.attributes[kArea]];
  if (route && route->delay) {
    const double delay = route->delay->sample(people_[c.person].rng);
    return schedule(now() + delay, Event{this, kDelayedEntry, case_id, c.epoch});
  }
  // Zero-delay routes are followed at once; a scenario whose declines send a case round in a circle would
  // recurse for ever, so stop it with a message naming the pool.
  if (++routing_depth_ > 64) {
    routing_depth_ = 0;
    throw ModelError(fmt::format("routing loop: a case was sent on more than 64 times at day {:.3f}, last to pool '{}'",
                                 now(), scenario_.pools[c.pool].name));
  }
  enter(case_id);
  --routing_depth_;
}

void World::enter(std::uint32_t case_id) {
  const int pool = cases_[case_id].pool;
  const std::uint32_t epoch = cases_[case_id].epoch, adult = cases_[case_id].person;
  pools_[pool]->arrive(case_id);
  // A pool that declines does so at once, sending the case on or closing it: only a family still here (admitted,
  // or waiting for a place) has its children referred on.
  const int children_to = scenario_.pools[pool].children_to;
  if (children_to < 0 || cases_[case_id].epoch != epoch || cases_[case_id].pool != pool) return;
  const Person& person = people_[adult];
  if (person.child || household_slots_.is_perpetrator(person) || person.victim != Person::kNoVictim) return;
  open_child_cases(adult, Destination{children_to, nullptr});
}

void World::finished(std::uint32_t case_id, Outcome outcome) {
  const PoolSpec& spec = scenario_.pools[cases_[case_id].pool];
  Person& person = people_[cases_[case_id].person];
  switch (outcome) {
    case Outcome::completed:
      person.completed |= spec.support;
      for (const auto& [attribute, value] : spec.on_complete_set) person.attributes[attribute] = static_cast<std::int16_t>(value);
      break;
    case Outcome::disengaged: person.disengaged = true; break;
    case Outcome::declined: person.declined = true; break;
  }
  if (outcome == Outcome::completed) {
    const Relocation moved = router_.relocate(spec, person);
    count(moved.move);
    if (moved.move == Move::retriage) return send(case_id, moved.to.service, moved.to.route);
    if (moved.move == Move::lost) {
      person.disengaged = true;
      return close_case(case_id);
    }
    for (const Route& route : spec.also)
      if (const Destination d = router_.take(route, people_[cases_[case_id].person]); d.goes()) {
        if (route.each_child) open_child_cases(cases_[case_id].person, d);
        else if (route.household_perpetrator) open_perpetrator_case(cases_[case_id].person, d, Person::Link::referral);
        else send(open_case(cases_[case_id].person), d.service, d.route);
      }
  }
  // Children's cases may have added people, moving `person`: look the adult up again.
  if (const Destination d = router_.first(Router::onward(spec, outcome), people_[cases_[case_id].person]); d.goes()) {
    // The family first: sending the adult may close their case at once (a decline with nowhere to go).
    if (d.route && d.route->whole_family) open_family_cases(cases_[case_id].person, d);
    return send(case_id, d.service, d.route);
  }
  close_case(case_id);
}

bool World::harmed_while_waiting(Person& person) {
  const WaitingHarmSpec& harm = scenario_.waiting_harm;
  if (!harm.enabled) return false;
  const double u = person.rng.uniform();  // drawn for everyone, keeping streams aligned across options
  const bool harmed = matches(harm.when, person) && u < harm.chance(person.waited, person.result());
  if (harmed && warm_) totals_.harmed_while_waiting += 1;
  return harmed;
}

void World::open_child_cases(std::uint32_t adult_id, const Destination& to) {
  const std::size_t children = people_[adult_id].household.children.size();
  for (std::size_t k = 0; k < children; ++k) {
    const std::uint32_t id = people_.acquire();
    Person& child = people_[id];
    const Person& adult = people_[adult_id];
    child = Person{};
    child.attributes = adult.attributes;
    if (household_slots_.child_role >= 0) child.attributes[household_slots_.role] = static_cast<std::int16_t>(household_slots_.child_role);
    child.stream = child_stream(adult.stream, k);
    child.rng = random::Rng(child.stream);
    child.arrived = now();
    child.child = true;
    send(open_case(id), to.service, to.route);
  }
}

void World::open_perpetrator_case(std::uint32_t victim_id, const Destination& to, Person::Link link) {
  {
    const Person& victim = people_[victim_id];
    if (!victim.household.perpetrator_known || victim.child || household_slots_.is_perpetrator(victim) ||
        victim.perpetrator_in_work)
      return;
  }
  const std::uint32_t id = people_.acquire();
  Person& perpetrator = people_[id];
  const Person& victim = people_[victim_id];  // acquire may have moved the people: look the victim up again
  perpetrator = Person{};
  perpetrator.attributes = victim.attributes;
  if (household_slots_.perpetrator_role >= 0)
    perpetrator.attributes[household_slots_.role] = static_cast<std::int16_t>(household_slots_.perpetrator_role);
  if (household_slots_.children >= 0) perpetrator.attributes[household_slots_.children] = 0;  // counted with the victim
  // Their own work is yet to come: a flag the household carries from an earlier perpetrator's programme is not theirs.
  if (household_slots_.perpetrator_completed >= 0) perpetrator.attributes[household_slots_.perpetrator_completed] = 0;
  perpetrator.stream = perpetrator_stream(victim.stream);
  perpetrator.rng = random::Rng(perpetrator.stream);
  perpetrator.arrived = now();
  perpetrator.victim = victim_id;
  perpetrator.link = link;
  ++people_[victim_id].open_cases;  // the household stays open until the perpetrator's case ends
  people_[victim_id].perpetrator_in_work = true;
  if (warm_) {
    totals_.perpetrators += 1;
    (link == Person::Link::family ? totals_.family_perpetrators : totals_.linked_perpetrators) += 1;
  }
  send(open_case(id), to.service, to.route);
}

void World::perpetrator_done(std::uint32_t perpetrator_id) {
  const std::uint32_t victim_id = people_[perpetrator_id].victim;
  const int done = household_slots_.perpetrator_completed;
  const Person& perpetrator = people_[perpetrator_id];
  // A programme marks completion with `perpetrator_completed`; early help, which serves the whole family, cannot, so
  // a family perpetrator's completion is their having completed the work (docs/model.md §4.3).
  const bool completed = done >= 0 && (perpetrator.attributes[done] != 0 ||
                                       (perpetrator.link == Person::Link::family && perpetrator.completed));
  if (completed && warm_ && perpetrator.link == Person::Link::referral) totals_.linked_completed += 1;
  people_.release(perpetrator_id);
  Person& victim = people_[victim_id];
  victim.perpetrator_in_work = false;
  if (completed) victim.attributes[done] = 1;
  if (--victim.open_cases == 0) person_leaves(victim_id);
}

void World::open_family_cases(std::uint32_t adult_id, const Destination& to) {
  {
    const Person& adult = people_[adult_id];
    if (adult.child || household_slots_.is_perpetrator(adult) || adult.victim != Person::kNoVictim) return;
  }
  // The children are worked with inside the adult's case: an early-help caseload counts families, so a child
  // taking a place of their own would double the family's claim on the money-bought caseload. The perpetrator's
  // engagement is their own (they may refuse, drop out or complete), so they have a case of their own.
  const std::optional<Condition>& allowed = to.route->family_perpetrator;
  if (allowed && matches(*allowed, people_[adult_id])) open_perpetrator_case(adult_id, to, Person::Link::family);
}

void World::match_household(std::uint32_t perpetrator_id, const ArrivalSpec& arrival) {
  // Two variates from a stream of the perpetrator's own, whatever the option: whether their victim is known, and
  // which recent household it is. The households on the list are the same in every option too (arrivals only).
  random::Rng rng(match_stream(people_[perpetrator_id].stream));
  const double known = rng.uniform(), pick = rng.uniform();
  const auto& list = known_households_[arrival.area];
  const auto first = std::lower_bound(list.begin(), list.end(), now() - arrival.match_within_days,
                                      [](const KnownHousehold& h, double since) { return h.referred < since; });
  const auto candidates = list.end() - first;
  if (known >= arrival.match_known || candidates == 0) return;
  const KnownHousehold& chosen = first[std::min<std::ptrdiff_t>(candidates - 1, static_cast<std::ptrdiff_t>(pick * candidates))];
  Person& victim = people_[chosen.person];
  // The household has left for good (its slot freed, perhaps reused), or its perpetrator is already in work: the
  // self-referrer stays unlinked. A household waiting for its re-referral is still open, and its re-referral gains.
  if (victim.stream != chosen.stream || victim.open_cases <= 0 || victim.perpetrator_in_work) return;
  ++victim.open_cases;  // the household waits for the perpetrator's case, as for a perpetrator its referral names
  victim.perpetrator_in_work = true;
  Person& perpetrator = people_[perpetrator_id];
  perpetrator.victim = chosen.person;
  perpetrator.link = Person::Link::self_referral;
  if (warm_) totals_.matched_perpetrators += 1;
}

}  // namespace dasim::model
