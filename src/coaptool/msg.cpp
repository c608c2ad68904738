#include "coaptool/msg.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "wire/coap/message.hpp"

namespace tl::coaptool {

using tl::wire::Bytes;
using tl::wire::Error;

namespace {

constexpr size_t kMaxDatagram = 65507;  // largest UDP payload over IPv4

std::vector<uint8_t> copy(Bytes b) { return {b.begin(), b.end()}; }

Msg header_of(Bytes datagram) {
  Msg m;
  const auto h = coap::decode_header(datagram);
  if (!h) return m;
  m.type = h->type;
  m.code = h->code;
  m.mid = h->message_id;
  // The token is only usable when its length nibble is valid and the bytes are there.
  if (h->token_length <= coap::kMaxTokenLength && datagram.size() >= coap::kHeaderSize + h->token_length) {
    m.token = copy(datagram.subspan(coap::kHeaderSize, h->token_length));
  }
  return m;
}

Msg from_view(const coap::MessageView& v) {
  Msg m;
  m.type = v.type();
  m.code = v.code();
  m.mid = v.message_id();
  m.token = copy(v.token());
  for (const coap::Option& o : v.options()) m.options.push_back({o.number, copy(o.value)});
  m.payload = copy(v.payload());
  return m;
}

}  // namespace

void Msg::add_uint(coap::OptionNumber n, uint32_t v) {
  std::vector<uint8_t> bytes;
  for (int shift = 24; shift >= 0; shift -= 8) {
    const auto b = static_cast<uint8_t>(v >> shift);
    if (b != 0 || !bytes.empty()) bytes.push_back(b);
  }
  options.push_back({n, std::move(bytes)});
}

void Msg::add_opaque(coap::OptionNumber n, std::span<const uint8_t> v) {
  options.push_back({n, {v.begin(), v.end()}});
}

void Msg::add_block(coap::OptionNumber n, coap::BlockValue b) {
  const auto raw = coap::encode_block(b);
  if (!raw)
    throw std::runtime_error(std::string("invalid block value: ") + tl::wire::error_name(raw.error()));
  add_uint(n, *raw);
}

void Msg::set_path(std::string_view path) {
  while (!path.empty()) {
    if (path.front() == '/') path.remove_prefix(1);
    const size_t end = std::min(path.find('/'), path.size());
    if (end != 0) add_text(coap::OptionNumber::uri_path, path.substr(0, end));
    path.remove_prefix(end);
  }
}

const Msg::Opt* Msg::find(coap::OptionNumber n) const {
  for (const Opt& o : options) {
    if (o.number == n) return &o;
  }
  return nullptr;
}

std::optional<uint32_t> Msg::uint_option(coap::OptionNumber n) const {
  const Opt* o = find(n);
  if (o == nullptr || o->value.size() > 4) return std::nullopt;
  uint32_t v = 0;
  for (uint8_t b : o->value) v = (v << 8) | b;
  return v;
}

std::optional<coap::BlockValue> Msg::block(coap::OptionNumber n) const {
  const Opt* o = find(n);
  if (o == nullptr) return std::nullopt;
  const auto b = coap::decode_block(Bytes{o->value.data(), o->value.size()});
  if (!b) throw std::runtime_error(std::string("invalid Block option: ") + tl::wire::error_name(b.error()));
  return *b;
}

std::string Msg::path() const {
  std::string p;
  for (const Opt& o : options) {
    if (o.number == coap::OptionNumber::uri_path) p += "/" + std::string(o.value.begin(), o.value.end());
  }
  return p.empty() ? "/" : p;
}

std::vector<uint8_t> encode(const Msg& m) {
  coap::MessageBuilder b(m.type, m.code, m.mid);
  b.token({m.token.data(), m.token.size()});
  for (const Msg::Opt& o : m.options) b.opaque_option(o.number, {o.value.data(), o.value.size()});
  b.payload({m.payload.data(), m.payload.size()});
  std::vector<uint8_t> out(kMaxDatagram);
  tl::wire::ByteWriter w(out);
  const Error e = b.write(w);
  if (e != Error::ok)
    throw std::runtime_error(std::string("cannot encode CoAP message: ") + tl::wire::error_name(e));
  out.resize(w.size());
  return out;
}

Decoded decode(std::span<const uint8_t> datagram) {
  Decoded d;
  const auto view = coap::decode(datagram);
  d.error = view ? coap::check_options(*view) : view.error();
  if (d.error == Error::ok) {
    d.msg = from_view(*view);
  } else if (coap::decode_header(datagram)) {
    d.header_only = header_of(datagram);
  }
  return d;
}

std::string code_text(coap::Code c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%u.%02u", coap::code_class(c), coap::code_detail(c));
  return buf;
}

}  // namespace tl::coaptool
