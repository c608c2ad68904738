// Minimal-length big-endian unsigned option values (RFC 7252 3.2 "uint"), shared by the Block and
// Observe helpers so that each can be used from raw option bytes without the full message codec.
#pragma once
#include <cstddef>
#include <cstdint>

#include "wire/bytes.hpp"

namespace tl::wire::coap::detail {

// Reads a uint of at most `max_len` bytes; leading zero bytes are tolerated as RFC 7252 asks.
inline Result<uint32_t> read_uint_value(Bytes in, size_t max_len) {
  if (in.size() > max_len || in.size() > 4) return Error::option_too_long;
  uint32_t v = 0;
  for (uint8_t b : in) v = (v << 8) | b;
  return v;
}

// Writes `v` with no leading zero bytes (0 becomes the empty value); returns the length.
inline Result<size_t> write_uint_value(uint32_t v, MutableBytes out) {
  size_t len = 0;
  for (uint32_t rest = v; rest != 0; rest >>= 8) ++len;
  if (len > out.size()) return Error::buffer_too_small;
  for (size_t i = 0; i < len; ++i) out[i] = static_cast<uint8_t>(v >> (8 * (len - 1 - i)));
  return len;
}

}  // namespace tl::wire::coap::detail
