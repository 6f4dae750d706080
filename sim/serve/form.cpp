#include "serve/form.hpp"

#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <algorithm>
#include <fstream>
#include <set>

#include "scenario/loader.hpp"
#include "serve/graph.hpp"
#include "serve/labels.hpp"
#include "serve/toml_chain.hpp"

namespace fs = std::filesystem;

namespace dasim::serve {

const char* const kSavedByServe = "# Option saved by `dasim serve`";

namespace {

std::string last_part(const std::string& key, int from_end = 0) {
  std::size_t end = key.size();
  for (int i = 0; i < from_end; ++i) end = key.rfind('.', end - 1);
  const std::size_t start = key.rfind('.', end - 1);
  return key.substr(start == std::string::npos ? 0 : start + 1, end - (start == std::string::npos ? 0 : start + 1));
}

/// Valid ranges, as the loader enforces them, by the key's last part (and its parent for distributions and
/// by-value tables): what the page shows and checks before the loader sees the file.
void set_range(Field& f) {
  const std::string leaf = last_part(f.key), parent = f.key.find('.') == std::string::npos ? "" : last_part(f.key, 1);
  auto range = [&](double min, double max, bool exclusive = false) { f.min = min, f.max = max, f.min_exclusive = exclusive; };
  static const std::set<std::string> shares{"efficiency", "dropout", "probability", "p", "retriage_dropout"};
  static const std::set<std::string> at_least_one{"workers", "cases_per_worker", "group_min", "group_max", "cases_per_sitting"};
  if (at_least_one.count(leaf)) range(1, 1e300);
  else if (shares.count(leaf) || shares.count(parent)) range(0, 1);
  else if (leaf == "spread") range(1, 1e300);
  else if (leaf == "median" || leaf == "shape" || leaf == "cost_per_worker" || leaf == "every_days" ||
           (leaf == "mean" && parent != "children"))
    range(0, 1e300, true);
  else if (leaf == "trend_per_year") range(-1, 1e300, true);
  else range(0, 1e300);  // days, money, rates, counts and multipliers are never negative
}

/// Keys the loader reads as whole numbers; every other number may have a fraction, however it is written now.
bool whole_key(const std::string& key) {
  static const std::set<std::string> whole{"workers", "cases_per_worker", "group_min", "group_max", "max_queue", "cases_per_sitting", "max"};
  return whole.count(last_part(key)) > 0;
}

Field field(std::string key, std::string section, std::string group, std::string label, std::string unit,
            std::vector<std::string> choices = {}) {
  Field f;
  f.key = std::move(key), f.section = std::move(section), f.group = std::move(group), f.label = std::move(label), f.unit = std::move(unit);
  f.kind = !choices.empty() ? Field::choice : whole_key(f.key) ? Field::whole : Field::number;
  f.choices = std::move(choices);
  return f;
}

std::string number_text(double v) { return fmt::format("{:.10g}", v); }

std::string area_list(const model::Scenario& s, const model::PoolSpec& p) {
  std::vector<std::string> names;
  for (std::size_t a = 0; a < s.areas.size(); ++a)
    if (p.serves_area[a]) names.push_back(area_label(s, static_cast<int>(a)));
  if (names.size() == s.areas.size() && names.size() > 1) return "all areas";
  return fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace

std::string range_text(const Field& f) {
  if (f.kind == Field::choice) return f.choices.size() <= 4 ? fmt::format("{}", fmt::join(f.choices, " or ")) : "one of the listed pools";
  const std::string what = f.kind == Field::whole ? "a whole number " : "";
  const bool top = f.max >= 1e300, bottom = f.min <= -1e300;
  if (bottom && top) return f.kind == Field::whole ? "a whole number" : "any number";
  if (top) return fmt::format("{}{} {}", what, f.min_exclusive ? "more than" : "from", number_text(f.min));
  return fmt::format("{}{} to {}", what, number_text(f.min), number_text(f.max));
}

std::vector<Field> form_fields(const Project& project, const std::string& name) {
  const fs::path file = project.scenario_file(name);
  if (!fs::exists(file)) throw BadRequest(fmt::format("no scenario named '{}' in the scenarios folder", name), 404);
  const model::Scenario s = scenario::load(file);
  const Chain chain(file);
  std::vector<Field> fields;
  std::set<std::string> keys;
  auto add = [&](Field f, const std::string& fallback) {
    const Located at = chain.find(f.key);
    f.current = at.node ? (at.node->is_string() ? at.node->as_string()->get() : toml_value(*at.node)) : fallback;
    f.source = at.node ? at.comment : (fallback.empty() ? "not set" : "the model's default");
    f.where = at.node ? fmt::format("{}:{}", fs::relative(at.file, project.scenarios().parent_path()).string(), at.line) : "";
    f.assumption = f.source.find("assumption") != std::string::npos;
    f.in_array = at.array != nullptr;
    if (f.kind != Field::choice) set_range(f);
    keys.insert(f.key);
    fields.push_back(std::move(f));
  };
  std::vector<std::string> pool_names;
  for (const auto& p : s.pools) pool_names.push_back(p.name);

  auto bought = [&](const model::PoolSpec& p) {
    const int index = static_cast<int>(&p - s.pools.data());
    for (const auto& c : s.contracts)
      for (const auto& b : c.buys)
        if (b.pool == index) return true;
    return false;
  };
  for (const auto& p : s.pools) {
    if (p.unit() == model::CapacityUnit::sittings) continue;
    const std::string group = fmt::format("{} ({}: {})", service_label(s, p.service), p.name, area_list(s, p));
    const bool beds = p.unit() == model::CapacityUnit::units, groups = p.unit() == model::CapacityUnit::groups;
    Field workers = field("pools." + p.name + ".workers", "capacity", group,
                          beds ? "Units of accommodation" : groups ? "Groups that can run at once" : "Staff",
                          beds ? "units" : groups ? "groups running at once" : "staff (FTE)");
    if (const auto* places = std::get_if<model::PlacesSpec>(&p.kind); places && !beds)
      workers.label += fmt::format(" (each holds {} case{})", places->cases_per_worker, places->cases_per_worker == 1 ? "" : "s");
    // The loader adds workers bought with a reinvested saving; the form edits what the file says.
    const int reinvested = reinvested_workers(s, static_cast<int>(&p - s.pools.data()));
    if (reinvested > 0) workers.label += fmt::format("; a reinvested saving adds {} more", reinvested);
    // Capacity that a contract's money buys is changed on the Money tab, through the contract's annual value.
    if (!bought(p)) add(std::move(workers), "1");
    const Located working = chain.find("pools." + p.name + ".target_working_days");
    Field target = field("pools." + p.name + (working.node ? ".target_working_days" : ".target_days"), "targets", group,
                         "Wait target", working.node ? "working days" : "days");
    add(std::move(target), "1");
  }
  for (const auto& c : s.contracts) {
    std::vector<std::string> bought;
    for (const int p : c.pools) bought.push_back(service_label(s, s.pools[p].service) + " (" + area_list(s, s.pools[p]) + ")");
    const std::string group = fmt::format("Contract {} (buys {})", c.name, bought.empty() ? "no pool" : fmt::format("{}", fmt::join(bought, ", ")));
    const std::string prefix = "contracts." + c.name + ".";
    add(field(prefix + "annual_value", "money", group, "Annual value: the money that buys its capacity", "£ a year"), "");
    add(field(prefix + "efficiency", "money", group, "Cut the commissioners make to that value (always banked)", "share: 0.15 is 15%"), "0");
    add(field(prefix + "savings", "money", group, "The management saving of pooling is", "", {"banked", "reinvested"}), "banked");
    add(field(prefix + "reinvest_in", "money", group, "Reinvested as extra capacity in", "", pool_names), "");
    add(field(prefix + "cost_per_worker", "money", group, "Cost of one extra worker or unit", "£ a year"), "");
  }
  for (const auto& a : scenario::assumptions(file)) {
    // A contract's purchases (`contracts.C.buys.POOL.*`) sit in an inline array this page cannot rewrite entry by
    // entry; sensitivity runs vary them, and the page changes what a contract buys through its annual value.
    if (keys.count(a.key) || a.key.find(".buys.") != std::string::npos) continue;
    const std::size_t dot = a.key.find('.');
    const std::string top = a.key.substr(0, dot);
    std::string group = top, rest = dot == std::string::npos ? a.key : a.key.substr(dot + 1);
    if ((top == "pools" || top == "attributes" || top == "outcomes" || top == "areas" || top == "arrivals" ||
         top == "contracts") && rest.find('.') != std::string::npos) {
      group = top + " › " + rest.substr(0, rest.find('.'));
      rest = rest.substr(rest.find('.') + 1);
    }
    std::string label = rest;
    for (char& ch : label) if (ch == '_') ch = ' ';
    for (std::size_t at; (at = label.find('.')) != std::string::npos;) label.replace(at, 1, " › ");
    add(field(a.key, "assumptions", group, label, ""), number_text(a.value));
  }
  return fields;
}

nlohmann::json to_json(const std::vector<Field>& fields) {
  nlohmann::json out = nlohmann::json::array();
  static const char* kKinds[] = {"whole", "number", "choice"};
  for (const auto& f : fields)
    out.push_back({{"key", f.key}, {"section", f.section}, {"group", f.group}, {"label", f.label}, {"unit", f.unit},
                   {"kind", kKinds[f.kind]}, {"choices", f.choices}, {"current", f.current}, {"source", f.source},
                   {"where", f.where}, {"assumption", f.assumption}, {"range", range_text(f)}, {"in_array", f.in_array},
                   {"min", f.min <= -1e300 ? nlohmann::json() : nlohmann::json(f.min)},
                   {"max", f.max >= 1e300 ? nlohmann::json() : nlohmann::json(f.max)}});
  return out;
}

nlohmann::json OptionResult::to_json() const {
  return {{"ok", errors.empty()}, {"errors", errors}, {"changed", changed}, {"toml", toml}, {"file", file}};
}

namespace {

/// The typed text as a TOML value, or an error message in the loader's words ("KEY: must be ..., got ...").
bool parse_value(const Field& f, const std::string& typed, std::string& value, std::string& error) {
  std::string text = typed;
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.erase(0, 1);
  const std::string shown = text.size() > 40 ? text.substr(0, 40) + "…" : text;
  if (f.kind == Field::choice) {
    if (std::find(f.choices.begin(), f.choices.end(), text) == f.choices.end()) {
      error = fmt::format("{}: must be {}, got \"{}\"", f.key, range_text(f), shown);
      return false;
    }
    value = toml_string(text);
    return true;
  }
  char* end = nullptr;
  errno = 0;
  const double v = text.empty() ? NAN : std::strtod(text.c_str(), &end);
  const bool is_number = !text.empty() && end && *end == '\0' && std::isfinite(v) && errno == 0;
  const bool is_whole = is_number && text.find_first_not_of("-+0123456789") == std::string::npos;
  if (f.kind == Field::whole && !is_whole) {
    error = fmt::format("{}: must be a whole number, got \"{}\"", f.key, shown);
    return false;
  }
  if (!is_number) {
    error = fmt::format("{}: must be a number, got \"{}\"", f.key, shown);
    return false;
  }
  if (v < f.min || v > f.max || (f.min_exclusive && v == f.min)) {
    error = fmt::format("{}: must be {}, got {}", f.key, range_text(f), shown);
    return false;
  }
  value = f.kind == Field::whole ? fmt::format("{}", std::llround(v)) : [&] {
    std::string s = fmt::format("{}", v);
    if (s.find_first_of(".e") == std::string::npos) s += ".0";
    return s;
  }();
  return true;
}

std::string was_comment(const std::string& old, const std::string& comment) {
  return fmt::format("  # set on the page; was {}{}", old.empty() ? "not set" : old, comment.empty() ? "" : " (" + comment + ")");
}

/// An array of tables written out whole, element by element, with the changed values put in.
std::string whole_array(const std::string& array_key, const toml::array& array, const Chain& chain, const Located& any,
                        const std::map<std::string, std::string>& changed_values, const std::map<std::string, std::string>& old_values) {
  std::string out = fmt::format("\n# [[{}]] is repeated whole: an extending file replaces an array, it cannot change one "
                                "element (docs/scenario-format.md)\n", array_key);
  for (auto&& item : array) {
    const toml::table* t = item.as_table();
    if (!t) continue;
    const toml::node* name = t->get("name");
    const std::string prefix = array_key + "." + (name && name->is_string() ? name->as_string()->get() : "") + ".";
    out += fmt::format("[[{}]]\n", array_key);
    std::vector<std::tuple<int, std::string, const toml::node*>> keys;
    for (auto&& [k, v] : *t) keys.emplace_back(static_cast<int>(k.source().begin.line), std::string(k.str()), &v);
    std::sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) { return std::get<0>(a) < std::get<0>(b); });
    std::set<std::string> written;
    for (const auto& [line, key, node] : keys) {
      const std::string comment = chain.comment(any.file, line);
      const auto changed = changed_values.find(prefix + key);
      if (changed != changed_values.end())
        out += fmt::format("{} = {}{}\n", toml_key(key), changed->second, was_comment(old_values.at(prefix + key), comment));
      else
        out += fmt::format("{} = {}{}\n", toml_key(key), toml_value(*node), comment.empty() ? "" : "  # " + comment);
      written.insert(prefix + key);
    }
    for (const auto& [key, value] : changed_values)
      if (key.rfind(prefix, 0) == 0 && !written.count(key))
        out += fmt::format("{} = {}{}\n", toml_key(key.substr(prefix.size())), value, was_comment("", ""));
    out += "\n";
  }
  return out;
}

std::string clean_description(const std::string& text) {
  std::string out;
  for (const unsigned char c : text)
    if (c >= 0x20 && c != 0x7f) out += static_cast<char>(c);
  return out.substr(0, 300);
}

}  // namespace

OptionResult check_option(const Project& project, const OptionRequest& request, bool save) {
  OptionResult result;
  const std::vector<Field> fields = form_fields(project, request.base);
  const fs::path base_file = project.scenario_file(request.base);
  const fs::path file = project.scenario_file(request.name);
  if (request.name == request.base) result.errors["name"] = "choose a new name for the option: it must differ from its starting point";
  if (fs::exists(file)) {
    std::ifstream in(file);
    std::string first;
    std::getline(in, first);
    const bool ours = first.rfind(kSavedByServe, 0) == 0;
    if (!ours) result.errors["name"] = fmt::format("'{}' is a scenario of the project: choose another name", request.name);
    else if (!request.replace) result.errors["name"] = fmt::format("an option named '{}' exists: choose another name or tick replace", request.name);
  }
  std::map<std::string, const Field*> by_key;
  for (const auto& f : fields) by_key[f.key] = &f;
  std::map<std::string, std::string> changed, old;
  for (const auto& [key, typed] : request.values) {
    const auto it = by_key.find(key);
    if (it == by_key.end()) {
      result.errors[""] = fmt::format("'{}' is not a value this form can change", key.substr(0, 100));
      continue;
    }
    const Field& f = *it->second;
    if (typed == f.current) continue;
    if (typed.empty() && f.current.empty()) continue;
    std::string value, error;
    if (!parse_value(f, typed, value, error)) result.errors[key] = error;
    else if (value != f.current && value != toml_string(f.current)) changed[key] = value, old[key] = f.current;
  }
  if (!result.errors.empty()) return result;

  // The option file: the starting point, then only what changed, grouped under their tables.
  const Chain chain(base_file);
  std::string text = fmt::format("{} on {} from {}.toml. It changes only the values below; everything else is as in\n"
                                 "# its starting point. Run it with: dasim run scenarios/{}.toml ...\n",
                                 kSavedByServe, utc_now(), request.base, request.name);
  // The option's own display name, so a board never reads it under its starting point's name.
  text += fmt::format("extends = {}\n\n[scenario]\nname = {}\ndisplay_name = {}\ndescription = {}\n",
                      toml_string(request.base + ".toml"), toml_string(request.name), toml_string(model::readable(request.name)),
                      toml_string(clean_description(request.description.empty() ? "Option based on " + request.base : request.description)));
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> tables;  // header -> (key, line)
  std::vector<std::string> table_order;
  std::map<std::string, Located> arrays;  // array key -> where
  for (const auto& [key, value] : changed) {
    result.changed.push_back(key);
    const Located at = chain.find(key);
    if (at.array || by_key.at(key)->in_array || key.rfind("contracts.", 0) == 0) {
      const Located array_at = at.array ? at : chain.find(key.substr(0, key.rfind('.')) + ".name");
      arrays.emplace(array_at.array_key, array_at);
      continue;
    }
    const std::size_t dot = key.find('.');
    std::size_t split = dot;
    const std::string top = key.substr(0, dot);
    if (top == "pools" || top == "attributes" || top == "outcomes" || top == "areas") split = key.find('.', dot + 1);
    const std::string header = key.substr(0, split), rest = key.substr(split + 1);
    if (!tables.count(header)) table_order.push_back(header);
    tables[header].push_back({key, fmt::format("{} = {}{}", toml_path(rest), value, was_comment(old.at(key), at.comment))});
  }
  for (const auto& header : table_order) {
    text += fmt::format("\n[{}]\n", toml_path(header));
    for (const auto& [key, line] : tables[header]) text += line + "\n";
  }
  for (const auto& [array_key, at] : arrays)
    if (at.array) text += whole_array(array_key, *at.array, chain, at, changed, old);
  result.toml = text;

  // The loader has the last word, on exactly the file that would be saved.
  try {
    scenario::load_text(text, file.string());
  } catch (const scenario::LoadError& e) {
    std::string message = e.what();
    const std::string folder = project.scenarios().string() + "/";
    for (std::size_t at; (at = message.find(folder)) != std::string::npos;) message.replace(at, folder.size(), "scenarios/");
    // The field the message names: the longest changed key it mentions, else one under the table it names.
    std::string best;
    for (const auto& key : result.changed)
      if (message.find(key + ":") != std::string::npos && key.size() > best.size()) best = key;
    if (best.empty())
      for (const auto& key : result.changed) {
        const std::string table = key.substr(0, key.rfind('.'));
        if (message.find(table + ":") != std::string::npos || message.find(table + ".") != std::string::npos) best = key;
      }
    result.errors[best] = message;
    return result;
  }
  if (save && result.errors.empty()) {
    const fs::path tmp = file.parent_path() / ("." + request.name + ".toml.tmp");
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out << text;
      if (!out.flush()) throw std::runtime_error(fmt::format("{}: cannot write the option file", tmp.string()));
    }
    fs::rename(tmp, file);
    result.file = "scenarios/" + request.name + ".toml";
  }
  return result;
}

}  // namespace dasim::serve
