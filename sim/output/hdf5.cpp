#include "output/hdf5.hpp"

#include <fmt/format.h>
#include <hdf5_hl.h>
#include <algorithm>
#include <limits>
#include <type_traits>
#include <utility>

namespace dasim::output::h5 {

namespace {
// HDF5 closes whatever is still open at exit. A file whose close failed (a full disk) stays open, and HDF5 1.10's
// exit-time close of it crashes (SIGSEGV in H5F__close_cb). Every file here is closed by its Handle, so the exit
// handler has nothing to do for a good write: turn it off. It must be called before the library's first use,
// hence a static initialiser.
const bool kNoExitHandler = (H5dont_atexit(), true);
}  // namespace

template <>
hid_t native_type<double>() { return H5T_NATIVE_DOUBLE; }
template <>
hid_t native_type<std::int32_t>() { return H5T_NATIVE_INT32; }
template <>
hid_t native_type<std::int8_t>() { return H5T_NATIVE_INT8; }
template <>
hid_t native_type<std::uint64_t>() { return H5T_NATIVE_UINT64; }

Handle::Handle(hid_t id, herr_t (*close)(hid_t), const std::string& failure) : id_(id), close_(close) {
  if (id < 0) throw OutputError(failure);
}
Handle::~Handle() {
  if (id_ >= 0) close_(id_);
}
Handle::Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, -1)), close_(other.close_) {}
Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    if (id_ >= 0) close_(id_);
    id_ = std::exchange(other.id_, -1);
    close_ = other.close_;
  }
  return *this;
}

namespace {

void check(herr_t status, const std::string& what) {
  if (status < 0) throw OutputError(what);
}

/// Variable-length UTF-8 strings, as h5py reads them into str.
Handle string_type(const std::string& where) {
  Handle t(H5Tcopy(H5T_C_S1), H5Tclose, where + ": cannot make a string type");
  check(H5Tset_size(t.id(), H5T_VARIABLE), where + ": cannot make a string type");
  check(H5Tset_cset(t.id(), H5T_CSET_UTF8), where + ": cannot make a string type");
  return t;
}

/// Chunks of about 64 KiB of whole rows (replications). Streamed rows arrive nearly in order, so a chunk fills in
/// HDF5's chunk cache (1 MiB a dataset) and is compressed once; and the chunk index, which HDF5 keeps in memory,
/// stays small however many replications there are (a chunk a row cost ~2.5 KB a replication).
hsize_t rows_per_chunk(const std::vector<hsize_t>& shape, std::size_t value_bytes) {
  hsize_t row_bytes = value_bytes;
  for (std::size_t k = 1; k < shape.size(); ++k) row_bytes *= std::max<hsize_t>(shape[k], 1);
  return std::clamp<hsize_t>((hsize_t{64} << 10) / row_bytes, 1, 8192);
}

Handle simple_space(const std::vector<hsize_t>& dims, const std::string& where) {
  return Handle(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose, where + ": dataspace");
}

std::vector<const char*> c_strings(const std::vector<std::string>& values) {
  std::vector<const char*> p;
  for (const auto& v : values) p.push_back(v.c_str());
  return p;
}

}  // namespace

std::string Object::path_of(const std::string& child) const {
  if (child.empty()) return name_;
  return name_ + (name_.back() == '/' ? "" : "/") + child;
}

std::string Object::where(const std::string& child) const { return fmt::format("{}: {}", file_, path_of(child)); }

void Object::set_attribute(const char* name, const std::string& value) const {
  const std::string at = where(std::string("@") + name);
  Handle type = string_type(at);
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, at + ": dataspace");
  Handle a(H5Acreate2(id(), name, type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose, at + ": cannot create");
  const char* p = value.c_str();
  check(H5Awrite(a.id(), type.id(), &p), at + ": cannot write (is the disk full?)");
}

void Object::set_attribute(const char* name, const std::vector<std::string>& values) const {
  const std::string at = where(std::string("@") + name);
  Handle type = string_type(at);
  const hsize_t n = values.size();
  Handle space(n ? H5Screate_simple(1, &n, nullptr) : H5Screate(H5S_NULL), H5Sclose, at + ": dataspace");
  Handle a(H5Acreate2(id(), name, type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose, at + ": cannot create");
  const auto p = c_strings(values);
  if (n) check(H5Awrite(a.id(), type.id(), p.data()), at + ": cannot write (is the disk full?)");
}

template <class T>
void Object::set_numbers(const char* name, const std::vector<T>& values) const {
  const std::string at = where(std::string("@") + name);
  const hsize_t n = values.size();
  Handle space(n == 1 ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, nullptr), H5Sclose, at + ": dataspace");
  Handle a(H5Acreate2(id(), name, native_type<T>(), space.id(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose, at + ": cannot create");
  check(H5Awrite(a.id(), native_type<T>(), values.data()), at + ": cannot write (is the disk full?)");
}

bool Object::has_attribute(const char* name) const {
  const htri_t exists = H5Aexists(id(), name);
  check(exists, where(std::string("@") + name) + ": cannot look for the attribute");
  return exists > 0;
}

std::string Object::string_attribute(const char* name) const {
  const std::string at = where(std::string("@") + name);
  Handle a(H5Aopen(id(), name, H5P_DEFAULT), H5Aclose, at + ": missing");
  Handle memtype = string_type(at);
  char* value = nullptr;
  if (H5Aread(a.id(), memtype.id(), &value) < 0 || !value) throw OutputError(at + ": cannot read it as a string");
  std::string out(value);
  H5free_memory(value);
  return out;
}

template <class T>
std::vector<T> Object::number_attribute(const char* name, std::size_t count) const {
  const std::string at = where(std::string("@") + name);
  Handle a(H5Aopen(id(), name, H5P_DEFAULT), H5Aclose, at + ": missing");
  Handle space(H5Aget_space(a.id()), H5Sclose, at + ": dataspace");
  const hssize_t n = H5Sget_simple_extent_npoints(space.id());
  if (n < 0 || static_cast<std::size_t>(n) != count)
    throw OutputError(fmt::format("{}: holds {} values, not {}", at, n, count));
  std::vector<T> out(count);
  check(H5Aread(a.id(), native_type<T>(), out.data()), at + ": cannot read it as numbers");
  return out;
}

void Dataset::make_scale(const std::string& axis) const {
  check(H5DSset_scale(id(), axis.c_str()), where() + ": cannot make it a dimension scale");
}

void Dataset::attach_scale(const Dataset& scale, unsigned dim, const std::string& axis) const {
  check(H5DSattach_scale(id(), scale.id(), dim), fmt::format("{}: cannot attach a dimension scale to axis {}", where(), dim));
  label_axis(dim, axis);
}

void Dataset::label_axis(unsigned dim, const std::string& axis) const {
  check(H5DSset_label(id(), dim, axis.c_str()), fmt::format("{}: cannot label axis {}", where(), dim));
}

Group Group::create_group(const std::string& name) const {
  return Group(Handle(H5Gcreate2(id(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                      where(name) + ": cannot create the group"),
               file_, path_of(name));
}

Group Group::open_group(const std::string& name) const {
  return Group(Handle(H5Gopen2(id(), name.c_str(), H5P_DEFAULT), H5Gclose, where(name) + ": missing group"), file_,
               path_of(name));
}

Dataset Group::open_dataset(const std::string& name) const {
  return Dataset(Handle(H5Dopen2(id(), name.c_str(), H5P_DEFAULT), H5Dclose, where(name) + ": missing dataset"), file_,
                 path_of(name));
}

bool Group::has(const std::string& name) const {
  const htri_t exists = H5Lexists(id(), name.c_str(), H5P_DEFAULT);
  check(exists, where(name) + ": cannot look for it");
  return exists > 0;
}

Dataset Group::write_strings(const std::string& name, const std::vector<std::string>& values) const {
  const std::string at = where(name);
  Handle type = string_type(at);
  Handle space = simple_space({values.size()}, at);
  Dataset d(Handle(H5Dcreate2(id(), name.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose,
                   at + ": cannot create the dataset"),
            file_, path_of(name));
  const auto p = c_strings(values);
  if (!values.empty())
    check(H5Dwrite(d.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, p.data()), at + ": cannot write (is the disk full?)");
  return d;
}

namespace {

/// Creates numeric dataset `name` in `parent` with `space` and `plist`, and fills it with `data` unless empty.
template <class T>
Dataset create_numbers(const Group& parent, const std::string& name, const Handle& space, const Handle& plist,
                       const std::vector<T>& data, hid_t access = H5P_DEFAULT) {
  const std::string at = parent.where(name);
  Dataset d(Handle(H5Dcreate2(parent.id(), name.c_str(), native_type<T>(), space.id(), H5P_DEFAULT, plist.id(), access),
                   H5Dclose, at + ": cannot create the dataset"),
            parent.file(), parent.path_of(name));
  if (!data.empty())
    check(H5Dwrite(d.id(), native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()), at + ": cannot write (is the disk full?)");
  return d;
}

}  // namespace

template <class T>
Dataset Group::write(const std::string& name, const std::vector<std::size_t>& dims, const std::vector<T>& data) const {
  const std::string at = where(name);
  const std::vector<hsize_t> shape(dims.begin(), dims.end());
  Handle space = simple_space(shape, at);
  Handle plist(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, at + ": property list");
  if (data.size() > 4096 && H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0) {
    std::vector<hsize_t> chunk = shape;
    // A fixed-size dataset's chunk may not pass its extent: a summary of 5,000 rows is one chunk, not 8,192 rows.
    chunk[0] = std::min(rows_per_chunk(shape, sizeof(T)), shape[0]);
    check(H5Pset_chunk(plist.id(), static_cast<int>(chunk.size()), chunk.data()), at + ": cannot set chunking");
    check(H5Pset_deflate(plist.id(), 4), at + ": cannot set compression");
  }
  return create_numbers(*this, name, space, plist, data);
}

template <class T>
Dataset Group::create_rows(const std::string& name, const std::vector<std::size_t>& dims, const std::vector<T>& data) const {
  const std::string at = where(name);
  const std::vector<hsize_t> shape(dims.begin(), dims.end());
  std::vector<hsize_t> most = shape, chunk = shape;
  most[0] = H5S_UNLIMITED;
  chunk[0] = rows_per_chunk(shape, sizeof(T));
  for (std::size_t k = 0; k < chunk.size(); ++k)
    if (chunk[k] == 0) chunk[k] = 1, most[k] = H5S_UNLIMITED;  // HDF5 wants chunks of at least 1 within the maximum
  Handle space(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), most.data()), H5Sclose, at + ": dataspace");
  Handle plist(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, at + ": property list");
  check(H5Pset_chunk(plist.id(), static_cast<int>(chunk.size()), chunk.data()), at + ": cannot set chunking");
  if (H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0) check(H5Pset_deflate(plist.id(), 4), at + ": cannot set compression");
  if constexpr (std::is_floating_point_v<T>) {
    const T fill = std::numeric_limits<T>::quiet_NaN();  // a replication not written yet reads as "no value"
    check(H5Pset_fill_value(plist.id(), native_type<T>(), &fill), at + ": cannot set the fill value");
  }
  // Rows arrive nearly in order, so a dataset needs the chunk being filled and its neighbour in memory, not HDF5's
  // default 1 MB a dataset: that default fills up as a long run's file grows (a dozen datasets a scenario), and the
  // parent with it.
  hsize_t chunk_bytes = sizeof(T);
  for (hsize_t c : chunk) chunk_bytes *= c;
  Handle access(H5Pcreate(H5P_DATASET_ACCESS), H5Pclose, at + ": property list");
  check(H5Pset_chunk_cache(access.id(), 101, static_cast<std::size_t>(2 * chunk_bytes), 1.0), at + ": cannot size the chunk cache");
  return create_numbers(*this, name, space, plist, data, access.id());
}

void Dataset::write_row(std::size_t row, const std::vector<double>& values) const {
  const std::string at = fmt::format("{} (replication {})", where(), row);
  Handle space(H5Dget_space(id()), H5Sclose, at + ": dataspace");
  const int rank = H5Sget_simple_extent_ndims(space.id());
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 1)));
  H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr);
  std::vector<hsize_t> start(dims.size(), 0), count = dims;
  start[0] = row, count[0] = 1;
  hsize_t cells = 1;
  for (std::size_t k = 1; k < count.size(); ++k) cells *= count[k];
  if (row >= dims[0] || values.size() < cells)
    throw OutputError(fmt::format("{}: a row of {} values does not fit (the dataset has {} rows of {})", at, values.size(), dims[0], cells));
  check(H5Sselect_hyperslab(space.id(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr), at + ": cannot select the row");
  Handle memory(H5Screate_simple(1, &cells, nullptr), H5Sclose, at + ": dataspace");
  check(H5Dwrite(id(), H5T_NATIVE_DOUBLE, memory.id(), space.id(), H5P_DEFAULT, values.data()), at + ": cannot write (is the disk full?)");
}

void Dataset::resize_rows(std::size_t rows) const {
  Handle space(H5Dget_space(id()), H5Sclose, where() + ": dataspace");
  const int rank = H5Sget_simple_extent_ndims(space.id());
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 1)));
  H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr);
  dims[0] = rows;
  check(H5Dset_extent(id(), dims.data()), where() + ": cannot resize");
}

std::vector<double> Dataset::read_rows(std::size_t first, std::size_t count) const {
  const std::string at = fmt::format("{} (replications {} to {})", where(), first, first + count);
  Handle space(H5Dget_space(id()), H5Sclose, at + ": dataspace");
  const int rank = H5Sget_simple_extent_ndims(space.id());
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 1)));
  H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr);
  if (first + count > dims[0]) throw OutputError(fmt::format("{}: the dataset has {} rows", at, dims[0]));
  std::vector<hsize_t> start(dims.size(), 0), shape = dims;
  start[0] = first, shape[0] = count;
  hsize_t values = 1;
  for (hsize_t d : shape) values *= d;
  std::vector<double> out(values);
  if (values == 0) return out;
  check(H5Sselect_hyperslab(space.id(), H5S_SELECT_SET, start.data(), nullptr, shape.data(), nullptr), at + ": cannot select the rows");
  Handle memory(H5Screate_simple(1, &values, nullptr), H5Sclose, at + ": dataspace");
  check(H5Dread(id(), H5T_NATIVE_DOUBLE, memory.id(), space.id(), H5P_DEFAULT, out.data()), at + ": cannot read");
  return out;
}

std::vector<double> Group::read_doubles(const std::string& name, std::size_t expected) const {
  const std::string at = where(name);
  Handle d(H5Dopen2(id(), name.c_str(), H5P_DEFAULT), H5Dclose, at + ": missing dataset");
  Handle space(H5Dget_space(d.id()), H5Sclose, at + ": dataspace");
  const hssize_t n = H5Sget_simple_extent_npoints(space.id());
  if (n < 0 || static_cast<std::size_t>(n) != expected)
    throw OutputError(fmt::format("{}: holds {} values where this run has {}: it was made by other scenarios", at, n, expected));
  std::vector<double> out(expected);
  check(H5Dread(d.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), at + ": cannot read");
  return out;
}

File File::create(const std::filesystem::path& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become exceptions with the path, not HDF5's stack dump
  return File(Handle(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
                     fmt::format("{}: cannot create the file (does the folder exist and is it writable?)", path.string())),
              path.string(), "/");
}

File File::open_read_only(const std::filesystem::path& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const std::string p = path.string();
  if (H5Fis_hdf5(p.c_str()) <= 0) throw OutputError(fmt::format("{}: not a readable HDF5 file (truncated?)", p));
  return File(Handle(H5Fopen(p.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, fmt::format("{}: cannot open", p)), p, "/");
}

void File::flush() const { check(H5Fflush(id(), H5F_SCOPE_GLOBAL), file_ + ": flushing failed (is the disk full?)"); }

namespace {

/// Reads `count` values of an attribute or dataset with `read`, in their native memory type, then frees what HDF5
/// allocated for variable-length values (strings).
template <class Read>
herr_t read_native(hid_t file_type, hid_t space, Read read) {
  const hid_t memory = H5Tget_native_type(file_type, H5T_DIR_DEFAULT);
  if (memory < 0) return -1;
  const hssize_t n = H5Sget_select_npoints(space);
  std::vector<unsigned char> buffer(static_cast<std::size_t>(std::max<hssize_t>(n, 1)) * H5Tget_size(memory));
  herr_t status = read(memory, buffer.data());
  if (status >= 0 && H5Tdetect_class(memory, H5T_VLEN) > 0) H5Dvlen_reclaim(memory, space, H5P_DEFAULT, buffer.data());
  if (status >= 0 && H5Tis_variable_str(memory) > 0) H5Dvlen_reclaim(memory, space, H5P_DEFAULT, buffer.data());
  H5Tclose(memory);
  return status;
}

// The callbacks run inside HDF5's C code, which an exception must not cross: a failure is a negative status.
herr_t read_attribute(hid_t location, const char* name, const H5A_info_t*, void*) try {
  Handle a(H5Aopen(location, name, H5P_DEFAULT), H5Aclose, name);
  Handle type(H5Aget_type(a.id()), H5Tclose, name);
  Handle space(H5Aget_space(a.id()), H5Sclose, name);
  return read_native(type.id(), space.id(), [&](hid_t memory, void* to) { return H5Aread(a.id(), memory, to); });
} catch (const OutputError&) {
  return -1;
}

herr_t read_object(hid_t root, const char* name, const H5O_info_t* info, void* failed) try {
  Handle object(H5Oopen(root, name, H5P_DEFAULT), H5Oclose, name);
  herr_t status = H5Aiterate2(object.id(), H5_INDEX_NAME, H5_ITER_NATIVE, nullptr, read_attribute, nullptr);
  if (status >= 0 && info->type == H5O_TYPE_DATASET) {
    Handle type(H5Dget_type(object.id()), H5Tclose, name);
    Handle space(H5Dget_space(object.id()), H5Sclose, name);
    status = read_native(type.id(), space.id(), [&](hid_t memory, void* to) {
      return H5Dread(object.id(), memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, to);
    });
  }
  if (status < 0) *static_cast<std::string*>(failed) = name;
  return status < 0 ? 1 : 0;  // stop at the first failure
} catch (const OutputError&) {
  *static_cast<std::string*>(failed) = name;
  return 1;
}

}  // namespace

void read_everything(const std::filesystem::path& path) {
  const File file = File::open_read_only(path);
  std::string failed;
  if (H5Ovisit2(file.id(), H5_INDEX_NAME, H5_ITER_NATIVE, read_object, &failed, H5O_INFO_BASIC) != 0 || !failed.empty())
    throw OutputError(fmt::format("{}: damaged: cannot read {}", path.string(), failed.empty() ? "its object tree" : failed));
}

template void Object::set_numbers(const char*, const std::vector<double>&) const;
template void Object::set_numbers(const char*, const std::vector<std::int32_t>&) const;
template void Object::set_numbers(const char*, const std::vector<std::uint64_t>&) const;
template std::vector<std::int32_t> Object::number_attribute(const char*, std::size_t) const;
template std::vector<std::uint64_t> Object::number_attribute(const char*, std::size_t) const;
template Dataset Group::write(const std::string&, const std::vector<std::size_t>&, const std::vector<double>&) const;
template Dataset Group::write(const std::string&, const std::vector<std::size_t>&, const std::vector<std::int32_t>&) const;
template Dataset Group::write(const std::string&, const std::vector<std::size_t>&, const std::vector<std::int8_t>&) const;
template Dataset Group::write(const std::string&, const std::vector<std::size_t>&, const std::vector<std::uint64_t>&) const;
template Dataset Group::create_rows(const std::string&, const std::vector<std::size_t>&, const std::vector<double>&) const;
template Dataset Group::create_rows(const std::string&, const std::vector<std::size_t>&, const std::vector<std::int32_t>&) const;
template Dataset Group::create_rows(const std::string&, const std::vector<std::size_t>&, const std::vector<std::uint64_t>&) const;

}  // namespace dasim::output::h5
