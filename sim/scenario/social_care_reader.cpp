// Section reader for children's social care: states with durations, costs and transition chances (model/social_care).
#include <fmt/format.h>

#include "scenario/builder.hpp"

namespace dasim::scenario {

namespace {
struct StateKey {
  model::CareState state;
  const char* key;
};
constexpr StateKey kStateKeys[] = {{model::CareState::child_in_need, "child_in_need"},
                                   {model::CareState::child_protection, "child_protection"},
                                   {model::CareState::looked_after, "looked_after"}};
}  // namespace

void ScenarioBuilder::read_social_care() {
  const char* section_key = "childrens_social_care";
  const toml::table* section =
      optional_section(section_key, {"payer", "cashable", "entry_effect", "escalation_effect", "de_escalation_effect",
                                     "wait_penalty", "thin_support_loss", "when", "child_in_need", "child_protection",
                                     "looked_after"});
  if (!section) return;
  const toml::table& t = *section;
  if (s_.attribute_index("children") < 0)
    fail(t, section_key, "needs an attribute called 'children': the children whose social care it follows");
  model::SocialCareSpec& care = s_.social_care;
  care.enabled = true;
  care.payer = payer(t, section_key, t, "childrens_social_care");
  care.cashable = flag(t, "cashable", section_key, true);
  care.entry_effect = by_result(t, "entry_effect", section_key, 1.0, 100);
  care.escalation_effect = by_result(t, "escalation_effect", section_key, 1.0, 100);
  care.de_escalation_effect = by_result(t, "de_escalation_effect", section_key, 1.0, 100);
  care.wait_penalty = number(t, "wait_penalty", section_key, 0, 0);
  care.thin_support_loss = number(t, "thin_support_loss", section_key, 0, 0, 1);
  if (const toml::node* w = t.get("when")) care.when = condition(*w, std::string(section_key) + ".when");
  double entries = 0;
  for (const StateKey& sk : kStateKeys) {
    const std::string key = fmt::format("{}.{}", section_key, sk.key);
    const toml::table& st = required_table(t, sk.key, section_key);
    const bool protection = sk.state == model::CareState::child_protection;
    const bool looked_after = sk.state == model::CareState::looked_after;
    // Child Protection alone steps down (to Child in Need); Looked After is the last step up.
    if (protection) only_keys(st, key, {"initial_cost", "annual_cost", "period_years", "entry", "escalate", "step_down", "close"});
    else if (looked_after) only_keys(st, key, {"initial_cost", "annual_cost", "period_years", "entry", "close"});
    else only_keys(st, key, {"initial_cost", "annual_cost", "period_years", "entry", "escalate", "close"});
    model::CareStateSpec& spec = care.states[static_cast<int>(sk.state)];
    spec.initial_cost = number(st, "initial_cost", key, 0, 0);
    spec.annual_cost = number(st, "annual_cost", key, 0, 0);
    spec.period_years = required_number(st, "period_years", key, 1e-6, 100);
    spec.entry = number(st, "entry", key, 0, 0, 1);
    spec.escalate = number(st, "escalate", key, 0, 0, 1);
    spec.step_down = number(st, "step_down", key, 0, 0, 1);
    spec.close = required_number(st, "close", key, 0, 1);
    // What is left of 1 is another plan period: the chances out of a state cannot pass it.
    const double out = spec.escalate + spec.step_down + spec.close;
    if (out > 1 + 1e-9)
      fail(st, key, fmt::format("the chances out of the state (escalate + step_down + close) sum to {:g}, above 1", out));
    entries += spec.entry;
  }
  if (entries > 1 + 1e-9)
    fail(t, section_key, fmt::format("the entry chances of the three states sum to {:g}, above 1", entries));
}

}  // namespace dasim::scenario
