#pragma once
// The two folders `dasim serve` may touch, and the only way to turn a name sent by a browser into a path in them.
#include <filesystem>
#include <stdexcept>
#include <string>

namespace dasim::serve {

/// A request the server refuses: the message is shown to the user as is (HTTP 400, or `status`).
struct BadRequest : std::runtime_error {
  BadRequest(const std::string& what, int status = 400) : std::runtime_error(what), status(status) {}
  int status;
};

/// Names of scenarios and runs sent by the page: lower-case letters, digits and hyphens, starting with a letter
/// or digit, at most 80 characters. Nothing else (no dots, slashes, spaces) so a name can never be a path.
bool valid_name(const std::string& name);

class Project {
 public:
  /// `scenarios` and `results` are made absolute and canonical; results/ is created if missing.
  Project(const std::filesystem::path& scenarios, const std::filesystem::path& results);
  const std::filesystem::path& scenarios() const { return scenarios_; }
  const std::filesystem::path& results() const { return results_; }
  /// scenarios/NAME.toml, after checking NAME and that the resolved path stays inside scenarios/.
  std::filesystem::path scenario_file(const std::string& name) const;
  /// results/NAME + suffix (suffix from the server's own code, e.g. ".h5" or "-report"), checked likewise.
  std::filesystem::path results_path(const std::string& name, const std::string& suffix) const;
  /// The server's own record of a run: results/.serve/NAME + extension (".json" state, ".log" output).
  std::filesystem::path record_path(const std::string& name, const std::string& extension) const;
  /// A file inside results/NAME-report/ named by the page (one path component, no hidden files), checked.
  std::filesystem::path report_file(const std::string& run, const std::string& file) const;

 private:
  std::filesystem::path scenarios_, results_;
};

/// The time now, as ISO 8601 UTC (2026-11-30T11:40:00Z).
std::string utc_now();

/// Whether `path`, resolved with weakly_canonical (symbolic links followed), lies inside `folder`.
bool inside(const std::filesystem::path& folder, const std::filesystem::path& path);

}  // namespace dasim::serve
