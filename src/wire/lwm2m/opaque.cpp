#include "wire/lwm2m/opaque.hpp"

namespace tl::wire::lwm2m::opaque {

Error write(const Value& v, ByteWriter& out) {
  if (v.type != ValueType::opaque) return Error::wrong_type;
  out.put(v.bytes);
  return out.status();
}

Result<Value> read(Bytes in, ValueType expected) {
  if (expected != ValueType::opaque) return Error::wrong_type;
  return Value::opaque(in);
}

}  // namespace tl::wire::lwm2m::opaque
