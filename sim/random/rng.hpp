#pragma once
// Named, reproducible random streams.
//
// Every stream's seed is a pure function of (master seed, replication, stream name, index), so a replication's
// numbers do not depend on which process ran it or on how many ran beside it. Each person carries a stream of
// their own, seeded from who they are (source and arrival index), which gives common random numbers across
// commissioning options: person k of a source draws the same attributes and the same service times whatever
// the topology of pools they meet.
#include <cstdint>
#include <limits>
#include <string_view>

namespace dasim::random {

/// splitmix64 finaliser: a bijective 64-bit mix with full avalanche.
constexpr std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// FNV-1a over a stream name, so names (not declaration order) identify streams.
constexpr std::uint64_t hash_name(std::string_view name) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return h;
}

/// The part of a stream's seed that names the family (master seed, replication, name); see stream_seed.
constexpr std::uint64_t stream_family(std::uint64_t master, std::uint64_t replication, std::string_view name) {
  std::uint64_t s = mix64(master + 0x9e3779b97f4a7c15ULL);
  s = mix64(s ^ (replication + 0x632be59bd9b4e019ULL));
  return mix64(s ^ hash_name(name));
}

/// Seed of member `index` of a family: one mix, for streams made often (one per person).
constexpr std::uint64_t stream_member(std::uint64_t family, std::uint64_t index) {
  return mix64(family ^ (index * 0x9e3779b97f4a7c15ULL + 0x85ebca6b));
}

/// Seed of one stream: a pure function of its coordinates.
constexpr std::uint64_t stream_seed(std::uint64_t master, std::uint64_t replication, std::string_view name,
                                    std::uint64_t index = 0) {
  return stream_member(stream_family(master, replication, name), index);
}

/// SplitMix64 (Steele, Lea & Flood 2014): 8 bytes of state, seeded for free, passes BigCrush. It is the
/// engine behind every stream; Boost.Random distributions turn its bits into variates, so results are the
/// same across standard libraries.
class SplitMix64 {
 public:
  using result_type = std::uint64_t;
  SplitMix64() = default;
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }
  result_type operator()() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return mix64(state_);
  }
  /// Uniform on [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t state_ = 0;
};

using Rng = SplitMix64;

}  // namespace dasim::random
