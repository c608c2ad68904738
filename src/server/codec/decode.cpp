// decode(): the content format picks the reader; text/plain and opaque are handled here.
#include "server/codec/detail.hpp"
#include "wire/lwm2m/opaque.hpp"

namespace tl::server::codec {
namespace {

using detail::find_resource;
using detail::shape_mismatch;

// What text/plain and opaque have in common: one value of the requested resource (instance).
Result<const model::ResourceDef*> single_value_target(store::Path requested, const char* format) {
  if (requested.depth() < 3) {
    return Failure{std::string(format) + " carries one resource value; " + requested.to_string() +
                   " is no resource"};
  }
  const model::ResourceDef* def = find_resource(requested);
  if (std::string shape = shape_mismatch(requested, def); !shape.empty()) {
    return Failure{std::string(format) + ": " + shape};
  }
  if (def != nullptr && def->type == wire::lwm2m::ValueType::none) {
    return Failure{requested.to_string() + " is executable: it has no value"};
  }
  return def;
}

Result<Samples> decode_text(std::span<const std::uint8_t> payload, store::Path requested,
                            store::DeviceId device, store::TimeMs now_ms) {
  const Result<const model::ResourceDef*> def = single_value_target(requested, "text/plain");
  if (!def) return Failure{def.error()};
  const store::ValueType type =
      *def == nullptr ? store::ValueType::string : *detail::to_store((*def)->type);
  Result<store::Value> value = parse_value(type, wire::as_text(payload));
  if (!value) return Failure{"text/plain for " + requested.to_string() + ": " + value.error()};
  return Samples{{device, requested, now_ms, std::move(value).value()}};
}

Result<Samples> decode_opaque(std::span<const std::uint8_t> payload, store::Path requested,
                              store::DeviceId device, store::TimeMs now_ms) {
  const Result<const model::ResourceDef*> def = single_value_target(requested, "opaque");
  if (!def) return Failure{def.error()};
  if (*def != nullptr && (*def)->type != wire::lwm2m::ValueType::opaque) {
    return Failure{"opaque carries only Opaque resources; " + requested.to_string() + " is " +
                   wire::lwm2m::value_type_name((*def)->type)};
  }
  return Samples{{device, requested, now_ms, store::Opaque(payload.begin(), payload.end())}};
}

}  // namespace

Result<Samples> decode(std::uint16_t content_format, std::span<const std::uint8_t> payload,
                       store::Path requested_path, store::DeviceId device, store::TimeMs now_ms) {
  switch (content_format) {
    case cf::senml_json: return detail::decode_senml_json(payload, requested_path, device, now_ms);
    case cf::senml_cbor: return detail::decode_senml_cbor(payload, requested_path, device, now_ms);
    case cf::tlv:
    case cf::tlv_legacy:
    case cf::tlv_legacy_99: return detail::decode_tlv(payload, requested_path, device, now_ms);
    case cf::text: return decode_text(payload, requested_path, device, now_ms);
    case cf::opaque: return decode_opaque(payload, requested_path, device, now_ms);
    case cf::lwm2m_json:
    case cf::json_legacy:
      return Failure{"LwM2M JSON (" + std::to_string(content_format) +
                     ") is not supported, ask for SenML-JSON (110) or SenML-CBOR (112)"};
    case cf::link_format:
      return Failure{"link format (40) describes resources (Discover), it carries no values"};
    default: return Failure{content_format_name(content_format) + " is not a value format"};
  }
}

}  // namespace tl::server::codec
