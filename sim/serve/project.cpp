#include "serve/project.hpp"

#include <ctime>
#include <fmt/format.h>

namespace fs = std::filesystem;

namespace dasim::serve {

bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > 80) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && !(i > 0 && c == '-')) return false;
  }
  return true;
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

bool inside(const fs::path& folder, const fs::path& path) {
  std::error_code ec;
  const fs::path resolved = fs::weakly_canonical(path, ec);
  if (ec) return false;
  const fs::path rel = resolved.lexically_relative(folder);
  return !rel.empty() && *rel.begin() != ".." && rel != ".";
}

namespace {
fs::path canonical_folder(const fs::path& folder, bool create) {
  std::error_code ec;
  if (create) fs::create_directories(folder, ec);
  if (!fs::is_directory(folder))
    throw std::runtime_error(fmt::format("{}: no such folder (start dasim serve in the project's folder, or give --scenarios "
                                         "and --results)", fs::absolute(folder).string()));
  return fs::canonical(folder);
}

void check_name(const std::string& name, const char* what) {
  if (!valid_name(name))
    throw BadRequest(fmt::format("'{}' is not a valid {} name: use lower-case letters, digits and hyphens (e.g. "
                                 "pooled-plus-2-idvas), at most 80 characters",
                                 name.substr(0, 100), what));
}
}  // namespace

Project::Project(const fs::path& scenarios, const fs::path& results)
    : scenarios_(canonical_folder(scenarios, false)), results_(canonical_folder(results, true)) {}

fs::path Project::scenario_file(const std::string& name) const {
  check_name(name, "scenario");
  fs::path file = scenarios_ / (name + ".toml");
  if (!inside(scenarios_, file)) throw BadRequest(fmt::format("scenario '{}' is outside the scenarios folder", name));
  return file;
}

fs::path Project::results_path(const std::string& name, const std::string& suffix) const {
  check_name(name, "run");
  fs::path file = results_ / (name + suffix);
  if (!inside(results_, file)) throw BadRequest(fmt::format("run '{}' is outside the results folder", name));
  return file;
}

fs::path Project::record_path(const std::string& name, const std::string& extension) const {
  check_name(name, "run");
  std::error_code ec;
  fs::create_directories(results_ / ".serve", ec);
  fs::path file = results_ / ".serve" / (name + extension);
  if (!inside(results_, file)) throw BadRequest(fmt::format("run '{}' is outside the results folder", name));
  return file;
}

fs::path Project::report_file(const std::string& run, const std::string& file) const {
  const fs::path folder = results_path(run, "-report");
  const bool plain = !file.empty() && file.size() <= 120 && file[0] != '.' &&
                     file.find_first_of("/\\") == std::string::npos && file.find('\0') == std::string::npos;
  if (!plain) throw BadRequest(fmt::format("'{}' is not a file of the board pack", file.substr(0, 100)));
  fs::path path = folder / file;
  if (!inside(results_, path)) throw BadRequest(fmt::format("'{}' is outside the results folder", file.substr(0, 100)));
  return path;
}

}  // namespace dasim::serve
