// One UDP socket on the network thread's io_context: datagrams received in batches (recvmmsg,
// up to 64 a system call) and handed to a handler; sends are immediate (sendto).
#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "server/dtls/peer.hpp"

namespace tl::server {

using dtls::Peer;

class UdpEndpoint {
 public:
  using Handler = std::function<void(const Peer& peer, std::span<const uint8_t> datagram)>;
  // Called after each batch of datagrams (the core's timers and store batch run then).
  using AfterBatch = std::function<void()>;

  // Binds `address:port` (port 0: any free port). Throws std::system_error with the reason.
  UdpEndpoint(boost::asio::io_context& io, const std::string& address, uint16_t port, Handler handler,
              AfterBatch after_batch);
  uint16_t port() const { return port_; }
  void send(const Peer& peer, std::span<const uint8_t> datagram);
  void close();

  uint64_t received() const { return received_; }
  uint64_t sent() const { return sent_; }
  uint64_t send_errors() const { return send_errors_; }

 private:
  void wait();
  void drain();

  boost::asio::ip::udp::socket socket_;
  uint16_t port_ = 0;
  bool v6_ = false;  // an IPv6 socket: IPv4 peers are addressed IPv4-mapped
  Handler handler_;
  AfterBatch after_batch_;
  std::vector<uint8_t> buffers_;
  uint64_t received_ = 0;
  uint64_t sent_ = 0;
  uint64_t send_errors_ = 0;
};

}  // namespace tl::server
