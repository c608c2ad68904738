// LwM2M text/plain (content format 0, TS 1.1 7.4.1): one resource (instance) value as text.
// The text carries no type: the reader is told the type the data model gives the resource.
//
//   string   UTF-8 as is              integer / time   decimal ("-12", time in Unix seconds)
//   unsigned decimal                  float            shortest round-trip decimal (wire/numtext)
//   boolean  "0" or "1"               objlnk           "object:instance" ("3:0")
//   opaque   base64 (RFC 4648 4, padded)               corelnk          link-format text as is
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "wire/bytes.hpp"
#include "wire/lwm2m/value.hpp"

namespace tl::wire::lwm2m::text {

inline constexpr uint16_t kContentFormat = 0;

// Writes `v` as text/plain. A string or corelnk that is not UTF-8 -> Error::invalid_utf8;
// ValueType::none writes nothing.
Error write(const Value& v, ByteWriter& out);

// Reads `in` as a value of type `expected`. Strings and corelnk point into `in`; opaque is
// base64-decoded into `scratch` (Error::buffer_too_small if it does not fit) and points there.
// Errors: invalid_utf8, bad_number / out_of_range (numbers, objlnk ids), malformed (boolean other
// than "0"/"1", bad base64, objlnk without ':', text for ValueType::none).
Result<Value> read(Bytes in, ValueType expected, MutableBytes scratch = {});

// An object link as "object:instance" ("65535:65535" is the null link), shared with SenML's
// "vlo". Errors: no ':' -> malformed; an id that is no decimal number -> bad_number; above 65535
// -> out_of_range.
Result<ObjLink> parse_objlnk(std::string_view s);
Error format_objlnk(ObjLink link, ByteWriter& out);

// Base64 with the standard alphabet and '=' padding (RFC 4648 section 4).
constexpr size_t base64_encoded_size(size_t n) { return (n + 2) / 3 * 4; }
Error base64_encode(Bytes in, ByteWriter& out);
// Strict decoding: length a multiple of 4, padding only at the end, unused bits zero, no
// whitespace; anything else -> Error::malformed. Returns the number of bytes written to `out`.
Result<size_t> base64_decode(std::string_view in, MutableBytes out);

}  // namespace tl::wire::lwm2m::text
