#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>

#include "output/sizing_file.hpp"
#include "output/writers.hpp"

namespace dasim::output {

namespace {
std::string field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string quoted = "\"";
  for (char c : s) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}
std::string number(double v) { return std::isnan(v) ? "" : fmt::format("{:.10g}", v); }
}  // namespace

void write_text(const std::string& text, const std::filesystem::path& path);

void write_text(const std::string& text, const std::filesystem::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (!f) throw OutputError(fmt::format("{}: cannot write: {}", path.string(), std::strerror(errno)));
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  const int saved = errno;
  if (std::fclose(f) != 0 || !ok)
    throw OutputError(fmt::format("{}: writing failed (is the disk full?): {}", path.string(), std::strerror(ok ? errno : saved)));
}

void write_csv(const std::vector<batch::Row>& rows, const std::filesystem::path& path) {
  std::string text = "kind,scenario,baseline,service,pool,area,metric,units,mean,ci_low,ci_high,sd,p05,p50,p95,n\n";
  for (const auto& r : rows) {
    const auto& s = r.summary;
    text += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", r.kind, field(r.scenario), field(r.baseline),
                        field(r.service), field(r.pool), field(r.area), r.metric, field(r.units), number(s.mean),
                        number(s.ci_low), number(s.ci_high), number(s.sd), number(s.p05), number(s.p50), number(s.p95), s.n);
  }
  write_text(text, path);
}

void write_sensitivity_csv(const batch::RunRecord& run, const std::filesystem::path& path) {
  std::string text = "parameter,where,output,units,base_value,low_value,high_value,output_base,output_at_low,output_at_high,"
                     "effect_low,effect_low_ci_low,effect_low_ci_high,effect_high,effect_high_ci_low,effect_high_ci_high,"
                     "scenario,difference_base,difference_at_low,difference_at_high\n";
  for (const auto& r : run.sensitivity)
    text += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", field(r.parameter), field(r.where), field(r.output),
                        field(r.units), number(r.base_value), number(r.low_value), number(r.high_value), number(r.output_base),
                        number(r.output_at_low), number(r.output_at_high), number(r.effect_low.mean), number(r.effect_low.ci_low),
                        number(r.effect_low.ci_high), number(r.effect_high.mean), number(r.effect_high.ci_low),
                        number(r.effect_high.ci_high), field(r.scenario), number(r.difference_base),
                        number(r.difference_at_low), number(r.difference_at_high));
  write_text(text, path);
}

// `dasim size` (output/sizing_file.hpp): shares this file's quoting and number format.

void write_sizing_csv(const std::vector<batch::SizingRow>& rows, const std::filesystem::path& path) {
  std::string text = "scenario,service,kind,name,units,level,mean,ci_low,ci_high,n,note\n";
  for (const auto& r : rows)
    text += fmt::format("{},{},{},{},{},{},{},{},{},{},{}\n", field(r.option), field(r.service), r.kind, field(r.name),
                        field(r.units), r.level, number(r.summary.mean), number(r.summary.ci_low),
                        number(r.summary.ci_high), r.summary.n, field(r.note));
  write_text(text, path);
}

}  // namespace dasim::output
