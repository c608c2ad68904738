// CoAP message types and codes (RFC 7252 3 and 12.1, RFC 7959 2.9, RFC 8132), and the response
// code a server sends for a decoding error.
#pragma once
#include <cstdint>

#include "wire/error.hpp"

namespace tl::wire::coap {

// The 2-bit T field of the header.
enum class Type : uint8_t { con = 0, non = 1, ack = 2, rst = 3 };

// A code "c.dd" is the byte c << 5 | dd.
constexpr uint8_t make_code(uint8_t code_class, uint8_t detail) {
  return static_cast<uint8_t>((code_class << 5) | detail);
}

// The 8-bit Code field. Any byte is representable: a received code may be none of these names.
enum class Code : uint8_t {
  empty = make_code(0, 0),
  // Methods (0.xx). LwM2M 1.1 uses FETCH and iPATCH for Read-/Write-Composite.
  get = make_code(0, 1),
  post = make_code(0, 2),
  put = make_code(0, 3),
  delete_ = make_code(0, 4),
  fetch = make_code(0, 5),
  patch = make_code(0, 6),
  ipatch = make_code(0, 7),
  // Success (2.xx).
  created = make_code(2, 1),
  deleted = make_code(2, 2),
  valid = make_code(2, 3),
  changed = make_code(2, 4),
  content = make_code(2, 5),
  continue_ = make_code(2, 31),
  // Client errors (4.xx).
  bad_request = make_code(4, 0),
  unauthorized = make_code(4, 1),
  bad_option = make_code(4, 2),
  forbidden = make_code(4, 3),
  not_found = make_code(4, 4),
  method_not_allowed = make_code(4, 5),
  not_acceptable = make_code(4, 6),
  request_entity_incomplete = make_code(4, 8),
  conflict = make_code(4, 9),
  precondition_failed = make_code(4, 12),
  request_entity_too_large = make_code(4, 13),
  unsupported_content_format = make_code(4, 15),
  unprocessable_entity = make_code(4, 22),
  // Server errors (5.xx).
  internal_server_error = make_code(5, 0),
  not_implemented = make_code(5, 1),
  bad_gateway = make_code(5, 2),
  service_unavailable = make_code(5, 3),
  gateway_timeout = make_code(5, 4),
  proxying_not_supported = make_code(5, 5),
};

constexpr uint8_t code_class(Code c) { return static_cast<uint8_t>(static_cast<uint8_t>(c) >> 5); }
constexpr uint8_t code_detail(Code c) { return static_cast<uint8_t>(static_cast<uint8_t>(c) & 0x1F); }
constexpr bool is_request(Code c) { return code_class(c) == 0 && c != Code::empty; }
// Classes 2..5; 1, 6 and 7 are reserved.
constexpr bool is_response(Code c) { return code_class(c) >= 2 && code_class(c) <= 5; }

// The response a server sends when decoding a request failed with `e`: 4.00 for malformed input,
// 4.02 for option problems (RFC 7252 5.4.1, 5.4.3), 4.08 for block-wise gaps (RFC 7959 2.9.2),
// 4.13 when the request does not fit our fixed buffers or tables, 4.15 for content we do not
// handle. Error::ok and Error::end are not failures and give Code::empty.
// A header-level format error in a CON message is answered with RST instead (RFC 7252 4.2).
Code coap_code_for(Error e);

}  // namespace tl::wire::coap
