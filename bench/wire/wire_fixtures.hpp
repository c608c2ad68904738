// The messages of the `wire` benchmark, built and decoded with the wire layer. Freestanding, so
// that the host benchmark and the Cortex-M4 image measure exactly the same work.
//   - Register: CON POST /rd?ep=..&lt=..&lwm2m=1.1&b=U with 12 object links (link-format).
//   - Notification of object 33650: four pattern instances (state, counter, name), in SenML-CBOR
//     and in TLV, as a 2.05 with Observe and an 8-byte token.
//   - A 1024-byte Block2 response (2.05 ACK, Block2 num 3 more, ETag, opaque payload).
// A decode does what a receiver must: frame and option checks, then every payload item parsed
// into typed values. It returns a checksum so the compiler cannot drop the work, or 0 on error.
#pragma once
#include <cstddef>
#include <cstdint>

#include "wire/bytes.hpp"
#include "wire/coap/block.hpp"
#include "wire/coap/message.hpp"
#include "wire/lwm2m/link_format.hpp"
#include "wire/lwm2m/path.hpp"
#include "wire/lwm2m/tlv.hpp"
#include "wire/lwm2m/value.hpp"
#include "wire/senml/senml_cbor.hpp"

namespace tl::bench {

using namespace tl::wire;

inline constexpr uint8_t kToken[8] = {0x5a, 0x11, 0x7e, 0x42, 0x09, 0xc3, 0x6d, 0x20};
inline constexpr uint16_t kPatternObject = 33650;
inline constexpr uint16_t kPatternCount = 4;
inline constexpr const char* kPatternNames[kPatternCount] = {"idle", "snake", "wave", "updown"};
inline constexpr uint16_t kStateResource = 2000, kCounterResource = 2001, kNameResource = 2002;

inline size_t encode_register(ByteWriter& out) {
  static constexpr lwm2m::Path kLinks[] = {
      lwm2m::Path::instance(1, 0),     lwm2m::Path::instance(3, 0),     lwm2m::Path::instance(4, 0),
      lwm2m::Path::instance(5, 0),     lwm2m::Path::instance(33650, 0), lwm2m::Path::instance(33650, 1),
      lwm2m::Path::instance(33650, 2), lwm2m::Path::instance(33650, 3), lwm2m::Path::instance(33651, 0),
      lwm2m::Path::instance(33652, 0), lwm2m::Path::instance(33653, 0), lwm2m::Path::instance(33654, 0)};
  uint8_t body[256];
  ByteWriter payload(body, sizeof body);
  lwm2m::link::Writer links(payload);
  links.link_uri("/");
  links.attr_quoted("rt", "oma.lwm2m");
  links.attr_uint("ct", 112);
  for (const auto& p : kLinks) links.link(p);
  if (links.status() != Error::ok) return 0;
  auto msg = coap::MessageBuilder(coap::Type::con, coap::Code::post, 0x1234)
                 .token(Bytes(kToken, 4))
                 .uri_path("/rd")
                 .uri_query("ep=tinyloop-000001")
                 .uri_query("lt=86400")
                 .uri_query("lwm2m=1.1")
                 .uri_query("b=U")
                 .content_format(coap::ContentFormat::link_format)
                 .payload(payload.written());
  return msg.write(out) == Error::ok ? out.size() : 0;
}

inline void pattern_values(uint16_t instance, uint32_t seq, lwm2m::Value out[3]) {
  out[0] = lwm2m::Value::boolean(instance == seq % kPatternCount);
  out[1] = lwm2m::Value::integer(int64_t{1000} * instance + seq);
  out[2] = lwm2m::Value::string(kPatternNames[instance]);
}

inline coap::MessageBuilder notification(uint32_t seq, coap::ContentFormat format, Bytes payload) {
  auto msg = coap::MessageBuilder(coap::Type::non, coap::Code::content, static_cast<uint16_t>(seq));
  msg.token(Bytes(kToken, 8)).observe(seq).content_format(format).payload(payload);
  return msg;
}

inline size_t encode_notification_cbor(ByteWriter& out, uint32_t seq) {
  static constexpr uint16_t kResources[3] = {kStateResource, kCounterResource, kNameResource};
  uint8_t body[256];
  ByteWriter payload(body, sizeof body);
  senml::CborWriter writer(payload, size_t{kPatternCount} * 3);
  writer.set_base_name(lwm2m::Path::object(kPatternObject));
  lwm2m::Value v[3];
  for (uint16_t i = 0; i < kPatternCount; ++i) {
    pattern_values(i, seq, v);
    for (int r = 0; r < 3; ++r) writer.add(lwm2m::Path::resource(kPatternObject, i, kResources[r]), v[r]);
  }
  if (writer.finish() != Error::ok) return 0;
  return notification(seq, coap::ContentFormat::senml_cbor, payload.written()).write(out) == Error::ok ? out.size()
                                                                                                       : 0;
}

inline size_t encode_notification_tlv(ByteWriter& out, uint32_t seq) {
  uint8_t body[256];
  ByteWriter payload(body, sizeof body);
  lwm2m::tlv::Writer writer(payload);
  lwm2m::Value v[3];
  for (uint16_t i = 0; i < kPatternCount; ++i) {
    pattern_values(i, seq, v);
    writer.begin_object_instance(i);
    writer.resource(kStateResource, v[0]);
    writer.resource(kCounterResource, v[1]);
    writer.resource(kNameResource, v[2]);
    writer.end();
  }
  if (writer.finish() != Error::ok) return 0;
  return notification(seq, coap::ContentFormat::lwm2m_tlv, payload.written()).write(out) == Error::ok ? out.size()
                                                                                                      : 0;
}

inline size_t encode_block2_response(ByteWriter& out, Bytes body) {
  static constexpr uint8_t kEtag[4] = {0xe7, 0x11, 0x42, 0x08};
  auto block = coap::encode_block({3, true, 6});
  if (!block) return 0;
  auto msg = coap::MessageBuilder(coap::Type::ack, coap::Code::content, 0x4321)
                 .token(Bytes(kToken, 2))
                 .content_format(coap::ContentFormat::octet_stream)
                 .etag(Bytes(kEtag, 4))
                 .block2(*block)
                 .size2(4096)
                 .payload(body);
  return msg.write(out) == Error::ok ? out.size() : 0;
}

// Mixes a value into a checksum.
inline uint32_t mix(uint32_t sum, uint64_t v) { return (sum ^ static_cast<uint32_t>(v ^ (v >> 32))) * 16777619u; }

inline uint32_t mix_value(uint32_t sum, const lwm2m::Value& v) {
  switch (v.type) {
    case lwm2m::ValueType::boolean: return mix(sum, v.b ? 1 : 0);
    case lwm2m::ValueType::integer: return mix(sum, static_cast<uint64_t>(v.i));
    default: return mix(sum, v.bytes.size());
  }
}

// Server side of a Register: frame, options, query items and every link parsed.
inline uint32_t decode_register(Bytes datagram) {
  auto m = coap::decode(datagram);
  if (!m || coap::check_options(*m) != Error::ok) return 0;
  uint32_t sum = 2166136261u;
  for (const auto& opt : m->uri_path()) sum = mix(sum, opt.value.size());
  for (const auto& opt : m->uri_query()) sum = mix(sum, opt.value.size());
  lwm2m::link::Reader links(as_text(m->payload()));
  for (;;) {
    auto link = links.next();
    if (link.error() == Error::end) break;
    if (!link) return 0;
    auto path = link->path();
    sum = mix(sum, path ? path->object_id() : 0xFFFFu);
  }
  return sum;
}

inline uint32_t decode_notification_cbor(Bytes datagram) {
  auto m = coap::decode(datagram);
  if (!m || coap::check_options(*m) != Error::ok || !m->observe().present) return 0;
  uint32_t sum = mix(2166136261u, m->observe().value);
  senml::CborReader reader(m->payload());
  for (;;) {
    auto record = reader.next();
    if (record.error() == Error::end) break;
    if (!record) return 0;
    auto value = record->value();
    if (!value) return 0;
    sum = mix_value(mix(sum, record->path.resource_id()), *value);
  }
  return sum;
}

// TLV carries no types: the receiver takes them from the data model (here, object 33650's).
inline lwm2m::ValueType pattern_resource_type(uint16_t resource) {
  switch (resource) {
    case kStateResource: return lwm2m::ValueType::boolean;
    case kCounterResource: return lwm2m::ValueType::integer;
    default: return lwm2m::ValueType::string;
  }
}

inline uint32_t decode_notification_tlv(Bytes datagram) {
  auto m = coap::decode(datagram);
  if (!m || coap::check_options(*m) != Error::ok || !m->observe().present) return 0;
  uint32_t sum = mix(2166136261u, m->observe().value);
  lwm2m::tlv::Reader reader(m->payload(), lwm2m::Path::object(kPatternObject));
  for (;;) {
    auto record = reader.next();
    if (record.error() == Error::end) break;
    if (!record) return 0;
    auto value = lwm2m::tlv::decode(record->value, pattern_resource_type(record->path.resource_id()));
    if (!value) return 0;
    sum = mix_value(mix(sum, record->path.resource_id()), *value);
  }
  return sum;
}

inline uint32_t decode_block2_response(Bytes datagram) {
  auto m = coap::decode(datagram);
  if (!m || coap::check_options(*m) != Error::ok) return 0;
  auto raw = m->block2();
  if (!raw.present) return 0;
  auto block = coap::decode_block(raw.value);
  if (!block || m->payload().size() != block->size()) return 0;
  return mix(mix(2166136261u, block->num), m->payload().size());
}

}  // namespace tl::bench
