#pragma once
// Builds a model::Scenario from the merged TOML tree of a SourceChain, resolving names to indices. The section
// readers live in their own files (sections.cpp, economics.cpp, pool_reader.cpp); this class holds what they share:
// the scenario so far, the service registry, conditions and routes.
#include <array>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "model/calendar.hpp"
#include "model/commissioning.hpp"
#include "model/spec.hpp"
#include "scenario/toml_reader.hpp"

namespace dasim::scenario {

/// The largest seasonal or dated factor on a rate, and the highest rate a stream may reach with all its factors.
constexpr double kMaxRateFactor = 1000;
constexpr double kMaxRatePerYear = 1e8;
/// The most pools a scenario may have: real ones have tens; this keeps a runaway file from taking minutes.
constexpr std::size_t kMaxPools = 2000;
/// Arrival streams times days of the run: each stream holds a rate a day (8 bytes), so this is at most 160 MB.
constexpr double kMaxDailyRates = 2e7;
/// Dated factors on one stream: each is applied to every day it covers, every year when `yearly`.
constexpr std::size_t kMaxDatedFactors = 100;
/// The most places (workers × places each) a pool may hold at any time: counted in an int, and far beyond need.
constexpr long long kMaxPlaces = static_cast<long long>(model::kMaxUnits);  // one limit for files and money

class ScenarioBuilder : public TomlReader {
 public:
  ScenarioBuilder(const toml::table& root, std::string file, std::vector<std::string> chain)
      : TomlReader(std::move(file), std::move(chain)), root_(root) {}
  model::Scenario build();

  // Shared by the section readers.
  const model::Scenario& scenario() const { return s_; }
  const std::vector<std::string>& area_names() const { return area_names_; }
  long date(const toml::node& n, const std::string& key) const { return TomlReader::date(n, key, calendar_.get()); }
  int service(const toml::node& n, const std::string& key);
  /// The index of a service, registering it on first use (`where` is kept for a message if no pool serves it).
  int service(const std::string& name, const toml::node& where);
  /// The value index of `attribute` named by `n` (an area, a source, a flag, a count or a category).
  int value_of(int attribute, const toml::node& n, const std::string& key) const;
  model::Condition condition(const toml::node& n, const std::string& key) const;
  std::vector<std::pair<int, int>> assignments(const toml::node& n, const std::string& key) const;
  std::vector<model::Route> routes(const toml::table& t, std::string_view k, const std::string& ctx);
  std::array<double, model::kSupportResults> by_result(const toml::table& t, std::string_view k, const std::string& ctx,
                                                       double fallback, double max) const;

 private:
  /// The top-level table `name`, checked against its `keys`, or nullptr when the scenario has none.
  const toml::table* optional_section(std::string_view name, std::initializer_list<std::string_view> keys) const;
  void read_scenario_and_simulation();
  void read_areas();
  void read_sources();
  void read_attributes();
  void read_arrivals();
  /// Refuses a stream whose rate, multiplied by its factors, can pass kMaxRatePerYear (or overflow).
  void check_peak_rate(const toml::node& at, const std::string& key, const model::ArrivalSpec& a) const;
  void read_pools();
  void read_priority(const toml::node& priority, const std::string& key, model::PoolSpec& pool) const;
  void read_capacity_changes(const toml::node& changes, const std::string& key, model::PoolSpec& pool) const;
  void read_contracts();
  void read_purchases(const toml::node& buys, const std::string& ctx, model::ContractSpec& contract,
                      const std::function<int(const toml::node&, const std::string&)>& take_pool);
  void read_funders(const toml::table& t, const std::string& ctx, model::ContractSpec& contract);
  void read_outcomes();
  /// The payer named by `t`'s `payer` (else `fallback`), registered on first use.
  int payer(const toml::table& t, const std::string& ctx, const toml::node& where, const std::string& fallback);
  void read_social_care();  // social_care_reader.cpp
  void read_waiting_harm();
  void read_repeat();
  void read_relocation();
  void resolve_services();
  void read_display_names();
  /// Refuses a cycle of routes that can all happen at the same instant (see zero_time.cpp).
  void check_zero_time_loops() const;

  const toml::table& root_;
  model::Scenario s_;
  std::vector<std::string> area_names_;  // built once, after the areas are read
  std::unique_ptr<model::Calendar> calendar_;
  std::vector<const toml::node*> service_first_use_;
};

}  // namespace dasim::scenario
