// A scripted LwM2M server on the wire layer, over a ServerLink: it waits for the client's
// requests, answers them, sends its own (Observe) and decodes SenML-JSON payloads.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "server_link.hpp"
#include "wire/coap/message.hpp"

namespace tl::device::test {

// A received CoAP message that keeps its bytes (the view points into them).
struct Message {
  Datagram bytes;
  wire::coap::MessageView view() const;
  std::string uri_path() const;     // "/rd/t1"
  std::vector<std::string> queries() const;
  std::string payload() const;
};

class ScriptedServer {
 public:
  explicit ScriptedServer(ServerLink& link) : link_(link) {}

  // The next well-formed message before `deadline`; an empty Message (no bytes) on timeout.
  Message next(Clock::time_point deadline);
  // Piggybacked response to a confirmable request.
  void reply(const Message& request, wire::coap::Code code, std::string_view location = {});
  // An empty ACK, for a confirmable notification.
  void ack(const Message& m);
  // GET `path` with Observe 0, Accept SenML-JSON; returns the token used.
  std::vector<uint8_t> observe(std::string_view path);
  // A confirmable request (Execute, Bootstrap-Write, Bootstrap-Finish); a non-empty payload
  // goes as TLV.
  void request(wire::coap::Code code, std::string_view path, const Datagram& tlv = {});

 private:
  void send(const wire::coap::MessageBuilder& b);

  ServerLink& link_;
  uint16_t mid_ = 0x4000;
};

// SenML-JSON records as full path -> numeric or boolean value ("/33650/0/2001" -> 3).
std::map<std::string, double> senml_numbers(const std::string& json);

}  // namespace tl::device::test
