#pragma once
// The wire format: replication results as bytes, for a worker's pipe and for MPI messages between ranks. Both ends
// are the same dasim binary, so numbers travel in the machine's own byte order. Every read is bounds-checked: a
// short or corrupt message throws WireError instead of reading past its end.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "batch/replication.hpp"

namespace dasim::batch {

struct WireError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// One result: its replication number, then each array of the schema's groups as a length and its values.
std::string serialize(const ReplicationResult& result);
ReplicationResult deserialize(const std::string& bytes);

/// What one MPI rank sends to rank 0 when its share of the run ends.
struct RankReport {
  bool finished = false;   // ran its whole share (not stopped by a signal or a failure)
  std::string failure;     // the first replication failure it saw, or empty
  struct Item {
    int scenario = 0;
    ReplicationResult result;
  };
  std::vector<Item> results;
};
std::string encode(const RankReport& report);
RankReport decode_rank_report(const std::string& bytes);

}  // namespace dasim::batch
