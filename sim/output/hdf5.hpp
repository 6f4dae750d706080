#pragma once
// A small typed RAII layer over the HDF5 C API (as OpenMC's hdf5_interface): files, groups, datasets, attributes and
// strings. Every handle closes itself; every HDF5 call is checked, and a failure throws OutputError naming the file,
// the object and what was being done. It knows nothing of dasim's results layout (that is results_file.cpp).
#include <cstdint>
#include <filesystem>
#include <hdf5.h>
#include <string>
#include <vector>

#include "output/error.hpp"

namespace dasim::output::h5 {

/// The HDF5 memory type of a C++ number type.
template <class T>
hid_t native_type();

/// One open HDF5 identifier, closed with the function that matches its kind.
class Handle {
 public:
  Handle() = default;
  Handle(hid_t id, herr_t (*close)(hid_t), const std::string& failure);
  ~Handle();
  Handle(Handle&& other) noexcept;
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  hid_t id() const { return id_; }

 private:
  hid_t id_ = -1;
  herr_t (*close_)(hid_t) = nullptr;
};

/// Something that carries attributes: a file, a group or a dataset. `file` and `name` (its path) are for messages.
class Object {
 public:
  Object(Handle handle, std::string file, std::string name)
      : handle_(std::move(handle)), file_(std::move(file)), name_(std::move(name)) {}
  hid_t id() const { return handle_.id(); }
  const std::string& file() const { return file_; }
  /// The path inside the file of this object's child `child` (of this object itself when empty).
  std::string path_of(const std::string& child = "") const;
  /// "FILE: PATH" for messages.
  std::string where(const std::string& child = "") const;

  void set_attribute(const char* name, const std::string& value) const;
  void set_attribute(const char* name, const std::vector<std::string>& values) const;
  /// A scalar when there is one value, else a 1-D array.
  template <class T>
  void set_numbers(const char* name, const std::vector<T>& values) const;

  bool has_attribute(const char* name) const;
  std::string string_attribute(const char* name) const;
  /// Reads `count` numbers (a scalar when 1); throws if the attribute holds another number of values.
  template <class T>
  std::vector<T> number_attribute(const char* name, std::size_t count) const;

 protected:
  Handle handle_;
  std::string file_, name_;
};

class Dataset : public Object {
 public:
  using Object::Object;
  /// Marks this 1-D dataset as the dimension scale (labels) of an axis called `axis`.
  void make_scale(const std::string& axis) const;
  /// Labels dimension `dim` of this dataset `axis`, with `scale` holding the labels along it.
  void attach_scale(const Dataset& scale, unsigned dim, const std::string& axis) const;
  /// Labels dimension `dim` `axis` where it has no labels to attach (the bins of a histogram).
  void label_axis(unsigned dim, const std::string& axis) const;
  /// Writes row `row` (one replication) of a dataset made by Group::create_rows: `values` fill its other dimensions.
  void write_row(std::size_t row, const std::vector<double>& values) const;
  /// Sets the number of rows (the first dimension) of a dataset made by Group::create_rows.
  void resize_rows(std::size_t rows) const;
  /// Reads rows [first, first + count) of a numeric dataset as doubles, row after row.
  std::vector<double> read_rows(std::size_t first, std::size_t count) const;
};

class Group : public Object {
 public:
  using Object::Object;
  Group create_group(const std::string& name) const;
  Group open_group(const std::string& name) const;
  Dataset open_dataset(const std::string& name) const;
  bool has(const std::string& name) const;

  Dataset write_strings(const std::string& name, const std::vector<std::string>& values) const;
  /// A numeric array of shape `dims`, chunked by its first dimension and compressed when large.
  template <class T>
  Dataset write(const std::string& name, const std::vector<std::size_t>& dims, const std::vector<T>& data) const;
  /// A numeric array of shape `dims` whose first dimension (replications) can grow or shrink later: one row a chunk,
  /// compressed, NaN (or 0 for integers) until a row is written. `data`, if not empty, fills it at once.
  template <class T>
  Dataset create_rows(const std::string& name, const std::vector<std::size_t>& dims, const std::vector<T>& data = {}) const;
  /// Reads a whole numeric dataset as doubles; throws unless it holds exactly `expected` values.
  std::vector<double> read_doubles(const std::string& name, std::size_t expected) const;
};

/// Reads every attribute and dataset of the file and throws OutputError if any cannot be read: a check that a
/// results file is whole before it is trusted (HDF5 itself may spin on a damaged one: run this under a deadline).
void read_everything(const std::filesystem::path& path);

class File : public Group {
 public:
  static File create(const std::filesystem::path& path);
  static File open_read_only(const std::filesystem::path& path);
  void flush() const;

 private:
  using Group::Group;
};

}  // namespace dasim::output::h5
