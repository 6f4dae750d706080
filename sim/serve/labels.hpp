#pragma once
// Display names for the page: services as the board pack names them (plots/wording.py holds the names, so the
// page and the board pack agree), areas in plain words.
#include <string>

namespace dasim::serve {

/// "idva" -> "IDVA", "front-door" -> "front door"; `start`: capitalised.
std::string service_label(const std::string& service, bool start = false);
/// "essex-north" -> "Essex North".
std::string area_label(const std::string& area);

}  // namespace dasim::serve
