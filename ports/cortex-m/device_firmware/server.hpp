// A scripted LwM2M server inside the firmware, built on the wire layer: it answers what the
// client sent (Register, Update) and queues requests (Read, Observe) into the platform's inbox,
// so the device's request handling runs on the target without a network. Its own datagrams are
// printed as "rx <hex>" beside the client's "tx <hex>".
#pragma once
#include <cstdint>
#include <string_view>

#include "shim.hpp"
#include "wire/coap/message.hpp"

namespace tl::firmware {

using wire::coap::Code;
using wire::coap::ContentFormat;
using wire::coap::MessageView;

// A datagram the client sent, decoded (the view points into `packet`).
struct Sent {
  Packet packet;
  MessageView m;
  bool ok = false;
};

class ScriptedServer {
 public:
  explicit ScriptedServer(SemihostPlatform& platform) : platform_(platform) {}

  // The client's next datagram; ok is false when there is none or it does not decode.
  bool take(Sent& out);
  // A piggybacked response to `request` (with a Location-Path when given). Returns its size.
  size_t reply(const MessageView& request, Code code, std::string_view location = {});
  // A confirmable GET or Observe (Observe 0) of `path` with a one-byte token and an Accept
  // format (kNoAccept: none), asking for block `block` (RFC 7959 number, size 256) after the first.
  static constexpr uint16_t kNoAccept = 0xFFFF;
  bool get(std::string_view path, uint8_t token, uint16_t accept, bool observe = false, uint32_t block = 0);

 private:
  bool push(const wire::coap::MessageBuilder& b, size_t* size);

  SemihostPlatform& platform_;
  uint16_t mid_ = 0x7000;
};

}  // namespace tl::firmware
