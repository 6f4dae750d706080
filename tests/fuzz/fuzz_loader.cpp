// libFuzzer harness for the scenario loader: any text must either load or be refused with a LoadError. Anything
// else (a crash, a sanitizer report, another exception, a hang) is a bug in dasim or in what it trusts.
#include <cstddef>
#include <cstdint>
#include <string>

#include "scenario/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)dasim::scenario::load_text(text, "fuzz.toml");
  } catch (const dasim::scenario::LoadError&) {
    // a clean refusal: what every malformed scenario must get
  }
  return 0;
}
