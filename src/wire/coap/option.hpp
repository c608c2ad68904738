// CoAP options: numbers, the properties encoded in a number (RFC 7252 5.4.6), the registry of
// options this stack knows with their formats and length limits (RFC 7252 5.10, RFC 7641 2,
// RFC 7959 2.1 and 4), and Content-Format numbers used by LwM2M.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "wire/bytes.hpp"

namespace tl::wire::coap {

// Any 16-bit value is a valid (possibly unregistered) option number.
enum class OptionNumber : uint16_t {
  if_match = 1,
  uri_host = 3,
  etag = 4,
  if_none_match = 5,
  observe = 6,
  uri_port = 7,
  location_path = 8,
  uri_path = 11,
  content_format = 12,
  max_age = 14,
  uri_query = 15,
  accept = 17,
  location_query = 20,
  block2 = 23,
  block1 = 27,
  size2 = 28,
  proxy_uri = 35,
  proxy_scheme = 39,
  size1 = 60,
};

constexpr uint16_t to_uint(OptionNumber n) { return static_cast<uint16_t>(n); }

// An unrecognized critical option makes the message fail; an elective one is ignored (5.4.1).
constexpr bool is_critical(OptionNumber n) { return (to_uint(n) & 0x01) != 0; }
// A proxy that does not understand an unsafe option must not forward the message (5.4.2).
constexpr bool is_unsafe(OptionNumber n) { return (to_uint(n) & 0x02) != 0; }
// Not part of the cache key (5.4.2): bits 1..4 are 0b1110.
constexpr bool is_no_cache_key(OptionNumber n) { return (to_uint(n) & 0x1E) == 0x1C; }

// Content-Format / Accept values (IANA CoAP Content-Formats) that LwM2M uses.
enum class ContentFormat : uint16_t {
  text_plain = 0,
  link_format = 40,
  octet_stream = 42,  // LwM2M "Opaque"
  cbor = 60,
  senml_json = 110,
  senml_cbor = 112,
  lwm2m_tlv = 11542,
  lwm2m_json = 11543,
  lwm2m_cbor = 11544,  // LwM2M 1.2
};

constexpr uint16_t to_uint(ContentFormat f) { return static_cast<uint16_t>(f); }

enum class OptionFormat : uint8_t { empty, opaque, uint, string };

// One registry row. Lengths are of the option value in bytes.
struct OptionInfo {
  OptionNumber number;
  OptionFormat format;
  bool repeatable;
  uint16_t min_length;
  uint16_t max_length;
};

// The registry row for `n`, or nullptr when this stack does not know the option.
const OptionInfo* find_option_info(OptionNumber n);

// Whether a value of `length` bytes is allowed for option `n` (any length is, for an unregistered
// option): ok, option_too_long or bad_option (too short, e.g. an empty ETag).
Error check_length(OptionNumber n, size_t length);

// A set of option numbers below 64 (every option this stack implements lies there); a larger
// number is never a member, so a critical one is always "unrecognized".
class OptionSet {
 public:
  constexpr OptionSet() = default;
  constexpr OptionSet with(OptionNumber n) const {
    OptionSet s = *this;
    if (to_uint(n) < 64) s.bits_ |= uint64_t{1} << to_uint(n);
    return s;
  }
  constexpr bool contains(OptionNumber n) const {
    return to_uint(n) < 64 && ((bits_ >> to_uint(n)) & 1) != 0;
  }

 private:
  uint64_t bits_ = 0;
};

// Every option of the registry above.
OptionSet registered_options();

// A value that may be absent (std::optional is not among the freestanding headers).
template <class T>
struct Maybe {
  T value{};
  bool present = false;

  explicit operator bool() const { return present; }
  const T& operator*() const { return value; }
  T value_or(T fallback) const { return present ? value : fallback; }
};

// One option of a message: its number and the value bytes (pointing into the datagram).
struct Option {
  OptionNumber number{};
  Bytes value{};

  std::string_view text() const { return as_text(value); }
  // The value as a big-endian uint (leading zeros allowed); absent when longer than 4 bytes.
  Maybe<uint32_t> as_uint() const;
};

}  // namespace tl::wire::coap
