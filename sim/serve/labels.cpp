#include "serve/labels.hpp"

#include <cstdio>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

namespace dasim::serve {

namespace {

/// wording.SERVICE_NAMES, read once from the board pack's own module; empty if Python or the module is missing
/// (the page then shows the plain names).
const std::map<std::string, std::string>& service_names() {
  static std::map<std::string, std::string> names;
  static std::once_flag once;
  std::call_once(once, [] {
    const std::string command = std::string("/usr/bin/python3 -c \"import sys, json; sys.path.insert(0, '") +
                                DASIM_SOURCE_DIR "/plots'); import wording; print(json.dumps(wording.SERVICE_NAMES))\" 2>/dev/null";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) return;
    std::string out;
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
    ::pclose(pipe);
    const nlohmann::json json = nlohmann::json::parse(out, nullptr, false);
    if (json.is_object())
      for (auto& [key, value] : json.items())
        if (value.is_string()) names[key] = value.get<std::string>();
  });
  return names;
}

std::string plain(const std::string& name) {
  std::string out = name;
  for (char& c : out) if (c == '-' || c == '_') c = ' ';
  return out;
}

}  // namespace

std::string service_label(const std::string& service, bool start) {
  const auto& names = service_names();
  const auto it = names.find(service);
  std::string text = it != names.end() ? it->second : plain(service);
  if (start && !text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

std::string area_label(const std::string& area) {
  std::string text = plain(area);
  for (std::size_t i = 0; i < text.size(); ++i)
    if (i == 0 || text[i - 1] == ' ') text[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[i])));
  return text;
}

}  // namespace dasim::serve
