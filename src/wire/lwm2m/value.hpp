// The value types of the LwM2M data model (TS 1.1 Appendix C), as the wire layer carries them.
// Strings, opaque and core links point into memory the caller owns (the decoded message or the
// application's storage); a Value never owns memory.
//
// Floats are carried as IEEE-754 binary64 bit patterns so that no double-precision arithmetic is
// linked into a device build: the device converts to and from `float` with integer operations
// (wire/ieee754.hpp), the server may std::bit_cast the bits to `double`.
#pragma once
#include <cstdint>
#include <string_view>

#include "wire/bytes.hpp"
#include "wire/ieee754.hpp"

namespace tl::wire::lwm2m {

enum class ValueType : uint8_t {
  none,              // no value (e.g. an Execute argument, an empty resource)
  string,            // UTF-8
  integer,           // signed 64-bit
  unsigned_integer,  // unsigned 64-bit
  floating,          // IEEE-754 binary64 bits
  boolean,
  opaque,
  time,              // seconds since the Unix epoch, signed 64-bit
  objlnk,            // object id : instance id
  corelnk,           // RFC 6690 link-format text
};

const char* value_type_name(ValueType t);

struct ObjLink {
  uint16_t object_id = 0xFFFF;
  uint16_t instance_id = 0xFFFF;
  friend bool operator==(const ObjLink&, const ObjLink&) = default;
};

struct Value {
  ValueType type = ValueType::none;
  union {
    int64_t i;         // integer, time
    uint64_t u;        // unsigned_integer
    uint64_t f64;      // floating: binary64 bits
    bool b;            // boolean
    ObjLink link;      // objlnk
  };
  Bytes bytes;         // string, opaque, corelnk

  constexpr Value() : i(0) {}

  static Value string(std::string_view s) { Value v; v.type = ValueType::string; v.bytes = as_bytes(s); return v; }
  static Value integer(int64_t x) { Value v; v.type = ValueType::integer; v.i = x; return v; }
  static Value unsigned_integer(uint64_t x) { Value v; v.type = ValueType::unsigned_integer; v.u = x; return v; }
  static Value floating_bits(uint64_t bits) { Value v; v.type = ValueType::floating; v.f64 = bits; return v; }
  static Value floating(float x) { return floating_bits(f64_bits_from_f32(x)); }
  static Value boolean(bool x) { Value v; v.type = ValueType::boolean; v.b = x; return v; }
  static Value opaque(Bytes data) { Value v; v.type = ValueType::opaque; v.bytes = data; return v; }
  static Value time(int64_t seconds) { Value v; v.type = ValueType::time; v.i = seconds; return v; }
  static Value objlnk(uint16_t o, uint16_t i) { Value v; v.type = ValueType::objlnk; v.link = {o, i}; return v; }
  static Value corelnk(std::string_view s) { Value v; v.type = ValueType::corelnk; v.bytes = as_bytes(s); return v; }

  std::string_view text() const { return as_text(bytes); }
  float as_float() const { return f32_from_f64_bits(f64); }

  // Same type and same content (bytes compared by content; floats by bit pattern).
  friend bool operator==(const Value& a, const Value& b);
};

}  // namespace tl::wire::lwm2m
