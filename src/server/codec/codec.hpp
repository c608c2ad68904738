// The server's translation between LwM2M payloads and store::Samples: decode what a device sends
// (Read and Observe answers, Send), encode what the server writes (Write, Create).
//
// Host code over the freestanding codecs of src/wire: the wire layer hands back raw values and
// the DDF tables (src/model) give them their types; this layer owns the memory (std::vector,
// std::string) and turns every wire error into a message that says what is wrong.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "server/store/path.hpp"
#include "server/store/records.hpp"

namespace tl::server::codec {

// CoAP content formats (the numbers LwM2M 1.1 registers, and the pre-registration ones of
// LwM2M 1.0 drafts that old clients still send).
namespace cf {
inline constexpr std::uint16_t text = 0;
inline constexpr std::uint16_t link_format = 40;
inline constexpr std::uint16_t opaque = 42;
inline constexpr std::uint16_t senml_json = 110;
inline constexpr std::uint16_t senml_cbor = 112;
inline constexpr std::uint16_t tlv = 11542;
inline constexpr std::uint16_t lwm2m_json = 11543;
inline constexpr std::uint16_t tlv_legacy = 1542;   // application/vnd.oma.lwm2m+tlv before 11542
inline constexpr std::uint16_t json_legacy = 1543;  // application/vnd.oma.lwm2m+json before 11543
inline constexpr std::uint16_t tlv_legacy_99 = 99;  // accepted as TLV on request of the core
}  // namespace cf

// What went wrong, in words for logs and HTTP answers.
struct Failure {
  std::string message;
};

// A value or a Failure.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}        // NOLINT: implicit
  Result(Failure failure) : state_(std::in_place_index<1>, std::move(failure)) {}  // NOLINT
  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T& value() const& { return *std::get_if<0>(&state_); }
  T& value() & { return *std::get_if<0>(&state_); }
  T&& value() && { return std::move(*std::get_if<0>(&state_)); }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }
  // Empty when ok().
  const std::string& error() const {
    static const std::string none;
    return ok() ? none : std::get_if<1>(&state_)->message;
  }

 private:
  std::variant<T, Failure> state_;
};

using Samples = std::vector<store::Sample>;
using Bytes = std::vector<std::uint8_t>;

// Decodes a device's payload into samples of `device`.
// - SenML-JSON (110) / SenML-CBOR (112): names resolve against base names; times are bt + t in
//   ms (absent: now_ms; below 2^28 s relative to now_ms, RFC 8428 4.5.3); values take the DDF
//   type of their resource when the resource is known (an integer resource sent as 3.0 is the
//   integer 3; a value that would lose information is a Failure), else their SenML type (a
//   number written as an integer stays one). Records must lie under `requested_path` (pass the
//   root for Send and composite operations).
// - TLV (11542, 1542, 99): records resolve against `requested_path` (object, instance, resource
//   or resource instance); types come from the DDF, unknown resources decode as opaque.
// - text/plain (0): one value of `requested_path` (a resource or resource instance), typed by
//   the DDF (unknown: string). Opaque (42): one opaque value.
// Every sample is at a resource or resource instance path; time is now_ms unless SenML says.
Result<Samples> decode(std::uint16_t content_format, std::span<const std::uint8_t> payload,
                       store::Path requested_path, store::DeviceId device, store::TimeMs now_ms);

// Encodes samples for a Write or Create on `target_path`; each value is written as the type of
// its variant alternative and the sample times are not sent. Every sample path must lie under
// `target_path` and be a resource or resource instance.
// - TLV: on /o/i/r/ri one resource instance; on /o/i/r the resource, or its instances (top-level
//   resource instance TLVs); on /o/i resource TLVs, multiple resources wrapping their instances;
//   on /o (Create) one object instance TLV per instance id in the samples. A Create that lets the
//   client choose the id sends bare resource TLVs: encode those on /o/<any id>.
// - SenML-JSON / SenML-CBOR: one record per sample, base name the target.
// - text/plain: exactly one value, at the target. Opaque: exactly one opaque value, at the target.
Result<Bytes> encode(std::uint16_t content_format, store::Path target_path,
                     std::span<const store::Sample> samples);

// text/plain rules of LwM2M (TS 1.1 7.4.1): integers and floats in decimal, booleans 0/1,
// opaque padded base64, time as integer seconds, objlnk "3:0", strings as they are (UTF-8).
Result<store::Value> parse_value(store::ValueType type, std::string_view text);
// The same rules the other way. NaN and infinities have no LwM2M text form: they come out as
// "NaN", "Infinity" and "-Infinity", which parse_value refuses.
std::string format_value(const store::Value& value);

// The DDF type of the resource at `path` (depth 3 or 4); nullopt for an unknown object or
// resource, an executable resource, or a shorter path. Core links are strings here.
std::optional<store::ValueType> resource_type(store::Path path);

// "text/plain", "application/senml+cbor", ...; "content format N" for unknown numbers.
std::string content_format_name(std::uint16_t content_format);

}  // namespace tl::server::codec
