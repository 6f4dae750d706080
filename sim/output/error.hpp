#pragma once
#include <stdexcept>

namespace dasim::output {

/// A results file that cannot be written or read; what() names the file and the reason.
struct OutputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace dasim::output
