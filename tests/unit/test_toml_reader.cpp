// The typed TOML reader: each getter checks type and range and names file, line, column and key on a fault.
#include <gtest/gtest.h>

#include "model/calendar.hpp"
#include "scenario/toml_reader.hpp"

using namespace dasim;

namespace {

struct Read {
  explicit Read(const std::string& text) : root(scenario::parse(text, "r.toml")), in("r.toml", {"r.toml"}) {}
  toml::table root;
  scenario::TomlReader in;
};

template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const scenario::LoadError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(TomlReader, NumbersAreCheckedForTypeAndRange) {
  Read r("a = 3\nb = 2.5\nc = \"x\"\nd = -1\nf = nan\n");
  EXPECT_DOUBLE_EQ(r.in.number(r.root, "a", "t", 0), 3);
  EXPECT_DOUBLE_EQ(r.in.number(r.root, "b", "t", 0, 0, 10), 2.5);
  EXPECT_DOUBLE_EQ(r.in.number(r.root, "missing", "t", 7), 7) << "the fallback when absent";
  EXPECT_EQ(error_of([&] { r.in.number(r.root, "c", "t", 0); }), "r.toml:3:5: t.c: must be a number, got a string");
  EXPECT_EQ(error_of([&] { r.in.number(r.root, "d", "t", 0, 0); }), "r.toml:4:5: t.d: must be >= 0, got -1");
  EXPECT_EQ(error_of([&] { r.in.number(r.root, "b", "t", 0, 0, 1); }), "r.toml:2:5: t.b: must be between 0 and 1, got 2.5");
  EXPECT_NE(error_of([&] { r.in.number(r.root, "f", "t", 0); }).find("must be a finite number"), std::string::npos);
  EXPECT_EQ(error_of([&] { r.in.required_number(r.root, "z", "t"); }).find("t: missing required key 'z'") != std::string::npos, true);
}

TEST(TomlReader, WholeNumbersTextAndFlags) {
  Read r("n = 4\nx = 1.5\ns = \"hi\"\nyes = true\nno = 3\n");
  EXPECT_EQ(r.in.whole(r.root, "n", "t", 1, 1), 4);
  EXPECT_EQ(error_of([&] { r.in.whole(r.root, "x", "t", 1, 1); }), "r.toml:2:5: t.x: must be a whole number >= 1, got a number");
  EXPECT_EQ(r.in.text(r.root, "s", "t", ""), "hi");
  EXPECT_TRUE(r.in.flag(r.root, "yes", "t", false));
  EXPECT_EQ(error_of([&] { r.in.flag(r.root, "no", "t", false); }), "r.toml:5:6: t.no: must be true or false, got an integer");
}

TEST(TomlReader, DatesAreRealAndCountFromTheCalendarStart) {
  Read r("a = \"2025-04-11\"\nb = 2025-04-01\nc = \"2025-02-30\"\nd = \"April\"\n");
  model::SimulationSpec sim;  // starts 2025-04-01
  const model::Calendar calendar(sim);
  EXPECT_EQ(r.in.date(*r.root.get("a"), "a", &calendar), 10);
  EXPECT_EQ(r.in.date(*r.root.get("b"), "b", &calendar), 0) << "a TOML date works as well as a string";
  EXPECT_EQ(r.in.date(*r.root.get("b"), "b", nullptr), model::days_from_civil(2025, 4, 1)) << "without a calendar: days since 1970";
  EXPECT_NE(error_of([&] { r.in.date(*r.root.get("c"), "c", &calendar); }).find("2025-02-30 is not a real date"), std::string::npos);
  EXPECT_NE(error_of([&] { r.in.date(*r.root.get("d"), "d", &calendar); }).find("must be a date \"YYYY-MM-DD\""), std::string::npos);
}

TEST(TomlReader, DistributionsByNameWithTheirOwnKeys) {
  Read r("a = 5\nb = { dist = \"exponential\", mean = 2 }\nc = { dist = \"gamma\", mean = 2 }\n"
         "d = { dist = \"lognormal\", median = 1, spread = 2, extra = 1 }\ne = { dist = \"weibull\" }\n");
  EXPECT_DOUBLE_EQ(r.in.distribution(*r.root.get("a"), "a").mean(), 5);
  EXPECT_DOUBLE_EQ(r.in.distribution(*r.root.get("b"), "b").mean(), 2);
  EXPECT_NE(error_of([&] { r.in.distribution(*r.root.get("c"), "c"); }).find("c: missing required key 'shape'"), std::string::npos);
  EXPECT_NE(error_of([&] { r.in.distribution(*r.root.get("d"), "d"); }).find("unknown key 'extra'"), std::string::npos);
  EXPECT_NE(error_of([&] { r.in.distribution(*r.root.get("e"), "e"); }).find("unknown distribution 'weibull'"), std::string::npos);
}

TEST(TomlReader, NamedTablesComeInTheOrderWritten) {
  Read r("[pools.zeta]\n[pools.alpha]\n[pools.mid]\n");
  std::vector<std::string> names, keys;
  r.in.each_named(*r.root["pools"].as_table(), "pools", [&](const std::string& name, const std::string& key, const toml::node&,
                                                            const toml::table&) {
    names.push_back(name);
    keys.push_back(key);
  });
  EXPECT_EQ(names, (std::vector<std::string>{"zeta", "alpha", "mid"})) << "not toml++'s sorted order";
  EXPECT_EQ(keys.front(), "pools.zeta");
}

TEST(TomlReader, IndexOfListsWhatIsKnown) {
  Read r("a = \"west\"\n");
  EXPECT_EQ(error_of([&] { r.in.index_of({"north", "south"}, *r.root.get("a"), "a", "area"); }),
            "r.toml:1:5: a: unknown area 'west' (known: north, south)");
}
