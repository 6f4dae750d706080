#include "model/social_care.hpp"

#include <algorithm>
#include <cmath>

namespace dasim::model {

namespace {

int index(CareState s) { return static_cast<int>(s); }

/// The effect for an adult whose support ended as `result`: completed support given above a recommended caseload
/// loses `loss` of its difference from no support, as an outcome's does (OutcomeSpec::effect_for).
double effect_for(const std::array<double, kSupportResults>& effect, SupportResult result, bool thinned, double loss) {
  const double e = effect[static_cast<int>(result)];
  if (result != SupportResult::completed || !thinned) return e;
  return e + loss * (effect[static_cast<int>(SupportResult::none)] - e);
}

/// Scales `chances` down to sum to 1 when the effects pushed them above it; leaves them alone otherwise.
template <std::size_t N>
void cap_at_one(std::array<double, N>& chances) {
  double total = 0;
  for (double c : chances) total += c;
  if (total > 1)
    for (double& c : chances) c /= total;
}

/// Where an escalation from `s` leads.
CareState escalation_of(CareState s) {
  return s == CareState::child_in_need ? CareState::child_protection
         : s == CareState::child_protection ? CareState::looked_after
                                            : CareState::none;
}

}  // namespace

CareChances care_chances(const SocialCareSpec& spec, SupportResult result, bool thinned, double waited) {
  const double loss = spec.thin_support_loss;
  const double entry = effect_for(spec.entry_effect, result, thinned, loss) * (1 + spec.wait_penalty * waited);
  const double up = effect_for(spec.escalation_effect, result, thinned, loss);
  const double down = effect_for(spec.de_escalation_effect, result, thinned, loss);
  CareChances c;
  for (int s = 0; s < kCareStates; ++s) {
    const CareStateSpec& st = spec.states[s];
    c.entry[s] = st.entry * entry;
    // Leaving care is not a step the adult's support is seen to change (000 §3.23: the services rarely work with
    // families whose children are in care), so a Looked After child's closure keeps its chance.
    const double closing = s == index(CareState::looked_after) ? 1.0 : down;
    c.exits[s] = {st.escalate * up, st.step_down * down, st.close * closing};
    cap_at_one(c.exits[s]);
  }
  cap_at_one(c.entry);
  return c;
}

std::vector<CareSpell> draw_care_trajectory(const SocialCareSpec& spec, const CareChances& chances, double start,
                                            random::Rng& rng) {
  // Every uniform is drawn first, used or not: the child's stream then gives the same numbers to the same step in
  // every option, whatever the chances were there.
  std::array<double, kCareVariates> u;
  for (double& x : u) x = rng.uniform();
  CareState state = CareState::none;
  double running = 0;
  for (int s = 0; s < kCareStates; ++s)
    if (u[0] < (running += chances.entry[s])) {
      state = static_cast<CareState>(s);
      break;
    }
  std::vector<CareSpell> spells;
  if (state == CareState::none) return spells;
  CareSpell spell{state, start, start, CareState::none};
  for (int p = 0; p < kMaxCarePeriods; ++p) {
    // Exponential period; the half-ulp shift keeps it above zero when the uniform is exactly 0.
    const double length = -spec.state(state).period_years * kDaysPerYear * std::log1p(-(u[1 + 2 * p] + 0x1.0p-54) * (1 - 0x1.0p-53));
    spell.to += length;
    const auto& exits = chances.exits[index(state)];
    const double review = u[2 + 2 * p];
    CareState next = state;  // another period
    if (review < exits[0]) next = escalation_of(state);
    else if (review < exits[0] + exits[1]) next = CareState::child_in_need;
    else if (review < exits[0] + exits[1] + exits[2]) next = CareState::none;
    if (next == state && p + 1 < kMaxCarePeriods) continue;
    if (p + 1 == kMaxCarePeriods) next = CareState::none;  // the cap: they leave care
    spell.next = next;
    spells.push_back(spell);
    if (next == CareState::none) break;
    state = next;
    spell = CareSpell{state, spell.to, spell.to, CareState::none};
  }
  return spells;
}

void CareTally::add(const CareTally& o) {
  for (int s = 0; s < kCareStates; ++s) entered[s] += o.entered[s], child_days[s] += o.child_days[s];
  de_escalations += o.de_escalations;
  de_escalations_after_support += o.de_escalations_after_support;
  cost += o.cost;
}

CareTally book_care(const std::vector<CareSpell>& spells, const SocialCareSpec& spec, double window_from, double window_to) {
  const auto inside = [&](double t) { return t >= window_from && t < window_to; };
  CareTally out;
  for (const CareSpell& spell : spells) {
    const int s = index(spell.state);
    const CareStateSpec& st = spec.states[s];
    if (inside(spell.from)) {
      out.entered[s] += 1;
      out.cost += st.initial_cost;
    }
    const double days = std::max(0.0, std::min(spell.to, window_to) - std::max(spell.from, window_from));
    out.child_days[s] += days;
    out.cost += st.annual_cost * days / kDaysPerYear;
    if (spell.de_escalated() && inside(spell.to)) out.de_escalations += 1;
  }
  return out;
}

std::uint64_t care_stream(std::uint64_t household_seed, std::size_t k) {
  return random::mix64(household_seed ^ random::mix64(0x2545f4914f6cdd1dULL + k));
}

}  // namespace dasim::model
