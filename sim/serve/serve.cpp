#include "serve/serve.hpp"

#include <CLI/CLI.hpp>
#include <csignal>
#include <fmt/format.h>
#include <algorithm>
#include <fstream>
#include <httplib.h>
#include <pthread.h>
#include <sstream>
#include <thread>
#include <atomic>
#include <unistd.h>

#include "scenario/loader.hpp"
#include "serve/form.hpp"
#include "serve/graph.hpp"
#include "serve/project.hpp"
#include "serve/runs.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace dasim::serve {

namespace {

constexpr std::size_t kMaxBody = 64 * 1024;  // a form is a few kilobytes; anything larger is refused

const fs::path& web_folder() {
  static const fs::path folder = fs::path(DASIM_SOURCE_DIR) / "sim" / "serve" / "web";
  return folder;
}

std::string read_whole(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void send_json(httplib::Response& res, const json& body, int status = 200) {
  res.status = status;
  res.set_content(body.dump(), "application/json; charset=utf-8");
}

/// Every handler goes through here: a refused request gets its reason as JSON, a broken scenario the loader's
/// message, anything unexpected a 500 with the message; the server carries on.
template <class Handler>
httplib::Server::Handler guarded(Handler handler) {
  return [handler](const httplib::Request& req, httplib::Response& res) {
    try {
      handler(req, res);
    } catch (const BadRequest& e) {
      send_json(res, {{"error", e.what()}}, e.status);
    } catch (const scenario::LoadError& e) {
      send_json(res, {{"error", e.what()}}, 422);
    } catch (const std::exception& e) {
      send_json(res, {{"error", std::string("the server could not do this: ") + e.what()}}, 500);
    }
  };
}

std::string param(const httplib::Request& req, const char* key, std::size_t max = 300) {
  std::string value = req.has_param(key) ? req.get_param_value(key) : "";
  if (value.size() > max) throw BadRequest(fmt::format("{} is longer than {} characters", key, max));
  return value;
}

long long whole_param(const httplib::Request& req, const char* key, long long min, long long max) {
  const std::string text = param(req, key, 30);
  long long value = 0;
  std::size_t used = 0;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (text.empty() || used != text.size() || value < min || value > max)
    throw BadRequest(fmt::format("{} must be a whole number from {} to {}, got \"{}\"", key, min, max, text.substr(0, 30)));
  return value;
}

OptionRequest option_request(const httplib::Request& req) {
  OptionRequest r;
  r.base = param(req, "base", 100);
  r.name = param(req, "name", 100);
  r.description = param(req, "description", 300);
  r.replace = param(req, "replace", 10) == "1";
  for (const auto& [key, value] : req.params)
    if (key.rfind("v:", 0) == 0) r.values[key.substr(2)] = value;
  return r;
}

json scenario_list(const Project& project) {
  json out = json::array();
  std::error_code ec;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(project.scenarios(), ec))
    if (entry.path().extension() == ".toml" && valid_name(entry.path().stem().string())) try {
        const fs::path file = project.scenario_file(entry.path().stem().string());  // a link out of the folder is refused
        if (fs::is_regular_file(file)) files.push_back(file);
      } catch (const BadRequest&) {
      }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    json item{{"name", file.stem().string()}};
    std::ifstream in(file);
    std::string first;
    std::getline(in, first);
    item["saved_by_page"] = first.rfind(kSavedByServe, 0) == 0;
    try {
      const model::Scenario s = scenario::load(file);
      item["description"] = s.description;
      item["pools"] = s.pools.size();
    } catch (const scenario::LoadError& e) {
      item["error"] = e.what();
    }
    out.push_back(item);
  }
  return out;
}

void attach(httplib::Response& res, const fs::path& file, bool inline_html) {
  if (!fs::is_regular_file(file)) throw BadRequest(fmt::format("{}: no such file", file.filename().string()), 404);
  static const std::map<std::string, std::string> kTypes{
      {".html", "text/html; charset=utf-8"}, {".pdf", "application/pdf"}, {".csv", "text/csv; charset=utf-8"},
      {".h5", "application/x-hdf5"}, {".png", "image/png"}, {".svg", "image/svg+xml"},
      {".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}};
  const auto type = kTypes.find(file.extension().string());
  res.set_content(read_whole(file), type == kTypes.end() ? "application/octet-stream" : type->second);
  if (!(inline_html && file.extension() == ".html"))
    res.set_header("Content-Disposition", fmt::format("attachment; filename=\"{}\"", file.filename().string()));
}

void routes(httplib::Server& server, const Project& project, RunQueue& queue) {
  for (const auto& [path, file, type] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"/", "index.html", "text/html; charset=utf-8"}, {"/app.js", "app.js", "text/javascript; charset=utf-8"},
           {"/style.css", "style.css", "text/css; charset=utf-8"}}) {
    server.Get(path, guarded([file = file, type = type](const httplib::Request&, httplib::Response& res) {
      res.set_content(read_whole(web_folder() / file), type);
      res.set_header("Cache-Control", "no-store");
    }));
  }
  server.Get("/api/scenarios", guarded([&](const httplib::Request&, httplib::Response& res) { send_json(res, scenario_list(project)); }));
  server.Get(R"(/api/scenarios/([^/]+)/form)", guarded([&](const httplib::Request& req, httplib::Response& res) {
    const std::string name = req.matches[1];
    const std::vector<Field> fields = form_fields(project, name);
    const model::Scenario s = scenario::load(project.scenario_file(name));
    send_json(res, {{"name", name}, {"scenario", s.name}, {"description", s.description}, {"fields", to_json(fields)}});
  }));
  server.Get(R"(/api/scenarios/([^/]+)/pathway\.svg)", guarded([&](const httplib::Request& req, httplib::Response& res) {
    const fs::path file = project.scenario_file(req.matches[1]);
    if (!fs::exists(file)) throw BadRequest(fmt::format("no scenario named '{}'", std::string(req.matches[1])), 404);
    res.set_content(render_svg(pathway_dot(scenario::load(file))), "image/svg+xml");
  }));
  server.Post("/api/options/check", guarded([&](const httplib::Request& req, httplib::Response& res) {
    const OptionResult r = check_option(project, option_request(req), false);
    send_json(res, r.to_json(), r.errors.empty() ? 200 : 422);
  }));
  server.Post("/api/options", guarded([&](const httplib::Request& req, httplib::Response& res) {
    const OptionResult r = check_option(project, option_request(req), true);
    send_json(res, r.to_json(), r.errors.empty() ? 201 : 422);
  }));
  server.Get("/api/runs", guarded([&](const httplib::Request&, httplib::Response& res) { send_json(res, queue.list()); }));
  server.Post("/api/runs", guarded([&](const httplib::Request& req, httplib::Response& res) {
    RunRequest r;
    r.name = param(req, "name", 100);
    const std::string baseline = param(req, "baseline", 100);
    if (baseline.empty()) throw BadRequest("choose a baseline: the option the others are compared with");
    r.options.push_back(baseline);
    for (std::size_t i = 0, n = req.get_param_value_count("options"); i < n && i < 20; ++i) {
      const std::string option = req.get_param_value("options", i);
      if (option != baseline) r.options.push_back(option.substr(0, 100));
    }
    r.replications = static_cast<int>(whole_param(req, "replications", 1, 1000));
    r.seed = static_cast<std::uint64_t>(whole_param(req, "seed", 0, 9'000'000'000'000'000'000LL));
    send_json(res, queue.submit(std::move(r)), 202);
  }));
  server.Get(R"(/api/runs/([^/]+))", guarded([&](const httplib::Request& req, httplib::Response& res) { send_json(res, queue.status(req.matches[1])); }));
  server.Post(R"(/api/runs/([^/]+)/cancel)", guarded([&](const httplib::Request& req, httplib::Response& res) { send_json(res, queue.cancel(req.matches[1])); }));
  server.Post(R"(/api/runs/([^/]+)/resume)", guarded([&](const httplib::Request& req, httplib::Response& res) { send_json(res, queue.resume(req.matches[1]), 202); }));
  server.Get(R"(/runs/([^/]+)/report/([^/]+))", guarded([&](const httplib::Request& req, httplib::Response& res) {
    attach(res, project.report_file(req.matches[1], req.matches[2]), req.has_param("view"));
  }));
  server.Get(R"(/runs/([^/]+)/files/([^/]+))", guarded([&](const httplib::Request& req, httplib::Response& res) {
    const std::string name = req.matches[1], file = req.matches[2];
    for (const auto& suffix : {".h5", "-summary.csv", "-sensitivity.csv"})
      if (file == name + suffix) return attach(res, project.results_path(name, suffix), false);
    throw BadRequest(fmt::format("'{}' is not a results file of run '{}'", file.substr(0, 100), name.substr(0, 100)), 404);
  }));
}

bool loopback(const std::string& host) { return host == "127.0.0.1" || host == "localhost" || host == "::1"; }

}  // namespace

int serve(const ServeOptions& o) {
  // SIGINT and SIGTERM are taken by one thread, which stops the server; block them everywhere else first.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  const Project project(o.scenarios, o.results);
  if (!fs::exists(web_folder() / "index.html"))
    throw std::runtime_error(fmt::format("{}: the page's files are missing", web_folder().string()));
  RunQueue queue(project, o.jobs > 0 ? o.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())), o.pdf);
  httplib::Server server;
  server.set_payload_max_length(kMaxBody);
  server.set_read_timeout(30, 0);
  server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 413) send_json(res, {{"error", fmt::format("the request is larger than the server accepts ({} KiB)", kMaxBody / 1024)}}, 413);
    else if (res.status == 404) send_json(res, {{"error", "no such page"}}, 404);
    else send_json(res, {{"error", fmt::format("the request was refused (HTTP {})", res.status)}}, res.status);
  });
  routes(server, project, queue);

  const int port = o.port == 0 ? server.bind_to_any_port(o.host) : (server.bind_to_port(o.host, o.port) ? o.port : -1);
  if (port < 0) {
    fmt::print(stderr, "dasim serve: cannot listen on {}:{} (in use? try --port 0 for any free port)\n", o.host, o.port);
    return 1;
  }
  if (!loopback(o.host))
    fmt::print(stderr, "dasim serve: WARNING: listening on {}: anyone who can reach this address can run simulations and "
                       "write scenario files. There is no login. Use only on a network you trust.\n", o.host);
  fmt::print("dasim serve: open http://{}:{}/ in a browser (scenarios: {}, results: {}; Ctrl-C stops)\n",
             o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host, port, project.scenarios().string(),
             project.results().string());
  std::fflush(stdout);

  std::atomic<bool> signalled{false};
  std::thread stopper([&] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    signalled = true;
    server.stop();
  });
  server.listen_after_bind();
  queue.shutdown();
  fmt::print("dasim serve: stopped\n");
  std::fflush(stdout);
  // listen ends on a signal (the stopper took it) or on an error (wake the stopper with one).
  if (!signalled) ::kill(::getpid(), SIGTERM);
  stopper.join();
  return 0;
}

bool ServeCommand::chosen() const { return command && command->parsed(); }
int ServeCommand::run() const { return serve(*options); }

ServeCommand register_serve(CLI::App& app) {
  ServeCommand c;
  c.options = std::make_shared<ServeOptions>();
  ServeOptions& o = *c.options;
  c.command = app.add_subcommand("serve", "A local web page to build options, compare them and download the board pack");
  c.command->add_option("--port", o.port, "Port to listen on (0: any free port)")->check(CLI::Range(0, 65535))->capture_default_str();
  c.command->add_option("--host", o.host, "Address to listen on; anything but 127.0.0.1 is reachable from other machines (a warning is printed)")
      ->capture_default_str();
  c.command->add_option("--scenarios", o.scenarios, "The scenarios folder the page reads and saves options in")->capture_default_str();
  c.command->add_option("--results", o.results, "The results folder runs write to")->capture_default_str();
  c.command->add_option("-j,--jobs", o.jobs, "Worker processes for all runs together (default: every core)")->check(CLI::Range(1, 1024));
  c.command->add_flag("!--no-pdf", o.pdf, "Board packs without the PDF (which needs Chromium and takes longest)");
  return c;
}

}  // namespace dasim::serve
