#pragma once
// The option form: what a commissioner controls in a scenario (capacity, money, targets, key assumptions), each
// value with its source and valid range; server-side validation of what the page sends; and the option file the
// page saves, which `extends` its starting point with only the changed values.
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "serve/project.hpp"

namespace dasim::serve {

struct Field {
  std::string key;      // dotted path, as the loader names it: pools.idva-set.workers
  std::string section;  // capacity, money, targets, assumptions
  std::string group;    // heading within the section, e.g. "IDVA (idva-set: all areas)"
  std::string label;    // plain words for the value
  std::string unit;
  enum Kind { whole, number, choice } kind = number;
  std::vector<std::string> choices;
  double min = -1e300, max = 1e300;
  bool min_exclusive = false;
  std::string current;  // as written in TOML ("" when the value is not written and has no default here)
  std::string source;   // the line's comment
  std::string where;    // file:line
  bool assumption = false;
  bool in_array = false;  // inside [[contracts]] or [[arrivals]]: saving repeats the whole array
};

/// The form for scenarios/NAME.toml. Throws BadRequest for a bad name, scenario::LoadError for a bad file.
std::vector<Field> form_fields(const Project& project, const std::string& name);
nlohmann::json to_json(const std::vector<Field>& fields);
/// The range in words: "whole number from 1", "0 to 1", "more than 0", "banked or reinvested".
std::string range_text(const Field& field);

/// What the page sends to save an option.
struct OptionRequest {
  std::string base;        // starting point: a scenario name
  std::string name;        // the new option's name
  std::string description;
  std::map<std::string, std::string> values;  // field key -> text typed
  bool replace = false;    // overwrite an option this page saved before
};

/// The result of checking (and maybe saving) an option: per-field messages, or a message for the whole form.
struct OptionResult {
  std::map<std::string, std::string> errors;  // field key -> message ("" key: the whole form)
  std::vector<std::string> changed;           // keys whose value differs from the starting point
  std::string toml;                           // the option file's text
  std::string file;                           // scenarios/NAME.toml when saved
  nlohmann::json to_json() const;
};

/// Checks every value (type and range here, then the scenario loader on the option file as it would be saved)
/// and, when `save` and there is no error, writes scenarios/NAME.toml atomically.
OptionResult check_option(const Project& project, const OptionRequest& request, bool save);

/// The first line of every option file the page writes: an option with it may be replaced from the page.
extern const char* const kSavedByServe;

}  // namespace dasim::serve
