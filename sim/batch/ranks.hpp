#pragma once
// Spreading replications across MPI ranks (Open MPI). Each rank runs the tasks whose index modulo the number of
// ranks is its own, in its own forked workers; rank 0 gathers every result and writes the files. Because a
// replication's random streams depend only on (master seed, replication, stream), the results are bit-identical
// to a run on one machine. Without MPI, or outside `mpirun`, there is one rank.
#include <string>
#include <vector>

namespace dasim::batch {

struct Ranks {
  int rank = 0;
  int size = 1;
  bool root() const { return rank == 0; }
};

/// Starts MPI when launched by mpirun (and built with it); otherwise one rank.
Ranks start_ranks(int* argc, char*** argv);
void stop_ranks();
const Ranks& ranks();

/// Rank 0's `value`, at every rank (a decision rank 0 takes that every rank must follow).
int broadcast_from_root(int value);

/// Every rank's `mine`, at rank 0 (in rank order); an empty list elsewhere.
std::vector<std::string> gather_at_root(const std::string& mine);

}  // namespace dasim::batch
