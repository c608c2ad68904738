// encode(): the content format picks the writer; text/plain and opaque are handled here.
#include "server/codec/detail.hpp"
#include "wire/lwm2m/opaque.hpp"
#include "wire/lwm2m/text.hpp"
#include "wire/numtext.hpp"

namespace tl::server::codec {
namespace detail {

std::size_t size_guess(std::span<const store::Sample> samples) {
  std::size_t bytes = 16;
  for (const store::Sample& s : samples) {
    bytes += 24;
    if (const auto* text = std::get_if<std::string>(&s.value)) bytes += text->size() + 8;
    if (const auto* data = std::get_if<store::Opaque>(&s.value)) bytes += data->size() * 4 / 3 + 8;
  }
  return bytes;
}

std::optional<Failure> check_under(store::Path target, std::span<const store::Sample> samples) {
  for (const store::Sample& s : samples) {
    if (!target.contains(s.path)) {
      return Failure{s.path.to_string() + " is not under the target " + target.to_string()};
    }
    if (s.path.depth() < 3) {
      return Failure{s.path.to_string() + " is no resource (values belong to resources)"};
    }
    // Every format refuses such text; saying which value beats the writer's bare error.
    const auto* text = std::get_if<std::string>(&s.value);
    if (text != nullptr && !wire::is_valid_utf8(wire::as_bytes(*text))) {
      return Failure{s.path.to_string() + ": a string that is not UTF-8"};
    }
  }
  return std::nullopt;
}

}  // namespace detail
namespace {

namespace wl = wire::lwm2m;

// text/plain and opaque: one value, of the target itself.
std::optional<Failure> check_single(store::Path target, std::span<const store::Sample> samples,
                                    const char* format) {
  if (samples.size() != 1) {
    return Failure{std::string(format) + " carries exactly one value, not " +
                   std::to_string(samples.size())};
  }
  if (samples[0].path != target) {
    return Failure{std::string(format) + ": the value's path " + samples[0].path.to_string() +
                   " must be the target " + target.to_string()};
  }
  return std::nullopt;
}

Result<Bytes> encode_text(store::Path target, std::span<const store::Sample> samples) {
  if (auto failure = check_single(target, samples, "text/plain")) return *failure;
  const store::Value& value = samples[0].value;
  return detail::write_growing(detail::size_guess(samples), "text/plain",
                               [&](wire::ByteWriter& out) {
                                 return wl::text::write(detail::to_wire(value), out);
                               });
}

Result<Bytes> encode_opaque(store::Path target, std::span<const store::Sample> samples) {
  if (auto failure = check_single(target, samples, "opaque")) return *failure;
  const auto* data = std::get_if<store::Opaque>(&samples[0].value);
  if (data == nullptr) {
    return Failure{"opaque carries only Opaque values, not " +
                   detail::type_name(store::type_of(samples[0].value))};
  }
  return *data;
}

}  // namespace

Result<Bytes> encode(std::uint16_t content_format, store::Path target_path,
                     std::span<const store::Sample> samples) {
  if (auto failure = detail::check_under(target_path, samples)) return *failure;
  switch (content_format) {
    case cf::tlv:
    case cf::tlv_legacy:
    case cf::tlv_legacy_99: return detail::encode_tlv(target_path, samples);
    case cf::senml_json: return detail::encode_senml_json(target_path, samples);
    case cf::senml_cbor: return detail::encode_senml_cbor(target_path, samples);
    case cf::text: return encode_text(target_path, samples);
    case cf::opaque: return encode_opaque(target_path, samples);
    case cf::lwm2m_json:
    case cf::json_legacy:
      return Failure{"LwM2M JSON is not supported, use SenML-JSON (110) or SenML-CBOR (112)"};
    default: return Failure{"cannot write values as " + content_format_name(content_format)};
  }
}

}  // namespace tl::server::codec
