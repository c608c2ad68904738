// A small blocking CoAP client over UDP: GET with Block2 follow-up, PUT with Block1, and Observe.
// Confirmable requests are retransmitted on the RFC 7252 schedule (wire/coap/reliability);
// one interaction is outstanding at a time (NSTART 1).
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "coaptool/msg.hpp"
#include "coaptool/udp.hpp"
#include "wire/coap/reliability.hpp"

namespace tl::coaptool {

struct ClientConfig {
  std::string host = "127.0.0.1";
  uint16_t port = 5683;
  // Local address; empty: 127.0.0.1 for a loopback server, every interface otherwise.
  std::string bind_host;
  bool confirmable = true;
  // Block size exponent to ask for (Block2) and send with (Block1); nullopt: Block2 only when the
  // server starts it, Block1 only for bodies above 1024 bytes.
  std::optional<uint8_t> szx;
  size_t max_body = 16 * 1024 * 1024;  // a larger Block2 body is refused
  coap::TransmissionParams params{};
};

struct Response {
  coap::Code code = coap::Code::empty;
  std::vector<uint8_t> payload;
  std::optional<uint32_t> content_format;
  std::string text() const { return {payload.begin(), payload.end()}; }
};

struct Notification {
  uint32_t sequence = 0;  // the Observe value
  Response response;
};

// Every failure (timeout, RST, broken block sequence) throws std::runtime_error with a message
// that says what to check.
class Client {
 public:
  explicit Client(ClientConfig config);

  // GET `path`, following Block2 until the whole representation has arrived.
  Response get(const std::string& path);
  // PUT `body` to `path`, in Block1 blocks when it does not fit one (or when szx is set).
  Response put(const std::string& path, const std::vector<uint8_t>& body, uint32_t content_format = 0);
  // Registers an observation, hands `count` fresh notifications (the first response included)
  // to `on_notification`, then deregisters. Gives up after `timeout_ms` without a notification.
  void observe(const std::string& path, size_t count,
               const std::function<void(const Notification&)>& on_notification, int timeout_ms = 30'000);

 private:
  // One request/response exchange: sends `req` (CON with retransmission, or NON) and returns the
  // matching response, piggybacked or separate.
  Msg exchange(Msg req);
  Msg base_request(coap::Code code, const std::string& path);
  void acknowledge(const Msg& m);
  void reset(const Msg& m);
  bool from_server(const Datagram& d) const { return d.from == server_; }
  Response to_response(const Msg& m) const;

  ClientConfig config_;
  Endpoint server_;
  UdpSocket socket_;
  uint16_t mid_;
  coap::NstartLimiter<1> nstart_;
};

}  // namespace tl::coaptool
