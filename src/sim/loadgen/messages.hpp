// The datagrams a virtual device sends, built with the wire layer: Register, notifications and
// Send of the TinyML counters in SenML-CBOR, and answers to the server's requests.
// Each function writes into `out` and returns the length, 0 when the message did not fit.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "wire/coap/message.hpp"

namespace tl::sim::loadgen {

// What a device with the TinyML objects announces: objects 1, 3, 4, 5 and 33650-33654.
inline constexpr std::string_view kObjectLinks =
    "</1/0>,</3/0>,</4/0>,</5/0>,</33650/0>,</33650/1>,</33650/2>,</33651/0>,</33652/0>,</33653/0>,</33654/0>";
// The observed object: the Pattern Detector.
inline constexpr uint16_t kObservedObject = 33650;

// Tokens are 8 bytes: a 64-bit value, big-endian, so that a lookup is one integer compare.
inline constexpr size_t kTokenSize = 8;
struct TokenBytes {
  uint8_t bytes[kTokenSize];
  wire::Bytes view() const { return {bytes, kTokenSize}; }
};
TokenBytes token_bytes(uint64_t token);
// The token as a 64-bit value (shorter tokens read as their big-endian value).
uint64_t token_value(wire::Bytes token);

using Out = std::span<uint8_t>;

// POST /rd?ep=NAME&lt=LIFETIME&lwm2m=1.1&b=U, CON, Content-Format 40, kObjectLinks.
size_t register_request(uint16_t mid, uint64_t token, std::string_view endpoint, uint32_t lifetime, Out out);
// SenML-CBOR of /33650/0 and /33650/1: resources 2000 (latest class), 2001 (windows of that
// class), 2002 (label), about a hundred bytes as the real device sends.
size_t counters_payload(uint32_t windows, Out out);
// A notification: 2.05 with the observation's token, Observe `seq`, Content-Format 112.
size_t notification(wire::coap::Type type, uint16_t mid, wire::Bytes token, uint32_t seq, uint32_t windows, Out out);
// The LwM2M 1.1 Send operation: POST /dp with SenML-CBOR (full paths in every record).
size_t send_request(wire::coap::Type type, uint16_t mid, uint64_t token, uint32_t windows, Out out);
// The answer to a server request: piggybacked on the ACK of a CON one, else a NON with `mid`.
// `observe` < 0 means no Observe option; an empty payload has no Content-Format.
size_t response(const wire::coap::MessageView& request, wire::coap::Code code, uint16_t mid, int64_t observe,
                wire::Bytes payload, Out out);
// An Empty ACK or RST.
size_t empty(wire::coap::Type type, uint16_t mid, Out out);

}  // namespace tl::sim::loadgen
