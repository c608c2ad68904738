#include "wire/lwm2m/value.hpp"

#include <algorithm>

namespace tl::wire::lwm2m {

const char* value_type_name(ValueType t) {
  switch (t) {
    case ValueType::none: return "none";
    case ValueType::string: return "string";
    case ValueType::integer: return "integer";
    case ValueType::unsigned_integer: return "unsigned";
    case ValueType::floating: return "float";
    case ValueType::boolean: return "boolean";
    case ValueType::opaque: return "opaque";
    case ValueType::time: return "time";
    case ValueType::objlnk: return "objlnk";
    case ValueType::corelnk: return "corelnk";
  }
  return "?";
}

bool operator==(const Value& a, const Value& b) {
  if (a.type != b.type) return false;
  switch (a.type) {
    case ValueType::none: return true;
    case ValueType::integer:
    case ValueType::time: return a.i == b.i;
    case ValueType::unsigned_integer: return a.u == b.u;
    // Bit patterns, not numeric equality: -0.0 and 0.0 differ, a NaN equals itself.
    case ValueType::floating: return a.f64 == b.f64;
    case ValueType::boolean: return a.b == b.b;
    case ValueType::objlnk: return a.link == b.link;
    case ValueType::string:
    case ValueType::opaque:
    case ValueType::corelnk:
      return std::equal(a.bytes.begin(), a.bytes.end(), b.bytes.begin(), b.bytes.end());
  }
  return false;
}

}  // namespace tl::wire::lwm2m
