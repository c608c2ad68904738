// libFuzzer target for the SenML-JSON reader (checks in senml_harness.hpp).
#include "senml_harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<uint8_t> scratch(size);
  tl::wire::senml::JsonReader reader(tl::wire::Bytes(data, size), scratch);
  senml_fuzz::run(reader, size);
  return 0;
}
