#include "sim/loadgen/messages.hpp"

#include <charconv>

#include "wire/lwm2m/path.hpp"
#include "wire/lwm2m/value.hpp"
#include "wire/senml/senml_cbor.hpp"

namespace tl::sim::loadgen {

using wire::ByteWriter;
using wire::Bytes;
using wire::Error;
namespace coap = wire::coap;
namespace lwm2m = wire::lwm2m;

namespace {

size_t finish(const coap::MessageBuilder& b, Out out) {
  ByteWriter w(out.data(), out.size());
  return b.write(w) == Error::ok ? w.size() : 0;
}

// "lt=86400": the number after a fixed prefix, in a caller's buffer.
std::string_view with_number(std::string_view prefix, uint64_t n, std::span<char> buf) {
  if (prefix.size() + 20 > buf.size()) return {};
  std::copy(prefix.begin(), prefix.end(), buf.begin());
  char* end = std::to_chars(buf.data() + prefix.size(), buf.data() + buf.size(), n).ptr;
  return {buf.data(), static_cast<size_t>(end - buf.data())};
}

// The records of the counters, with full paths (Send) or below the base name (notification).
size_t write_counters(uint32_t windows, bool full_paths, Out out) {
  ByteWriter w(out.data(), out.size());
  wire::senml::CborWriter senml(w, 6);
  if (!full_paths) senml.set_base_name(lwm2m::Path::object(kObservedObject));
  for (uint16_t instance = 0; instance < 2; ++instance) {
    const auto at = [&](uint16_t r) { return lwm2m::Path::resource(kObservedObject, instance, r); };
    senml.add(at(2000), lwm2m::Value::boolean(instance == windows % 2));
    senml.add(at(2001), lwm2m::Value::unsigned_integer(windows / 2 + (instance == 0 ? windows % 2 : 0)));
    senml.add(at(2002), lwm2m::Value::string(instance == 0 ? "idle" : "wave"));
  }
  return senml.finish() == Error::ok ? w.size() : 0;
}

}  // namespace

TokenBytes token_bytes(uint64_t token) {
  TokenBytes t{};
  for (size_t i = 0; i < kTokenSize; ++i) t.bytes[i] = static_cast<uint8_t>(token >> (8 * (kTokenSize - 1 - i)));
  return t;
}

uint64_t token_value(Bytes token) {
  uint64_t v = 0;
  for (uint8_t b : token) v = (v << 8) | b;
  return v;
}

size_t register_request(uint16_t mid, uint64_t token, std::string_view endpoint, uint32_t lifetime, Out out) {
  char ep[128];
  if (endpoint.size() + 3 > sizeof ep) return 0;
  std::copy(std::string_view("ep=").begin(), std::string_view("ep=").end(), ep);
  std::copy(endpoint.begin(), endpoint.end(), ep + 3);
  char lt[32];
  const TokenBytes t = token_bytes(token);
  coap::MessageBuilder b(coap::Type::con, coap::Code::post, mid);
  b.token(t.view())
      .uri_path("/rd")
      .uri_query({ep, endpoint.size() + 3})
      .uri_query(with_number("lt=", lifetime, lt))
      .uri_query("lwm2m=1.1")
      .uri_query("b=U")
      .content_format(coap::ContentFormat::link_format)
      .payload(wire::as_bytes(kObjectLinks));
  return finish(b, out);
}

size_t counters_payload(uint32_t windows, Out out) { return write_counters(windows, false, out); }

size_t notification(coap::Type type, uint16_t mid, Bytes token, uint32_t seq, uint32_t windows, Out out) {
  uint8_t payload[256];
  const size_t n = counters_payload(windows, payload);
  if (n == 0) return 0;
  coap::MessageBuilder b(type, coap::Code::content, mid);
  b.token(token).observe(seq).content_format(coap::ContentFormat::senml_cbor).payload({payload, n});
  return finish(b, out);
}

size_t send_request(coap::Type type, uint16_t mid, uint64_t token, uint32_t windows, Out out) {
  uint8_t payload[256];
  const size_t n = write_counters(windows, true, payload);
  if (n == 0) return 0;
  const TokenBytes t = token_bytes(token);
  coap::MessageBuilder b(type, coap::Code::post, mid);
  b.token(t.view()).uri_path("/dp").content_format(coap::ContentFormat::senml_cbor).payload({payload, n});
  return finish(b, out);
}

size_t response(const coap::MessageView& request, coap::Code code, uint16_t mid, int64_t observe, Bytes payload,
                Out out) {
  coap::MessageBuilder b = request.type() == coap::Type::con
                               ? coap::MessageBuilder::piggybacked_response(request, code)
                               : coap::MessageBuilder(coap::Type::non, code, mid);
  if (request.type() != coap::Type::con) b.token(request.token());
  if (observe >= 0) b.observe(static_cast<uint32_t>(observe));
  if (!payload.empty()) b.content_format(coap::ContentFormat::senml_cbor).payload(payload);
  return finish(b, out);
}

size_t empty(coap::Type type, uint16_t mid, Out out) {
  ByteWriter w(out.data(), out.size());
  return coap::write_empty(type, mid, w) == Error::ok ? w.size() : 0;
}

}  // namespace tl::sim::loadgen
