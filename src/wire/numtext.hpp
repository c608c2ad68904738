// Numbers as text for text/plain, SenML-JSON and link-format attributes, with integer
// arithmetic only (no printf/strtod, which pull heap and double code into a device build).
#pragma once
#include <cstdint>
#include <string_view>

#include "wire/bytes.hpp"

namespace tl::wire {

// Decimal integers. Parsing accepts an optional leading '-' (signed) and digits only; no '+',
// no spaces, no leading zeros rule (LwM2M text allows them), overflow -> Error::out_of_range.
Error format_int(int64_t v, ByteWriter& out);
Error format_uint(uint64_t v, ByteWriter& out);
Result<int64_t> parse_int(std::string_view s);
Result<uint64_t> parse_uint(std::string_view s);

// Shortest decimal text that parses back to the same binary64 value (e.g. "23.1", "1e+300",
// "-0.0"?). Integral values print without exponent up to 1e21 ("100", "-3"). NaN and infinities
// have no JSON form: Error::out_of_range.
Error format_double_bits(uint64_t bits, ByteWriter& out);
// The same for a binary32 value: shortest text that parses back to the same float.
Error format_float(float v, ByteWriter& out);
// JSON/LwM2M number grammar: -?digits(.digits)?([eE][+-]?digits)? ; correctly rounded
// to binary64 (round half to even). Anything else -> Error::bad_number.
Result<uint64_t> parse_double_bits(std::string_view s);

// Longest text format_double_bits can produce.
inline constexpr size_t kMaxNumberText = 32;

// Well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(Bytes s);

}  // namespace tl::wire
