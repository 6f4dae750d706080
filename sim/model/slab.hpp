#pragma once
// Recycled storage for things that come and go by the hundred thousand (people, cases, cohorts, held places), so
// memory stays flat however long the run: an index names a slot; released slots are reused first.
#include <cstdint>
#include <vector>

namespace dasim::model {

template <class T>
class Slab {
 public:
  /// A free slot's index: a released one if any (with its contents as last left, which lets a case keep counting
  /// its epoch across reuse), else a new default one. References from operator[] may move when a slot is added.
  std::uint32_t acquire() {
    if (free_.empty()) {
      items_.emplace_back();
      return static_cast<std::uint32_t>(items_.size() - 1);
    }
    const std::uint32_t id = free_.back();
    free_.pop_back();
    return id;
  }
  void release(std::uint32_t id) { free_.push_back(id); }
  T& operator[](std::uint32_t id) { return items_[id]; }
  const T& operator[](std::uint32_t id) const { return items_[id]; }

 private:
  std::vector<T> items_;
  std::vector<std::uint32_t> free_;
};

}  // namespace dasim::model
