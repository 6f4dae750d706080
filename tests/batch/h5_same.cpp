// h5_same A.h5 B.h5: says whether two results files hold the same objects, values and attributes (apart from
// when and by which build they were made). Used to check a streamed file against one from an older dasim.
#include <cstdio>

#include "h5_compare.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: h5_same A.h5 B.h5\n");
    return 2;
  }
  const std::string differences = dasim::testing::h5_differences(argv[1], argv[2], {"created", "git_commit", "dasim_version"});
  std::fputs(differences.empty() ? "same objects, values and attributes\n" : differences.c_str(), stdout);
  return differences.empty() ? 0 : 1;
}
