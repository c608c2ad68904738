// A host-side CoAP message that owns its bytes, encoded and decoded through the wire codec.
// The responder and the client build and inspect messages through this type only.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wire/coap/block.hpp"
#include "wire/coap/code.hpp"
#include "wire/coap/option.hpp"

namespace tl::coaptool {

namespace coap = tl::wire::coap;

struct Msg {
  struct Opt {
    coap::OptionNumber number;
    std::vector<uint8_t> value;
  };

  coap::Type type = coap::Type::con;
  coap::Code code = coap::Code::empty;
  uint16_t mid = 0;
  std::vector<uint8_t> token;
  std::vector<Opt> options;  // in insertion order; encode() sorts by number (stable)
  std::vector<uint8_t> payload;

  void add_uint(coap::OptionNumber n, uint32_t v);
  void add_opaque(coap::OptionNumber n, std::span<const uint8_t> v);
  void add_text(coap::OptionNumber n, std::string_view v) {
    add_opaque(n, {reinterpret_cast<const uint8_t*>(v.data()), v.size()});
  }
  void add_block(coap::OptionNumber n, coap::BlockValue b);
  // "/a/b" -> Uri-Path "a", "b".
  void set_path(std::string_view path);

  const Opt* find(coap::OptionNumber n) const;
  bool has(coap::OptionNumber n) const { return find(n) != nullptr; }
  std::optional<uint32_t> uint_option(coap::OptionNumber n) const;
  // nullopt when absent; throws std::runtime_error when present but invalid (SZX 7...).
  std::optional<coap::BlockValue> block(coap::OptionNumber n) const;
  // The Uri-Path segments joined: "/a/b" ("/" for none).
  std::string path() const;
  std::string_view text() const { return {reinterpret_cast<const char*>(payload.data()), payload.size()}; }
};

// Encodes with the wire codec; throws std::runtime_error when the codec refuses.
std::vector<uint8_t> encode(const Msg& m);

// Decodes with the wire codec. On failure returns the codec's error and, when the header was
// readable, fills `header_only` (type, code, mid) so a CON can be answered with RST or 4.xx.
struct Decoded {
  std::optional<Msg> msg;
  tl::wire::Error error = tl::wire::Error::ok;
  std::optional<Msg> header_only;
};
Decoded decode(std::span<const uint8_t> datagram);

// "2.05 Content" style text for logs and error messages.
std::string code_text(coap::Code c);

}  // namespace tl::coaptool
