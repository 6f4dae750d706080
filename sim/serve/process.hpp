#pragma once
// Child processes of the server: runs of `dasim` itself (in their own process group, so a cancel reaches every
// worker they fork) and short tools whose output the server reads (Graphviz).
#include <filesystem>
#include <string>
#include <sys/types.h>
#include <vector>

namespace dasim::serve {

/// The server's own executable, so that children are the same build of dasim.
std::filesystem::path self_executable();

/// Starts `argv` in a new process group with stdout and stderr appended to `log`, stdin from /dev/null, in `dir`.
/// The child gets SIGTERM if the server dies, so a run never outlives its server unnoticed. Returns the pid.
pid_t spawn(const std::vector<std::string>& argv, const std::filesystem::path& log, const std::filesystem::path& dir);

/// Runs `argv` with `input` on stdin and returns its stdout; throws std::runtime_error with its stderr if it fails
/// or takes longer than `timeout_seconds` (then it is killed).
std::string capture(const std::vector<std::string>& argv, const std::string& input, int timeout_seconds);

}  // namespace dasim::serve
