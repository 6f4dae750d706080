#include "batch/ranks.hpp"

#include <cstdlib>
#include <stdexcept>

#ifdef DASIM_WITH_MPI
#define OMPI_SKIP_MPICXX 1  // the C API is all dasim uses
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

namespace dasim::batch {

namespace {
Ranks g_ranks;
bool g_mpi = false;
}  // namespace

Ranks start_ranks(int* argc, char*** argv) {
#ifdef DASIM_WITH_MPI
  // Only under a launcher: a plain `dasim` stays a plain process, with no MPI start-up cost.
  if (std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("PMIX_RANK")) {
    MPI_Init(argc, argv);
    g_mpi = true;
    MPI_Comm_rank(MPI_COMM_WORLD, &g_ranks.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &g_ranks.size);
  }
#else
  (void)argc, (void)argv;
#endif
  return g_ranks;
}

void stop_ranks() {
#ifdef DASIM_WITH_MPI
  if (g_mpi) MPI_Finalize();
  g_mpi = false;
#endif
}

const Ranks& ranks() { return g_ranks; }

int broadcast_from_root(int value) {
  if (g_ranks.size == 1) return value;
#ifdef DASIM_WITH_MPI
  MPI_Bcast(&value, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return value;
#else
  throw std::logic_error("more than one rank without MPI");
#endif
}

std::vector<std::string> gather_at_root(const std::string& mine) {
  if (g_ranks.size == 1) return {mine};
#ifdef DASIM_WITH_MPI
  const long long size = static_cast<long long>(mine.size());
  std::vector<long long> sizes(g_ranks.size);
  MPI_Gather(&size, 1, MPI_LONG_LONG, sizes.data(), 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
  // Sent in pieces below 2 GiB, MPI's count limit, rank by rank.
  constexpr long long kPiece = 1LL << 30;
  std::vector<std::string> out;
  if (g_ranks.root()) {
    out.push_back(mine);
    for (int r = 1; r < g_ranks.size; ++r) {
      std::string buffer(static_cast<std::size_t>(sizes[r]), '\0');
      for (long long at = 0; at < sizes[r]; at += kPiece)
        MPI_Recv(buffer.data() + at, static_cast<int>(std::min(kPiece, sizes[r] - at)), MPI_BYTE, r, 7, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
      out.push_back(std::move(buffer));
    }
  } else {
    for (long long at = 0; at < size; at += kPiece)
      MPI_Send(mine.data() + at, static_cast<int>(std::min(kPiece, size - at)), MPI_BYTE, 0, 7, MPI_COMM_WORLD);
  }
  return out;
#else
  throw std::logic_error("more than one rank without MPI");
#endif
}

}  // namespace dasim::batch
