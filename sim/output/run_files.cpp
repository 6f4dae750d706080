#include "output/run_files.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

#include "batch/wire.hpp"
#include "output/error.hpp"

namespace fs = std::filesystem;

namespace dasim::output {

namespace {

constexpr char kJournalMagic[8] = {'D', 'A', 'S', 'I', 'M', 'J', '0', '1'};
constexpr const char* kCommitLine = "commit";
constexpr const char* kStagedSuffixes[] = {".h5", "-summary.csv", "-sensitivity.csv", ".h5.partial"};

/// FNV-1a over a record's bytes: enough to tell a torn or overwritten record from a whole one.
std::uint64_t checksum(const std::string& bytes, std::uint64_t h = 0xcbf29ce484222325ULL) {
  for (unsigned char c : bytes) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

template <class T>
void put(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

std::string encode(const RunIdentity& id) {
  std::string out;
  put(out, id.master_seed);
  put(out, static_cast<std::int64_t>(id.replications));
  put(out, static_cast<std::uint8_t>(id.monthly_by_pool));
  put(out, static_cast<std::uint64_t>(id.scenario_texts.size()));
  for (const auto& t : id.scenario_texts) {
    put(out, static_cast<std::uint64_t>(t.size()));
    out += t;
  }
  return out;
}

/// One framed record: length, bytes, checksum of (tag, bytes).
std::string frame(std::uint32_t tag, const std::string& bytes) {
  std::string out;
  put(out, tag);
  put(out, static_cast<std::uint64_t>(bytes.size()));
  out += bytes;
  put(out, checksum(bytes, checksum(std::string(reinterpret_cast<const char*>(&tag), sizeof tag))));
  return out;
}

/// Reads one framed record; false at the end of the file or at a torn or corrupt record.
bool read_frame(std::istream& in, std::uint32_t& tag, std::string& bytes) {
  std::uint64_t size = 0, sum = 0;
  if (!in.read(reinterpret_cast<char*>(&tag), sizeof tag) || !in.read(reinterpret_cast<char*>(&size), sizeof size)) return false;
  if (size > (std::uint64_t{1} << 34)) return false;  // no result is 16 GiB: a corrupt length
  bytes.resize(size);
  if (!in.read(bytes.data(), static_cast<std::streamsize>(size)) || !in.read(reinterpret_cast<char*>(&sum), sizeof sum)) return false;
  return sum == checksum(bytes, checksum(std::string(reinterpret_cast<const char*>(&tag), sizeof tag)));
}

void write_all(int fd, const std::string& data, const fs::path& path) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw OutputError(fmt::format("{}: cannot write (is the disk full?): {}", path.string(), std::strerror(errno)));
    done += static_cast<std::size_t>(n);
  }
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

/// Whether `pid` is a running dasim. A pid the kernel has since given to another program is not: the lock is
/// stale all the same.
bool dasim_alive(long pid) {
  if (pid <= 0 || (::kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM)) return false;
  std::ifstream comm(fmt::format("/proc/{}/comm", pid));
  std::string name;
  return !(comm >> name) || name.rfind("dasim", 0) == 0;  // no /proc: trust the pid
}

}  // namespace

RunIdentity identity_of(const std::vector<model::Scenario>& scenarios, std::uint64_t master_seed, int replications,
                        bool monthly_by_pool) {
  RunIdentity id{master_seed, replications, monthly_by_pool, {}};
  for (const auto& s : scenarios) id.scenario_texts.push_back(s.name + "\n" + s.source_text);
  return id;
}

RunFiles::RunFiles(const fs::path& dir, const std::string& name, const std::function<void(const std::string&)>& note)
    : dir_(dir), name_(name), lock_(dir / (name + ".lock")) {
  take_lock(note);
}

RunFiles::~RunFiles() {
  if (journal_fd_ >= 0) ::close(journal_fd_);
  // A run that stops on an error leaves no staged file behind (the journal keeps its replications).
  for (const char* suffix : kStagedSuffixes) {
    std::error_code ignored;
    if (locked_) fs::remove(staged_path(suffix), ignored);  // not locked: a commit list names them for the next run
  }
  if (locked_) ::unlink(lock_.c_str());
}

fs::path RunFiles::staged_path(const std::string& suffix) const {
  return dir_ / fmt::format(".{}{}.{}.tmp", name_, suffix, ::getpid());
}

void RunFiles::take_lock(const std::function<void(const std::string&)>& note) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    const int fd = ::open(lock_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0) {
      write_all(fd, fmt::format("{}\n", ::getpid()), lock_);
      ::close(fd);
      locked_ = true;
      return;
    }
    if (errno != EEXIST) throw OutputError(fmt::format("{}: cannot create the lock file: {}", lock_.string(), std::strerror(errno)));
    // Someone holds, or held, this name.
    std::istringstream text(slurp(lock_));
    long pid = 0;
    text >> pid;
    if (dasim_alive(pid) && pid != ::getpid())
      throw OutputError(fmt::format("results '{}' in {} are being written by another dasim (process {}, lock file {}); "
                                    "choose another --name or --output, or wait for it to finish",
                                    name_, dir_.string(), pid, lock_.string()));
    // Stale: its process is gone (killed, or the machine stopped). Finish a commit it had begun, else clean up.
    std::vector<std::pair<fs::path, fs::path>> commit;
    std::string line;
    bool committing = false;
    std::getline(text, line);
    while (std::getline(text, line)) {
      if (line == kCommitLine) committing = true;
      else if (committing && line.find('\t') != std::string::npos)
        commit.emplace_back(line.substr(0, line.find('\t')), line.substr(line.find('\t') + 1));
    }
    std::string done;
    if (committing) {
      for (const auto& [from, to] : commit) {
        std::error_code ec;
        if (fs::exists(from)) fs::rename(from, to, ec);
      }
      done = "it had begun putting its finished results in place, and that is now complete";
    } else {
      for (const char* suffix : kStagedSuffixes) {
        std::error_code ec;
        fs::remove(dir_ / fmt::format(".{}{}.{}.tmp", name_, suffix, pid), ec);
      }
      done = "its finished replications stay in the journal for --resume";
    }
    note(fmt::format("note: {} was left by process {}, which is no longer running (killed or crashed); {}. Taking it over.",
                     lock_.string(), pid, done));
    // Move the stale lock aside before removing it, so that of two runs taking it over at once only one succeeds
    // in removing this very file; the other finds the winner's new lock on its next attempt.
    const fs::path aside = dir_ / fmt::format(".{}.lock.{}.stale", name_, ::getpid());
    if (::rename(lock_.c_str(), aside.c_str()) == 0) ::unlink(aside.c_str());
  }
  throw OutputError(fmt::format("{}: cannot take the lock (another run keeps taking it)", lock_.string()));
}

void RunFiles::open_journal(const RunIdentity& identity, bool resume,
                            const std::function<void(int, batch::ReplicationResult&&)>& on_record) {
  const fs::path path = journal_path();
  std::uint64_t keep = 0;
  if (resume && fs::exists(path)) keep = read_journal(path, &identity, on_record);  // 0: not even a whole header
  journal_fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | (keep == 0 ? O_TRUNC : 0), 0644);
  if (journal_fd_ < 0) throw OutputError(fmt::format("{}: cannot open the journal: {}", path.string(), std::strerror(errno)));
  // Drop a torn tail, so that new records follow the last whole one.
  if (::ftruncate(journal_fd_, static_cast<off_t>(keep)) != 0 || ::lseek(journal_fd_, static_cast<off_t>(keep), SEEK_SET) < 0)
    throw OutputError(fmt::format("{}: cannot trim the journal: {}", path.string(), std::strerror(errno)));
  if (keep == 0) {
    std::string header(kJournalMagic, sizeof kJournalMagic);
    header += frame(0, encode(identity));
    write_all(journal_fd_, header, path);
  }
}

void RunFiles::replace(const std::string& suffix, const std::function<void(const fs::path&)>& write) {
  const fs::path staged = staged_path(suffix);
  try {
    write(staged);
    std::error_code ec;
    fs::rename(staged, final_path(suffix), ec);
    if (ec) throw OutputError(fmt::format("{}: cannot move the file into place: {}", final_path(suffix).string(), ec.message()));
  } catch (...) {
    std::error_code ignored;
    fs::remove(staged, ignored);
    throw;
  }
}

void RunFiles::place(const std::string& staged_suffix, const std::string& final_suffix) {
  std::error_code ec;
  fs::rename(staged_path(staged_suffix), final_path(final_suffix), ec);
  if (ec) throw OutputError(fmt::format("{}: cannot move the file into place: {}", final_path(final_suffix).string(), ec.message()));
}

void RunFiles::append(int scenario, const batch::ReplicationResult& result) {
  write_all(journal_fd_, frame(static_cast<std::uint32_t>(scenario) + 1, batch::serialize(result)), journal_path());
}

void RunFiles::publish(const std::vector<std::string>& suffixes, const std::vector<fs::path>& also_remove) {
  std::string commit = fmt::format("{}\n{}\n", ::getpid(), kCommitLine);
  for (const auto& s : suffixes) commit += staged_path(s).string() + "\t" + final_path(s).string() + "\n";
  // The commit list goes into the lock first (written to a private name and renamed over it, so the lock is never
  // half-written), then the renames. Were this process to die between them, the next run finishes the renames.
  const fs::path next_lock = staged_path(".lock");
  {
    const int fd = ::open(next_lock.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw OutputError(fmt::format("{}: cannot write: {}", next_lock.string(), std::strerror(errno)));
    write_all(fd, commit, next_lock);
    ::fsync(fd);
    ::close(fd);
  }
  if (::rename(next_lock.c_str(), lock_.c_str()) != 0)
    throw OutputError(fmt::format("{}: cannot record the commit: {}", lock_.string(), std::strerror(errno)));
  for (const auto& s : suffixes) {
    std::error_code ec;
    fs::rename(staged_path(s), final_path(s), ec);
    if (ec) {
      locked_ = false;  // leave the commit list in the lock: the next run of this name completes it
      throw OutputError(fmt::format("{}: cannot move the finished file into place: {}", final_path(s).string(), ec.message()));
    }
  }
  if (journal_fd_ >= 0) ::close(journal_fd_), journal_fd_ = -1;
  std::error_code ec;
  fs::remove(journal_path(), ec);
  for (const auto& p : also_remove) fs::remove(p, ec);
}

std::uint64_t read_journal(const fs::path& path, const RunIdentity* expected,
                           const std::function<void(int, batch::ReplicationResult&&)>& on_record) {
  RunIdentity identity;
  std::ifstream in(path, std::ios::binary);
  char magic[sizeof kJournalMagic];
  if (!in.read(magic, sizeof magic)) return 0;
  if (std::memcmp(magic, kJournalMagic, sizeof magic) != 0)
    throw OutputError(fmt::format("{}: not a dasim journal", path.string()));
  std::uint32_t tag = 0;
  std::string bytes;
  if (!read_frame(in, tag, bytes) || tag != 0) return 0;
  // The identity, decoded field by field as encode() wrote it.
  std::size_t at = 0;
  auto get = [&](auto& v) {
    if (at + sizeof v > bytes.size()) throw OutputError(fmt::format("{}: corrupt journal header", path.string()));
    std::memcpy(&v, bytes.data() + at, sizeof v);
    at += sizeof v;
  };
  std::int64_t replications = 0;
  std::uint8_t monthly = 0;
  std::uint64_t count = 0;
  get(identity.master_seed), get(replications), get(monthly), get(count);
  identity.replications = static_cast<int>(replications);
  identity.monthly_by_pool = monthly != 0;
  identity.scenario_texts.clear();
  for (std::uint64_t k = 0; k < count; ++k) {
    std::uint64_t size = 0;
    get(size);
    if (size > bytes.size() - at) throw OutputError(fmt::format("{}: corrupt journal header", path.string()));
    identity.scenario_texts.push_back(bytes.substr(at, size));
    at += size;
  }
  if (expected && encode(*expected) != encode(identity))
    throw OutputError(fmt::format("{}: was made by another run (other scenarios, scenario text, --seed, --replications or "
                                  "--monthly-by-pool); resume with the same command, or start afresh with --force",
                                  path.string()));
  std::uint64_t whole = static_cast<std::uint64_t>(in.tellg());
  while (read_frame(in, tag, bytes)) {
    if (tag == 0 || tag > identity.scenario_texts.size()) break;
    batch::ReplicationResult result;
    try {
      result = batch::deserialize(bytes);
    } catch (const batch::WireError&) {
      break;
    }
    if (result.replication >= static_cast<std::uint64_t>(identity.replications)) break;
    on_record(static_cast<int>(tag - 1), std::move(result));
    whole = static_cast<std::uint64_t>(in.tellg());
  }
  return whole;
}

}  // namespace dasim::output
