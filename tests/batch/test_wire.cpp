// The wire format: results and rank reports survive the trip bit for bit, and short or padded input is refused.
#include <gtest/gtest.h>

#include "batch/wire.hpp"
#include "fixtures.hpp"

namespace dasim::batch {
namespace {

TEST(Wire, AResultRoundTripsBitForBit) {
  const model::Scenario s = testing::small_scenario();
  const ReplicationResult r = testing::fabricated(s, 7, true);
  const std::string bytes = serialize(r);
  const ReplicationResult back = deserialize(bytes);
  EXPECT_EQ(back.replication, 7u);
  for (const Group& g : groups()) EXPECT_EQ((back.*g.field).size(), (r.*g.field).size()) << g.name;
  EXPECT_EQ(serialize(back), bytes);  // equal bytes: NaNs included, unlike ==
}

TEST(Wire, EveryTruncationIsRefused) {
  const model::Scenario s = testing::small_scenario();
  ReplicationResult r = testing::fabricated(s, 1, false);
  for (const Group& g : groups()) (r.*g.field).resize(std::min<std::size_t>((r.*g.field).size(), 3));  // keep it short
  const std::string bytes = serialize(r);
  for (std::size_t n = 0; n < bytes.size(); ++n) EXPECT_THROW(deserialize(bytes.substr(0, n)), WireError) << n << " bytes";
  EXPECT_THROW(deserialize(bytes + "x"), WireError);
}

TEST(Wire, AnAbsurdLengthIsRefusedNotAllocated) {
  std::string bytes(8, '\0');                    // replication 0
  bytes.append(8, '\xff');                       // a vector of 2^64 - 1 doubles
  EXPECT_THROW(deserialize(bytes), WireError);
}

TEST(Wire, RankReportsRoundTrip) {
  const model::Scenario s = testing::small_scenario();
  RankReport report{true, "replication 3 failed: boom", {}};
  report.results.push_back({1, testing::fabricated(s, 3, false)});
  report.results.push_back({0, testing::fabricated(s, 5, false)});
  const std::string bytes = encode(report);
  const RankReport back = decode_rank_report(bytes);
  EXPECT_TRUE(back.finished);
  EXPECT_EQ(back.failure, report.failure);
  ASSERT_EQ(back.results.size(), 2u);
  EXPECT_EQ(back.results[0].scenario, 1);
  EXPECT_EQ(back.results[1].result.replication, 5u);
  EXPECT_EQ(serialize(back.results[1].result), serialize(report.results[1].result));

  const RankReport empty = decode_rank_report(encode(RankReport{}));
  EXPECT_FALSE(empty.finished);
  EXPECT_TRUE(empty.results.empty());
  for (std::size_t n : {std::size_t(0), std::size_t(5), bytes.size() / 2, bytes.size() - 1})
    EXPECT_THROW(decode_rank_report(bytes.substr(0, n)), WireError) << n << " bytes";
}

}  // namespace
}  // namespace dasim::batch
