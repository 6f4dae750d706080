#pragma once
// The pathway diagram: the scenario's pools (with their capacity) and the routes between them, as Graphviz DOT,
// drawn to SVG by Graphviz's `dot`.
#include <string>

#include "model/spec.hpp"

namespace dasim::serve {

/// Workers the loader added to a pool from reinvested savings (the file's `workers` does not include them).
int reinvested_workers(const model::Scenario& scenario, int pool);

std::string pathway_dot(const model::Scenario& scenario);
/// Runs /usr/bin/dot -Tsvg; throws std::runtime_error naming the problem if Graphviz is missing or fails.
std::string render_svg(const std::string& dot);

}  // namespace dasim::serve
