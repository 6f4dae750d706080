#include "serve/runs.hpp"

#include <chrono>
#include <csignal>
#include <ctime>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <sys/wait.h>

#include "serve/process.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace dasim::serve {

namespace {

const std::set<std::string> kActive{"queued", "running"};

json read_json(const fs::path& file) {
  std::ifstream in(file);
  return json::parse(in, nullptr, false);
}

/// The files `dasim run` and `dasim report` write for a run name, including their temporary names.
std::vector<std::string> result_suffixes() {
  return {".h5", "-summary.csv", "-sensitivity.csv", ".h5.partial", ".journal", ".lock"};
}

/// Scenario names of a results summary CSV, in run order (the baseline first): for runs made on the command line.
std::vector<std::string> csv_options(const fs::path& csv) {
  std::ifstream in(csv);
  std::vector<std::string> out;
  std::string line;
  std::getline(in, line);
  for (int n = 0; std::getline(in, line) && n < 200000; ++n) {
    if (line.rfind("summary,", 0) != 0) continue;
    const std::size_t a = line.find(',') + 1, b = line.find(',', a);
    const std::string name = line.substr(a, b - a);
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  }
  return out;
}

std::string file_time(const fs::path& file) {
  std::error_code ec;
  const auto t = fs::last_write_time(file, ec);
  if (ec) return "";
  const auto system = std::chrono::time_point_cast<std::chrono::seconds>(
      t - fs::file_time_type::clock::now() + std::chrono::system_clock::now());
  const std::time_t c = std::chrono::system_clock::to_time_t(system);
  std::tm tm{};
  ::gmtime_r(&c, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

/// The last message `dasim` printed about a failure ("dasim: ..."), or the last lines of the log.
std::string failure_message(const fs::path& log) {
  std::ifstream in(log);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  for (auto it = lines.rbegin(); it != lines.rend(); ++it)
    if (it->rfind("dasim: ", 0) == 0 || it->rfind("board_pack", 0) == 0) return *it;
  std::string tail;
  for (std::size_t i = lines.size() > 3 ? lines.size() - 3 : 0; i < lines.size(); ++i) tail += lines[i] + "\n";
  return tail.empty() ? "the run stopped without a message" : tail;
}

}  // namespace

RunQueue::RunQueue(const Project& project, int cores, bool pdf) : project_(project), cores_(std::max(1, cores)), pdf_(pdf) {
  // Runs a previous server left queued or running were interrupted by its end: say so, and offer to resume.
  std::error_code ec;
  const fs::path folder = project_.results() / ".serve";
  if (fs::is_directory(folder, ec))
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
      if (entry.path().extension() != ".json") continue;
      const std::string name = entry.path().stem().string();
      if (!valid_name(name)) continue;
      json record = read_json(entry.path());
      if (!record.is_object() || record.value("name", "") != name) continue;
      Run run;
      run.record = std::move(record);
      if (kActive.count(run.record.value("state", ""))) {
        run.record["state"] = "interrupted";
        run.record["message"] = "the server stopped while this run was in progress";
        save(run);
      }
      order_.push_back(name);
      runs_.emplace(name, std::move(run));
    }
  thread_ = std::thread([this] { loop(); });
}

RunQueue::~RunQueue() { shutdown(); }

void RunQueue::save(const Run& run) const {
  const std::string name = run.record["name"];
  const fs::path file = project_.record_path(name, ".json"), tmp = project_.record_path(name, ".json.tmp");
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << run.record.dump(2);
  }
  std::error_code ec;
  fs::rename(tmp, file, ec);
}

void RunQueue::remove_files(const std::string& name) const {
  std::error_code ec;
  for (const auto& suffix : result_suffixes()) {
    fs::remove(project_.results_path(name, suffix), ec);
    fs::remove(project_.results() / ("." + name + suffix + ".tmp"), ec);
  }
  // dasim run stages its files as .NAME.h5.PID.tmp (the results file from the start, as it streams into it): a run
  // killed on cancel leaves its own.
  for (const auto& entry : fs::directory_iterator(project_.results(), ec)) {
    const std::string file = entry.path().filename().string();
    for (const auto& suffix : result_suffixes()) {
      const std::string stem = "." + name + suffix + ".";
      if (file.size() > stem.size() + 4 && file.rfind(stem, 0) == 0 && file.ends_with(".tmp") &&
          file.find_first_not_of("0123456789", stem.size()) == file.size() - 4)
        fs::remove(entry.path(), ec);
    }
  }
  fs::remove_all(project_.results_path(name, "-report"), ec);
  fs::remove(project_.record_path(name, ".json"), ec);
  fs::remove(project_.record_path(name, ".json.tmp"), ec);
  fs::remove(project_.record_path(name, ".log"), ec);
}

json RunQueue::submit(RunRequest request) {
  std::lock_guard lock(mutex_);
  if (stopping_) throw BadRequest("the server is stopping", 503);
  if (request.name.empty()) {
    const std::string stamp = utc_now();  // 2026-11-30T11:40:00Z
    std::string base = "run-" + stamp.substr(0, 10) + "-" + stamp.substr(11, 2) + stamp.substr(14, 2) + stamp.substr(17, 2);
    request.name = base;
    for (int k = 2; runs_.count(request.name) || fs::exists(project_.results_path(request.name, ".h5")); ++k)
      request.name = fmt::format("{}-{}", base, k);
  }
  project_.results_path(request.name, ".h5");  // checks the name
  bool taken = runs_.count(request.name) > 0;
  for (const auto& suffix : result_suffixes()) taken = taken || fs::exists(project_.results_path(request.name, suffix));
  if (taken) throw BadRequest(fmt::format("a run named '{}' exists already: choose another name", request.name), 409);
  if (request.options.size() < 2) throw BadRequest("choose at least two options to compare (the first is the baseline)");
  if (request.options.size() > 8) throw BadRequest("compare at most 8 options at once");
  std::set<std::string> seen;
  for (const auto& option : request.options) {
    const fs::path file = project_.scenario_file(option);
    if (!fs::exists(file)) throw BadRequest(fmt::format("no scenario named '{}' in the scenarios folder", option), 404);
    if (!seen.insert(option).second) throw BadRequest(fmt::format("'{}' is chosen twice", option));
  }
  if (request.replications < 1 || request.replications > 1000)
    throw BadRequest(fmt::format("replications must be a whole number from 1 to 1000, got {}", request.replications));
  Run run;
  run.record = {{"name", request.name}, {"options", request.options}, {"replications", request.replications},
                {"seed", request.seed}, {"created", utc_now()}, {"state", "queued"}, {"message", ""},
                {"progress", {{"done", 0}, {"total", request.replications * static_cast<int>(request.options.size())}}}};
  std::string command = "./build/dasim run";
  for (const auto& option : request.options) command += " scenarios/" + option + ".toml";
  run.record["command"] = fmt::format("{} -r {} --seed {} --name {} --output results", command, request.replications,
                                      request.seed, request.name);
  save(run);
  order_.push_back(request.name);
  json state = run.record;
  runs_.emplace(request.name, std::move(run));
  wake_.notify_all();
  return state;
}

json RunQueue::cancel(const std::string& name) {
  std::lock_guard lock(mutex_);
  project_.results_path(name, ".h5");
  const auto it = runs_.find(name);
  if (it == runs_.end()) throw BadRequest(fmt::format("no run named '{}' is queued or running", name), 404);
  Run& run = it->second;
  if (!kActive.count(run.record.value("state", "")) && run.record.value("state", "") != "interrupted")
    throw BadRequest(fmt::format("run '{}' has finished: there is nothing to cancel", name), 409);
  if (run.pid > 0) {
    // The whole process group: dasim run's forked workers too. Nothing is kept, so no need to let it save.
    ::kill(-run.pid, SIGKILL);
    int status;
    ::waitpid(run.pid, &status, 0);
  }
  remove_files(name);
  runs_.erase(it);
  order_.erase(std::remove(order_.begin(), order_.end(), name), order_.end());
  cancelled_[name] = "cancelled: its files were removed";
  return {{"name", name}, {"state", "cancelled"}, {"message", cancelled_[name]}};
}

json RunQueue::resume(const std::string& name) {
  std::lock_guard lock(mutex_);
  project_.results_path(name, ".h5");
  auto it = runs_.find(name);
  const bool has_results = fs::exists(project_.results_path(name, ".h5"));
  if (it == runs_.end() && has_results) {
    // Results from the command line without a board pack: make one.
    Run run;
    run.record = {{"name", name}, {"options", csv_options(project_.results_path(name, "-summary.csv"))}, {"created", file_time(project_.results_path(name, ".h5"))},
                  {"state", "queued"}, {"message", ""}, {"progress", json::object()}};
    save(run);
    order_.push_back(name);
    it = runs_.emplace(name, std::move(run)).first;
  } else if (it == runs_.end()) {
    throw BadRequest(fmt::format("no run named '{}'", name), 404);
  } else if (it->second.record.value("state", "") != "interrupted" &&
             !(it->second.record.value("state", "") == "done" && !fs::exists(project_.results_path(name, "-report") / "board-pack.html"))) {
    throw BadRequest(fmt::format("run '{}' is {}: only an interrupted run can be resumed", name, it->second.record.value("state", "")), 409);
  }
  it->second.record["state"] = "queued";
  it->second.record["message"] = "";
  save(it->second);
  order_.erase(std::remove(order_.begin(), order_.end(), name), order_.end());
  order_.push_back(name);
  wake_.notify_all();
  return it->second.record;
}

std::vector<std::string> RunQueue::run_command(const Run& run, bool resume) const {
  std::vector<std::string> argv{self_executable().string(), "run"};
  for (const auto& option : run.record["options"]) argv.push_back(project_.scenario_file(option.get<std::string>()).string());
  argv.insert(argv.end(), {"--replications", std::to_string(run.record["replications"].get<int>()), "--seed",
                           std::to_string(run.record["seed"].get<std::uint64_t>()), "--name", run.record["name"].get<std::string>(),
                           "--output", project_.results().string(), "--jobs", std::to_string(run.jobs), "--progress-lines",
                           "--totals-only"});
  if (resume) argv.push_back("--resume");
  return argv;
}

int RunQueue::used_jobs() const {
  int used = 0;
  for (const auto& [name, run] : runs_)
    if (run.pid > 0) used += run.jobs;
  return used;
}

void RunQueue::start(Run& run) {
  const std::string name = run.record["name"];
  const bool has_results = fs::exists(project_.results_path(name, ".h5"));
  std::vector<std::string> argv;
  if (has_results) {
    run.phase = "report";
    run.jobs = 1;
    argv = {self_executable().string(), "report", project_.results_path(name, ".h5").string(), "--out",
            project_.results_path(name, "-report").string()};
    if (!pdf_) argv.push_back("--no-pdf");
  } else {
    run.phase = "run";
    const int tasks = run.record["replications"].get<int>() * static_cast<int>(run.record["options"].size());
    run.jobs = std::max(1, std::min(cores_, tasks));
    argv = run_command(run, fs::exists(project_.results_path(name, ".h5.partial")) ||
                                fs::exists(project_.results_path(name, ".journal")));
  }
  const fs::path log = project_.record_path(name, ".log");
  std::error_code ec;
  run.log_read = fs::file_size(log, ec);
  if (ec) run.log_read = 0;
  try {
    run.pid = spawn(argv, log, project_.scenarios().parent_path());
    run.record["state"] = "running";
    run.record["phase"] = run.phase;
    if (!run.record.contains("started")) run.record["started"] = utc_now();
  } catch (const std::exception& e) {
    run.pid = 0;
    run.record["state"] = "failed";
    run.record["message"] = e.what();
  }
  save(run);
}

void RunQueue::read_progress(Run& run) {
  const fs::path log = project_.record_path(run.record["name"], ".log");
  std::ifstream in(log, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(run.log_read));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::size_t last_newline = text.rfind('\n');
  if (last_newline == std::string::npos) return;
  run.log_read += last_newline + 1;
  std::istringstream lines(text.substr(0, last_newline));
  for (std::string line; std::getline(lines, line);) {
    long done = 0, total = 0;
    double elapsed = 0;
    if (std::sscanf(line.c_str(), "progress: %ld/%ld replications, %lf s elapsed", &done, &total, &elapsed) == 3 && total > 0) {
      run.record["progress"] = {{"done", done}, {"total", total}, {"elapsed", elapsed},
                                {"eta", done > 0 ? json(elapsed / static_cast<double>(done) * static_cast<double>(total - done)) : json()}};
    }
  }
}

void RunQueue::finished(Run& run, int status) {
  const std::string name = run.record["name"];
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  run.pid = 0;
  read_progress(run);
  std::error_code ec;
  if (run.phase == "run" && code == 0) {
    start(run);  // the board pack, straight away
    return;
  }
  if (run.phase == "report") {
    run.record["state"] = "done";
    run.record["finished"] = utc_now();
    run.record["message"] = code == 0 ? "" : "the results are complete, but the board pack failed: " + failure_message(project_.record_path(name, ".log"));
  } else if (code == 130 || code == 128 + SIGTERM) {
    run.record["state"] = "interrupted";
    run.record["message"] = "stopped before the end; the finished replications are kept for resuming";
  } else {
    // A failed run keeps only its record and log (to say why), nothing that looks like results.
    run.record["state"] = "failed";
    run.record["message"] = failure_message(project_.record_path(name, ".log"));
    for (const auto& suffix : result_suffixes()) fs::remove(project_.results_path(name, suffix), ec);
  }
  save(run);
}

void RunQueue::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    for (auto& [name, run] : runs_) {
      if (run.pid <= 0) continue;
      int status = 0;
      const pid_t got = ::waitpid(run.pid, &status, WNOHANG);
      if (got == run.pid) finished(run, status);
      else read_progress(run);
    }
    // First come, first served: a run starts when its workers fit in the free cores (or nothing else runs).
    for (const auto& name : order_) {
      Run& run = runs_.at(name);
      if (run.record.value("state", "") != "queued") continue;
      const int tasks = run.record.value("replications", 1) * static_cast<int>(run.record["options"].size());
      const int wanted = fs::exists(project_.results_path(name, ".h5")) ? 1 : std::max(1, std::min(cores_, tasks));
      const int used = used_jobs();
      if (used > 0 && used + wanted > cores_) break;
      start(run);
    }
    wake_.wait_for(lock, std::chrono::milliseconds(250));
  }
}

void RunQueue::shutdown() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    wake_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  // SIGTERM: dasim run keeps its finished replications in NAME.h5.partial, which resume picks up.
  for (auto& [name, run] : runs_)
    if (run.pid > 0) ::kill(-run.pid, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  for (auto& [name, run] : runs_) {
    if (run.pid <= 0) continue;
    int status = 0;
    while (::waitpid(run.pid, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(-run.pid, SIGKILL);
        ::waitpid(run.pid, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    run.pid = 0;
    run.record["state"] = "interrupted";
    run.record["message"] = "the server stopped while this run was in progress";
    save(run);
  }
  for (auto& [name, run] : runs_)
    if (run.record.value("state", "") == "queued") {
      run.record["state"] = "interrupted";
      run.record["message"] = "the server stopped before this run started";
      save(run);
    }
}

json RunQueue::status(const std::string& name) const {
  std::lock_guard lock(mutex_);
  project_.results_path(name, ".h5");
  json out;
  if (const auto it = runs_.find(name); it != runs_.end()) {
    out = it->second.record;
  } else if (const auto c = cancelled_.find(name); c != cancelled_.end()) {
    return {{"name", name}, {"state", "cancelled"}, {"message", c->second}};
  } else if (fs::exists(project_.results_path(name, ".h5"))) {
    out = {{"name", name}, {"state", "done"}, {"options", csv_options(project_.results_path(name, "-summary.csv"))},
           {"created", file_time(project_.results_path(name, ".h5"))}, {"from_command_line", true}};
  } else {
    throw BadRequest(fmt::format("no run named '{}'", name), 404);
  }
  json files = json::array();
  for (const auto& suffix : {".h5", "-summary.csv", "-sensitivity.csv"})
    if (fs::exists(project_.results_path(name, suffix))) files.push_back(name + suffix);
  json report = json::array();
  std::error_code ec;
  const fs::path folder = project_.results_path(name, "-report");
  if (out.value("state", "") == "done" && fs::is_directory(folder, ec))
    for (const auto& entry : fs::directory_iterator(folder, ec))
      if (entry.is_regular_file() && entry.path().filename().string()[0] != '.') report.push_back(entry.path().filename().string());
  std::sort(report.begin(), report.end());
  out["files"] = out.value("state", "") == "done" ? files : json::array();
  out["report"] = report;
  return out;
}

json RunQueue::list() const {
  std::vector<json> all;
  std::set<std::string> names;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [name, run] : runs_) all.push_back(run.record), names.insert(name);
  }
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(project_.results(), ec)) {
    const std::string file = entry.path().filename().string();
    if (file.size() <= 3 || file.substr(file.size() - 3) != ".h5") continue;
    const std::string name = file.substr(0, file.size() - 3);
    if (!valid_name(name) || names.count(name)) continue;
    all.push_back({{"name", name}, {"state", "done"}, {"options", csv_options(project_.results_path(name, "-summary.csv"))},
                   {"created", file_time(entry.path())}, {"from_command_line", true}});
  }
  std::sort(all.begin(), all.end(), [](const json& a, const json& b) { return a.value("created", "") > b.value("created", ""); });
  return all;
}

}  // namespace dasim::serve
