// JSON text pieces for SenML-JSON (RFC 8259 strings and numbers) and base64url (RFC 4648 5),
// without allocation: scanning validates in place, decoding writes to a buffer the caller gives.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "wire/bytes.hpp"

namespace tl::wire::senml::json {

// A string token: its raw text between the quotes, and whether it holds escapes.
struct String {
  std::string_view raw;
  bool escaped = false;
};

// Skips JSON whitespace from `pos`.
void skip_ws(std::string_view in, size_t& pos);
// Scans the string starting at in[pos] == '"' and moves `pos` past its closing quote. Every escape
// is checked here, so that strings that are never decoded are still validated.
// Errors: unterminated string, raw control character or bad escape -> Error::malformed; bytes
// that are not UTF-8, or a \u escape that is a lone surrogate -> Error::invalid_utf8.
Result<String> scan_string(std::string_view in, size_t& pos);
// Writes the decoded text of a scanned string (UTF-8). Error::buffer_too_small when out is full.
Error decode_string(const String& s, ByteWriter& out);
// Scans the number at in[pos] and checks it against the JSON grammar (Error::bad_number).
Result<std::string_view> scan_number(std::string_view in, size_t& pos);

// Writes `s` as a quoted JSON string. Error::invalid_utf8 when `s` is not UTF-8.
Error put_string(std::string_view s, ByteWriter& out);

// base64url without padding (RFC 8428 4.3 for "vd"). Decoding also accepts '=' padding and may
// write over its own input (out <= text.data()); non-zero spare bits or stray characters ->
// Error::malformed; Error::buffer_too_small when `cap` is too small.
void put_base64url(Bytes data, ByteWriter& out);
Result<size_t> decode_base64url(std::string_view text, uint8_t* out, size_t cap);

}  // namespace tl::wire::senml::json
