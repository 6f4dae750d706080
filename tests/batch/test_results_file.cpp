// The results file: what is written reads back for a resume, in this process, bit for bit; a file from another run
// is refused with a message naming it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "batch/plan.hpp"
#include "batch/wire.hpp"
#include "batch/collector.hpp"
#include "batch/precision.hpp"
#include "fixtures.hpp"
#include "h5_compare.hpp"
#include "output/hdf5.hpp"
#include "output/writers.hpp"

namespace fs = std::filesystem;

namespace dasim::output {
namespace {

class ResultsFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("dasim-results-file-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    scenarios_ = {testing::small_scenario("a"), testing::small_scenario("b", 3)};
  }
  void TearDown() override { fs::remove_all(dir_); }

  /// A record with replications 0 and 2 of 3 done in every scenario (as an interrupted run leaves it).
  batch::RunRecord partial(bool by_pool) {
    batch::RunRecord record = batch::new_record(scenarios_, 11, 3, by_pool);
    for (auto& s : record.scenarios)
      for (std::uint64_t r : {0, 2}) {
        s.replications[r] = testing::fabricated(*s.scenario, r + 10 * (&s - record.scenarios.data()), by_pool);
        s.replications[r].replication = r;
        s.done[r] = true;
      }
    return record;
  }
  fs::path write(const batch::RunRecord& record, const char* name) {
    const fs::path path = dir_ / name;
    write_hdf5(record, batch::summarise(record), path);
    return path;
  }

  fs::path dir_;
  std::vector<model::Scenario> scenarios_;
};

TEST_F(ResultsFile, AStreamedFileIsTheFileOfTheWholeRecord) {
  // Results arriving out of order, streamed through a collector into a file sized for more replications than a
  // sequential run then keeps, give the same file as one written at once from every replication's arrays.
  for (bool by_pool : {false, true}) {
    batch::RunRecord whole = batch::new_record(scenarios_, 11, 3, by_pool);
    batch::RunRecord streamed = batch::new_record(scenarios_, 11, 5, by_pool);
    const fs::path path = dir_ / "streamed.h5";
    {
      ResultsStream stream(streamed, path);
      batch::Collector collector(streamed, [&](int s, const batch::ReplicationResult& r) { stream.write(s, r); });
      collector.hold_from(0);
      for (std::uint64_t r : {4, 1, 0, 3, 2})
        for (int s : {1, 0}) {
          batch::ReplicationResult result = testing::fabricated(scenarios_[s], r + 10 * s, by_pool);
          result.replication = r;
          if (r < 3) whole.scenarios[s].replications[r] = result, whole.scenarios[s].done[r] = true;
          collector.add(s, std::move(result));
        }
      batch::keep_first(streamed, 3);
      streamed.created = whole.created;
      stream.finish(streamed, collector.summarise());
    }
    const fs::path at_once = write(whole, "whole.h5");
    EXPECT_EQ(testing::h5_differences(path.string(), at_once.string(), {}), "") << "by pool: " << by_pool;
    // The check can fail: another seed's file differs.
    whole.scenarios[0].replications[1].area_metrics[0] += 1;
    EXPECT_NE(testing::h5_differences(path.string(), write(whole, "other.h5").string(), {}), "");
  }
}

TEST_F(ResultsFile, AWrittenRunResumesBitForBit) {
  for (bool by_pool : {false, true}) {
    const batch::RunRecord written = partial(by_pool);
    const fs::path path = write(written, "run.h5.partial");
    batch::RunRecord resumed = batch::new_record(scenarios_, 11, 3, by_pool);
    read_hdf5_for_resume(resumed, path);
    for (std::size_t s = 0; s < scenarios_.size(); ++s)
      for (std::size_t r = 0; r < 3; ++r) {
        EXPECT_EQ(resumed.scenarios[s].done[r], written.scenarios[s].done[r]) << s << "," << r;
        if (!written.scenarios[s].done[r]) continue;
        EXPECT_EQ(batch::serialize(resumed.scenarios[s].replications[r]), batch::serialize(written.scenarios[s].replications[r]))
            << "scenario " << s << " replication " << r << (by_pool ? " with" : " without") << " pool series";
      }
    EXPECT_EQ(batch::plan_tasks(resumed).size(), 2u);  // replication 1 of each scenario is what remains
  }
}

TEST_F(ResultsFile, TheFileCarriesTheSchemaAndTheVersion) {
  const fs::path path = write(partial(false), "run.h5");
  const h5::File file = h5::File::open_read_only(path);
  EXPECT_EQ(file.number_attribute<std::int32_t>("format_version", 2), (std::vector<std::int32_t>{kFormatMajor, kFormatMinor}));
  EXPECT_EQ(file.number_attribute<std::int32_t>("complete", 1)[0], 0);
  EXPECT_EQ(file.string_attribute("git_commit"), build_commit());
  for (const batch::Group& g : batch::groups()) {
    const h5::Group entry = file.open_group("schema").open_group(g.name);
    EXPECT_EQ(entry.string_attribute("dataset"), g.dataset);
    EXPECT_EQ(entry.string_attribute("labels"), g.labels);
    EXPECT_TRUE(entry.has("display_name"));
    const h5::Group scenario = file.open_group("scenarios").open_group("a");
    EXPECT_EQ(scenario.has(g.dataset), !g.optional) << g.dataset;
  }
  // Asking an attribute for the wrong number of values is an error, not a short read.
  EXPECT_THROW(file.number_attribute<std::int32_t>("format_version", 1), OutputError);
  EXPECT_THROW(file.string_attribute("no_such_attribute"), OutputError);
}

TEST_F(ResultsFile, AnotherRunIsRefused) {
  const fs::path path = write(partial(false), "run.h5.partial");
  auto refused = [&](batch::RunRecord record, const std::string& words) {
    try {
      read_hdf5_for_resume(record, path);
      ADD_FAILURE() << "accepted; expected: " << words;
    } catch (const OutputError& e) {
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
    }
  };
  refused(batch::new_record(scenarios_, 12, 3, false), "--seed 11");
  refused(batch::new_record(scenarios_, 11, 4, false), "--replications 3");
  refused(batch::new_record(scenarios_, 11, 3, true), "--monthly-by-pool");
  std::vector<model::Scenario> renamed{testing::small_scenario("c")};
  refused(batch::new_record(renamed, 11, 3, false), "no 'c'");
  std::vector<model::Scenario> edited{testing::small_scenario("a", 5)};
  refused(batch::new_record(edited, 11, 3, false), "has changed");
  std::vector<model::Scenario> larger{testing::small_scenario("a")};
  larger[0].source_text = scenarios_[0].source_text;
  larger[0].pools.push_back(larger[0].pools.back());  // another pool: the arrays no longer fit
  refused(batch::new_record(larger, 11, 3, false), "other scenarios");
}

TEST_F(ResultsFile, ATruncatedFileIsRefused) {
  const fs::path path = write(partial(false), "run.h5.partial");
  const auto size = fs::file_size(path);
  fs::resize_file(path, size / 2);
  batch::RunRecord record = batch::new_record(scenarios_, 11, 3, false);
  EXPECT_THROW(read_hdf5_for_resume(record, path), OutputError);
  EXPECT_THROW(read_hdf5_for_resume(record, dir_ / "missing.h5"), OutputError);
}



}  // namespace
}  // namespace dasim::output

namespace dasim::output {
namespace {
TEST(Hdf5, ADatasetBetweenOneAndTwoChunksLongIsWrittenAndReadBack) {
  // 6,000 values: compressed (over 4,096), and shorter than a 64 KiB chunk of 8,192 doubles, which HDF5 refuses
  // for a dataset of fixed size; two-option runs of the SET model have summaries about this long.
  const fs::path path = fs::temp_directory_path() / ("dasim-chunk-" + std::to_string(::getpid()) + ".h5");
  std::vector<double> values(6000);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<double>(i) / 7;
  {
    const h5::File file = h5::File::create(path);
    file.create_group("g").write("x", {values.size()}, values);
  }
  const h5::File file = h5::File::open_read_only(path);
  EXPECT_EQ(file.open_group("g").read_doubles("x", values.size()), values);
  fs::remove(path);
}
}  // namespace
}  // namespace dasim::output
