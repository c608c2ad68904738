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

// Shortest decimal text that parses back to the same binary64 value, laid out like JavaScript's
// Number.prototype.toString (valid JSON): plain notation for 1e-6 <= |x| < 1e21 ("23.1", "100",
// "-3.5", "0.000001", "123456789012345680000"), otherwise one digit before the point and a signed
// exponent ("1e+21", "1.5e-7", "5e-324"). Zero is "0", negative zero "-0". Among equally short
// digit strings the one nearest the value wins (ties: even last digit), the same digits as
// std::to_chars. NaN and infinities have no JSON form: Error::out_of_range. Writes all or nothing
// (Error::buffer_too_small). Stack: about 850 bytes (Cortex-M4, -Os).
Error format_double_bits(uint64_t bits, ByteWriter& out);
// The same for a binary32 value: shortest text that parses back to the same float.
Error format_float(float v, ByteWriter& out);
// JSON/LwM2M number grammar: -?digits(.digits)?([eE][+-]?digits)? (leading zeros allowed, no
// '+', no spaces); correctly rounded to binary64 (round half to even), any number of digits.
// Underflow gives (signed) zero or a subnormal; a value that rounds to infinity is
// Error::out_of_range; anything else -> Error::bad_number. Stack: about 1.1 KB (Cortex-M4, -Os).
Result<uint64_t> parse_double_bits(std::string_view s);

// Longest text format_double_bits can produce.
inline constexpr size_t kMaxNumberText = 32;

// Well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(Bytes s);

}  // namespace tl::wire
