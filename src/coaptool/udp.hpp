// A blocking IPv4 UDP socket with receive timeouts: all the transport the CoAP tool needs.
#pragma once
#include <netinet/in.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace tl::coaptool {

struct Endpoint {
  sockaddr_in addr{};

  // Parses a dotted IPv4 address or resolves a host name; throws std::runtime_error.
  static Endpoint resolve(const std::string& host, uint16_t port);
  uint16_t port() const;
  std::string text() const;  // "127.0.0.1:5683"
  // A stable small id for the reliability tables (address and port).
  uint32_t peer_id() const;
  friend bool operator==(const Endpoint& a, const Endpoint& b);
};

struct Datagram {
  Endpoint from;
  std::vector<uint8_t> data;
};

class UdpSocket {
 public:
  // Binds to `host`:`port` (port 0 picks an ephemeral port); throws std::runtime_error.
  UdpSocket(const std::string& host, uint16_t port);
  ~UdpSocket();
  UdpSocket(const UdpSocket&) = delete;
  UdpSocket& operator=(const UdpSocket&) = delete;

  uint16_t local_port() const;
  // Talk to one peer only: other senders are filtered by the kernel, and an ICMP
  // port-unreachable for our sends is reported (see take_refused()).
  void connect(const Endpoint& peer);
  void send(const Endpoint& to, std::span<const uint8_t> data);
  // Waits at most `timeout_ms` for one datagram; nullopt on timeout.
  std::optional<Datagram> receive(int timeout_ms);
  // True once after the kernel reported an ICMP port-unreachable for an earlier send: nothing
  // listens at that address.
  bool take_refused() { return std::exchange(refused_, false); }

 private:
  int fd_ = -1;
  bool refused_ = false;
};

}  // namespace tl::coaptool
