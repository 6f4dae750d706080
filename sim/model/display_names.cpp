#include "model/display_names.hpp"

#include <cctype>
#include <fnmatch.h>

namespace dasim::model {

std::string readable(const std::string& key) {
  std::string out = key;
  for (char& c : out)
    if (c == '-' || c == '_' || c == '.') c = ' ';
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

std::string DisplayNames::of(const std::map<std::string, std::string>& names, const std::string& key) {
  const auto it = names.find(key);
  return it != names.end() ? it->second : readable(key);
}

std::string DisplayNames::parameter(const std::string& key) const {
  if (const auto it = parameters.find(key); it != parameters.end()) return it->second;
  for (const auto& [pattern, name] : parameters)
    if (::fnmatch(pattern.c_str(), key.c_str(), 0) == 0) return name;
  const auto last = key.rfind('.');
  const auto before = last == std::string::npos ? std::string::npos : key.rfind('.', last - 1);
  return readable(before == std::string::npos ? key : key.substr(before + 1));
}

}  // namespace dasim::model
