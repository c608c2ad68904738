// libFuzzer target for the SenML-CBOR reader (checks in senml_harness.hpp).
#include "senml_harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tl::wire::senml::CborReader reader(tl::wire::Bytes(data, size));
  senml_fuzz::run(reader, size);
  return 0;
}
