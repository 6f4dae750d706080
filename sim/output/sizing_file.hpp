#pragma once
// `dasim size` results: the /sizing group of its HDF5 file and its CSV (docs/results-format.md, "/sizing").
#include <filesystem>
#include <string>
#include <vector>

#include "batch/size_answer.hpp"

namespace dasim::output {

/// Adds /sizing to a results file already written (write_hdf5): the search's settings as attributes, then one
/// subgroup per option with its answer, the levels visited and the rows of sizing_rows().
void add_sizing_group(const std::filesystem::path& path, const std::vector<batch::SizingAnswer>& answers,
                      const std::string& procedure, const batch::SizeRule& rule);

/// One line per row of sizing_rows(), every option's.
void write_sizing_csv(const std::vector<batch::SizingRow>& rows, const std::filesystem::path& path);

}  // namespace dasim::output
