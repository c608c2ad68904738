// Fuzzes text/plain: parses the input as every value type; whatever parses must write back and
// parse again to the same value.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "value_types.hpp"
#include "wire/lwm2m/text.hpp"

using namespace tl::wire;
using namespace tl::wire::lwm2m;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Bytes in(data, size);
  std::vector<uint8_t> scratch(size);
  std::vector<uint8_t> text(size * 2 + 64);
  std::vector<uint8_t> scratch2(size + 4);
  for (ValueType t : fuzz_support::kAllValueTypes) {
    Result<Value> v = text::read(in, t, scratch);
    if (!v) continue;
    check(v->type == t);
    ByteWriter out(text.data(), text.size());
    check(text::write(*v, out) == Error::ok);
    Result<Value> back = text::read(out.written(), t, scratch2);
    check(back.ok() && *back == *v);
  }
  return 0;
}
