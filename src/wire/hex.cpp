#include "wire/hex.hpp"

namespace tl::wire {

namespace {

int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Error decode_hex(std::string_view text, MutableBytes out) {
  if (text.size() % 2 != 0) return Error::malformed;
  if (out.size() < text.size() / 2) return Error::buffer_too_small;
  for (size_t i = 0; i < text.size(); i += 2) {
    const int hi = nibble(text[i]);
    const int lo = nibble(text[i + 1]);
    if (hi < 0 || lo < 0) return Error::malformed;
    out[i / 2] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return Error::ok;
}

Error encode_hex(Bytes in, std::span<char> out) {
  static constexpr char kDigits[] = "0123456789abcdef";
  if (out.size() < in.size() * 2) return Error::buffer_too_small;
  for (size_t i = 0; i < in.size(); ++i) {
    out[2 * i] = kDigits[in[i] >> 4];
    out[2 * i + 1] = kDigits[in[i] & 0xF];
  }
  return Error::ok;
}

}  // namespace tl::wire
