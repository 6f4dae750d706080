#include "batch/wire.hpp"

#include <cstring>
#include <fmt/format.h>

#include "batch/schema.hpp"

namespace dasim::batch {

namespace {

class Writer {
 public:
  template <class T>
  void put(const T& value) {
    out_.append(reinterpret_cast<const char*>(&value), sizeof value);
  }
  void put_bytes(const std::string& bytes) {
    put(static_cast<std::uint64_t>(bytes.size()));
    out_ += bytes;
  }
  void put_vector(const std::vector<double>& v) {
    put(static_cast<std::uint64_t>(v.size()));
    if (!v.empty()) out_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(double));
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  Reader(const std::string& in, const char* what) : in_(in), what_(what) {}
  template <class T>
  T get() {
    need(sizeof(T));
    T value;
    std::memcpy(&value, in_.data() + at_, sizeof value);
    at_ += sizeof value;
    return value;
  }
  std::string get_bytes() {
    const auto n = get<std::uint64_t>();
    need(n);
    std::string out = in_.substr(at_, n);
    at_ += n;
    return out;
  }
  std::vector<double> get_vector() {
    const auto n = get<std::uint64_t>();
    if (n > (in_.size() - at_) / sizeof(double)) fail();
    std::vector<double> v(n);
    if (n > 0) std::memcpy(v.data(), in_.data() + at_, n * sizeof(double));  // an empty vector's data() may be null
    at_ += n * sizeof(double);
    return v;
  }
  bool at_end() const { return at_ == in_.size(); }

 private:
  void need(std::uint64_t n) const {
    if (n > in_.size() - at_) fail();
  }
  [[noreturn]] void fail() const {
    throw WireError(fmt::format("truncated {} ({} bytes, more expected after byte {})", what_, in_.size(), at_));
  }
  const std::string& in_;
  const char* what_;
  std::size_t at_ = 0;
};

}  // namespace

std::string serialize(const ReplicationResult& r) {
  Writer w;
  w.put(r.replication);
  for (const Group& g : groups()) w.put_vector(r.*g.field);
  return w.take();
}

ReplicationResult deserialize(const std::string& bytes) {
  Reader in(bytes, "replication result");
  ReplicationResult r;
  r.replication = in.get<std::uint64_t>();
  for (const Group& g : groups()) r.*g.field = in.get_vector();
  if (!in.at_end()) throw WireError(fmt::format("replication result of {} bytes has bytes left over", bytes.size()));
  return r;
}

std::string encode(const RankReport& report) {
  Writer w;
  w.put(static_cast<std::uint8_t>(report.finished));
  w.put_bytes(report.failure);
  for (const auto& item : report.results) {
    w.put(static_cast<std::int32_t>(item.scenario));
    w.put_bytes(serialize(item.result));
  }
  return w.take();
}

RankReport decode_rank_report(const std::string& bytes) {
  Reader in(bytes, "rank report");
  RankReport report;
  report.finished = in.get<std::uint8_t>() != 0;
  report.failure = in.get_bytes();
  while (!in.at_end()) {
    RankReport::Item item;
    item.scenario = in.get<std::int32_t>();
    item.result = deserialize(in.get_bytes());
    report.results.push_back(std::move(item));
  }
  return report;
}

}  // namespace dasim::batch
