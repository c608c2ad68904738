// Shared by the codec's own files: conversions between the wire layer's types (views, packed
// float bits) and the store's (owning, typed by variant alternative), DDF look-ups, messages.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "model/object_def.hpp"
#include "server/codec/codec.hpp"
#include "wire/bytes.hpp"
#include "wire/error.hpp"
#include "wire/lwm2m/path.hpp"
#include "wire/lwm2m/value.hpp"

namespace tl::server::codec::detail {

wire::lwm2m::Path to_wire(store::Path path);
store::Path to_store(const wire::lwm2m::Path& path);

// The wire type that carries a store type (store strings travel as wire strings).
wire::lwm2m::ValueType to_wire(store::ValueType type);
// nullopt for ValueType::none. Core links become strings.
std::optional<store::ValueType> to_store(wire::lwm2m::ValueType type);

// The returned Value points into `value` (strings, opaque): keep `value` alive meanwhile.
wire::lwm2m::Value to_wire(const store::Value& value);
// Copies what a wire Value points to. `none` is not a value: callers check first.
store::Value to_store(const wire::lwm2m::Value& value);

// The DDF entry of the resource a path names (depth >= 3), nullptr when unknown.
const model::ResourceDef* find_resource(store::Path path);

std::string describe(wire::Error error);
std::string type_name(store::ValueType type);

// A resource path whose DDF shape (single or multiple) the path's depth contradicts gives the
// message; an unknown resource, or a path that fits, an empty string.
std::string shape_mismatch(store::Path path, const model::ResourceDef* def);

Result<Samples> decode_senml_json(std::span<const std::uint8_t> payload, store::Path requested,
                                  store::DeviceId device, store::TimeMs now_ms);
Result<Samples> decode_senml_cbor(std::span<const std::uint8_t> payload, store::Path requested,
                                  store::DeviceId device, store::TimeMs now_ms);
Result<Samples> decode_tlv(std::span<const std::uint8_t> payload, store::Path requested,
                           store::DeviceId device, store::TimeMs now_ms);

// The writers stream into a fixed buffer: run `write(ByteWriter&) -> wire::Error` on a buffer
// twice as large each time it runs out of room. Any other error is the Failure `what: ...`.
template <class Write>
Result<Bytes> write_growing(std::size_t guess, const std::string& what, Write write) {
  for (Bytes buffer(guess < 64 ? 64 : guess);; buffer.resize(buffer.size() * 2)) {
    wire::ByteWriter out(buffer.data(), buffer.size());
    const wire::Error e = write(out);
    if (e == wire::Error::ok && !out.overflowed()) {
      buffer.resize(out.size());
      return buffer;
    }
    if (e != wire::Error::ok && e != wire::Error::buffer_too_small) {
      return Failure{what + ": " + describe(e)};
    }
  }
}

// A rough size of the samples' encoding, to start write_growing near the answer.
std::size_t size_guess(std::span<const store::Sample> samples);
// Failure unless every sample is at a resource or resource instance under `target`.
std::optional<Failure> check_under(store::Path target, std::span<const store::Sample> samples);

Result<Bytes> encode_tlv(store::Path target, std::span<const store::Sample> samples);
Result<Bytes> encode_senml_json(store::Path target, std::span<const store::Sample> samples);
Result<Bytes> encode_senml_cbor(store::Path target, std::span<const store::Sample> samples);

}  // namespace tl::server::codec::detail
