// LwM2M opaque (content format 42, TS 1.1 7.4.2): the raw bytes of one opaque resource
// (instance), e.g. a firmware image chunk or a model blob. No framing: the payload is the value.
#pragma once
#include <cstdint>

#include "wire/bytes.hpp"
#include "wire/lwm2m/value.hpp"

namespace tl::wire::lwm2m::opaque {

inline constexpr uint16_t kContentFormat = 42;

// Only ValueType::opaque has this representation; any other type -> Error::wrong_type.
Error write(const Value& v, ByteWriter& out);
// The value points into `in`. `expected` other than opaque -> Error::wrong_type.
Result<Value> read(Bytes in, ValueType expected);

}  // namespace tl::wire::lwm2m::opaque
