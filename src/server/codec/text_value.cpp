// text/plain values (TS 1.1 7.4.1), through the wire layer's codec so that the server reads and
// writes exactly what devices do.
#include <bit>
#include <cmath>

#include "server/codec/detail.hpp"
#include "wire/lwm2m/text.hpp"
#include "wire/numtext.hpp"

namespace tl::server::codec {

namespace wl = wire::lwm2m;

Result<store::Value> parse_value(store::ValueType type, std::string_view text) {
  // Base64 decodes to 3/4 of its length: the text's size is enough.
  std::vector<std::uint8_t> scratch(type == store::ValueType::opaque ? text.size() : 0);
  const wire::Result<wl::Value> v = wl::text::read(wire::as_bytes(text), detail::to_wire(type), scratch);
  if (!v) {
    return Failure{"\"" + std::string(text.substr(0, 64)) + (text.size() > 64 ? "...\"" : "\"") +
                   " is no " + detail::type_name(type) + ": " + detail::describe(v.error())};
  }
  return detail::to_store(*v);
}

std::string format_value(const store::Value& value) {
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  if (const auto* d = std::get_if<double>(&value); d != nullptr && !std::isfinite(*d)) {
    return std::isnan(*d) ? "NaN" : *d < 0 ? "-Infinity" : "Infinity";
  }
  const auto* opaque = std::get_if<store::Opaque>(&value);
  std::string out(opaque ? wl::text::base64_encoded_size(opaque->size()) : wire::kMaxNumberText + 8,
                  '\0');
  wire::ByteWriter writer(reinterpret_cast<std::uint8_t*>(out.data()), out.size());
  // Every remaining type has a text form that fits the buffer sized above.
  (void)wl::text::write(detail::to_wire(value), writer);
  out.resize(writer.size());
  return out;
}

std::optional<store::ValueType> resource_type(store::Path path) {
  const model::ResourceDef* def = detail::find_resource(path);
  return def == nullptr ? std::nullopt : detail::to_store(def->type);
}

std::string content_format_name(std::uint16_t content_format) {
  switch (content_format) {
    case cf::text: return "text/plain";
    case cf::link_format: return "application/link-format";
    case cf::opaque: return "application/octet-stream";
    case cf::senml_json: return "application/senml+json";
    case cf::senml_cbor: return "application/senml+cbor";
    case cf::tlv:
    case cf::tlv_legacy:
    case cf::tlv_legacy_99: return "application/vnd.oma.lwm2m+tlv";
    case cf::lwm2m_json:
    case cf::json_legacy: return "application/vnd.oma.lwm2m+json";
    default: return "content format " + std::to_string(content_format);
  }
}

}  // namespace tl::server::codec
