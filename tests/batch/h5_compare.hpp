#pragma once
// Compares two HDF5 files object by object: the same groups and datasets, each dataset of the same shape, type and
// values (bytes for numbers, text for strings), and the same attributes with the same values, except the ones
// named in `ignore` (the time a file was made, the commit that made it). Storage details (chunking, compression,
// the order things were written in) are not compared. Returns the differences, one a line; empty when the same.
#include <hdf5.h>
#include <hdf5_hl.h>
#include <set>
#include <string>
#include <vector>

namespace dasim::testing {

namespace h5compare {

/// Every object path of a file, and for each its attributes' names.
inline herr_t collect(hid_t, const char* name, const H5O_info_t*, void* out) {
  static_cast<std::set<std::string>*>(out)->insert(name);
  return 0;
}

inline herr_t collect_attribute(hid_t, const char* name, const H5A_info_t*, void* out) {
  static_cast<std::set<std::string>*>(out)->insert(name);
  return 0;
}

/// The values of a dataset or attribute as text that compares equal exactly when the values do.
inline std::string values(hid_t object, bool attribute) {
  const hid_t type = attribute ? H5Aget_type(object) : H5Dget_type(object);
  const hid_t space = attribute ? H5Aget_space(object) : H5Dget_space(object);
  std::string out;
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank > 0 ? rank : 0));
  if (rank > 0) H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  out += "shape";
  for (hsize_t d : dims) out += " " + std::to_string(d);
  out += "; class " + std::to_string(H5Tget_class(type)) + "; ";
  const hssize_t n = H5Sget_simple_extent_npoints(space);
  if (H5Tis_variable_str(type) > 0) {
    const hid_t memory = H5Tcopy(H5T_C_S1);
    H5Tset_size(memory, H5T_VARIABLE);
    H5Tset_cset(memory, H5T_CSET_UTF8);
    std::vector<char*> text(static_cast<std::size_t>(n > 0 ? n : 1), nullptr);
    if (n > 0) attribute ? H5Aread(object, memory, text.data()) : H5Dread(object, memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, text.data());
    for (hssize_t i = 0; i < n; ++i) out += std::string(text[i] ? text[i] : "") + '\x1f';
    if (n > 0) H5Dvlen_reclaim(memory, space, H5P_DEFAULT, text.data());
    H5Tclose(memory);
  } else if (H5Tget_class(type) != H5T_REFERENCE && H5Tget_class(type) != H5T_VLEN && H5Tget_class(type) != H5T_COMPOUND) {
    const hid_t memory = H5Tget_native_type(type, H5T_DIR_DEFAULT);
    std::string bytes(static_cast<std::size_t>(n > 0 ? n : 0) * H5Tget_size(memory), '\0');
    if (n > 0) attribute ? H5Aread(object, memory, bytes.data()) : H5Dread(object, memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data());
    out += bytes;
    H5Tclose(memory);
  }  // references (dimension scales' bookkeeping) and compound lists: their presence is compared, not their bytes
  H5Sclose(space);
  H5Tclose(type);
  return out;
}

inline std::set<std::string> attribute_names(hid_t object) {
  std::set<std::string> names;
  H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_NATIVE, nullptr, collect_attribute, &names);
  return names;
}

}  // namespace h5compare

inline std::string h5_differences(const std::string& a, const std::string& b, const std::set<std::string>& ignore) {
  using namespace h5compare;
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const hid_t fa = H5Fopen(a.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), fb = H5Fopen(b.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (fa < 0 || fb < 0) return "cannot open " + (fa < 0 ? a : b) + "\n";
  std::set<std::string> objects_a, objects_b;
  H5Ovisit2(fa, H5_INDEX_NAME, H5_ITER_NATIVE, collect, &objects_a, H5O_INFO_BASIC);
  H5Ovisit2(fb, H5_INDEX_NAME, H5_ITER_NATIVE, collect, &objects_b, H5O_INFO_BASIC);
  std::string out;
  for (const auto& o : objects_a)
    if (!objects_b.count(o)) out += "only in the first: " + o + "\n";
  for (const auto& o : objects_b)
    if (!objects_a.count(o)) out += "only in the second: " + o + "\n";
  for (const auto& o : objects_a) {
    if (!objects_b.count(o)) continue;
    const hid_t oa = H5Oopen(fa, o.c_str(), H5P_DEFAULT), ob = H5Oopen(fb, o.c_str(), H5P_DEFAULT);
    H5O_info_t info{};
    H5Oget_info2(oa, &info, H5O_INFO_BASIC);
    if (info.type == H5O_TYPE_DATASET && values(oa, false) != values(ob, false)) out += "values differ: " + o + "\n";
    const std::set<std::string> names_a = attribute_names(oa), names_b = attribute_names(ob);
    for (const auto& name : names_a) {
      if (ignore.count(name)) continue;
      if (!names_b.count(name)) {
        out += "attribute only in the first: " + o + "@" + name + "\n";
        continue;
      }
      const hid_t aa = H5Aopen(oa, name.c_str(), H5P_DEFAULT), ab = H5Aopen(ob, name.c_str(), H5P_DEFAULT);
      if (values(aa, true) != values(ab, true)) out += "attribute differs: " + o + "@" + name + "\n";
      H5Aclose(aa), H5Aclose(ab);
    }
    for (const auto& name : names_b)
      if (!ignore.count(name) && !names_a.count(name)) out += "attribute only in the second: " + o + "@" + name + "\n";
    H5Oclose(oa), H5Oclose(ob);
  }
  H5Fclose(fa), H5Fclose(fb);
  return out;
}

}  // namespace dasim::testing
