#include "server/udp_endpoint.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstring>

namespace tl::server {
namespace {

constexpr size_t kBatch = 64;
constexpr size_t kMaxDatagram = 2048;  // larger ones are truncated and then refused by the decoder

Peer peer_of(const sockaddr_storage& sa) {
  if (sa.ss_family == AF_INET) {
    const auto& in = reinterpret_cast<const sockaddr_in&>(sa);
    std::array<uint8_t, 4> a{};
    std::memcpy(a.data(), &in.sin_addr, 4);
    return Peer::v4(a, ntohs(in.sin_port));
  }
  const auto& in6 = reinterpret_cast<const sockaddr_in6&>(sa);
  std::array<uint8_t, 16> a{};
  std::memcpy(a.data(), &in6.sin6_addr, 16);
  return Peer::v6(a, ntohs(in6.sin6_port));
}

socklen_t sockaddr_of(const Peer& p, bool v6_socket, sockaddr_storage& sa) {
  std::memset(&sa, 0, sizeof(sa));
  if (p.is_v6() || v6_socket) {
    auto& in6 = reinterpret_cast<sockaddr_in6&>(sa);
    in6.sin6_family = AF_INET6;
    in6.sin6_port = htons(p.port());
    if (p.is_v6()) {
      std::memcpy(&in6.sin6_addr, p.address().data(), 16);
    } else {  // IPv4-mapped, for a dual-stack socket
      in6.sin6_addr.s6_addr[10] = 0xFF;
      in6.sin6_addr.s6_addr[11] = 0xFF;
      std::memcpy(&in6.sin6_addr.s6_addr[12], p.address().data(), 4);
    }
    return sizeof(sockaddr_in6);
  }
  auto& in = reinterpret_cast<sockaddr_in&>(sa);
  in.sin_family = AF_INET;
  in.sin_port = htons(p.port());
  std::memcpy(&in.sin_addr, p.address().data(), 4);
  return sizeof(sockaddr_in);
}

}  // namespace

UdpEndpoint::UdpEndpoint(boost::asio::io_context& io, const std::string& address, uint16_t port, Handler handler,
                         AfterBatch after_batch)
    : socket_(io), handler_(std::move(handler)), after_batch_(std::move(after_batch)), buffers_(kBatch * kMaxDatagram) {
  using boost::asio::ip::udp;
  const auto addr = boost::asio::ip::make_address(address);
  const udp::endpoint ep(addr, port);
  socket_.open(ep.protocol());
  socket_.set_option(boost::asio::socket_base::receive_buffer_size(8 << 20));
  socket_.set_option(boost::asio::socket_base::send_buffer_size(8 << 20));
  socket_.bind(ep);
  socket_.non_blocking(true);
  port_ = socket_.local_endpoint().port();
  v6_ = ep.protocol() == udp::v6();
  wait();
}

void UdpEndpoint::wait() {
  socket_.async_wait(boost::asio::ip::udp::socket::wait_read, [this](const boost::system::error_code& ec) {
    if (ec) return;  // closed
    drain();
    wait();
  });
}

void UdpEndpoint::drain() {
  std::array<mmsghdr, kBatch> msgs{};
  std::array<iovec, kBatch> iov{};
  std::array<sockaddr_storage, kBatch> from{};
  for (int rounds = 0; rounds < 16; ++rounds) {  // then let other work (timers, HTTP posts) run
    for (size_t i = 0; i < kBatch; ++i) {
      iov[i] = {buffers_.data() + i * kMaxDatagram, kMaxDatagram};
      msgs[i].msg_hdr = {};
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
      msgs[i].msg_hdr.msg_name = &from[i];
      msgs[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
    }
    const int n = ::recvmmsg(socket_.native_handle(), msgs.data(), kBatch, MSG_DONTWAIT, nullptr);
    if (n <= 0) break;
    for (int i = 0; i < n; ++i) {
      const auto k = static_cast<size_t>(i);
      ++received_;
      handler_(peer_of(from[k]), {buffers_.data() + k * kMaxDatagram, msgs[k].msg_len});
    }
    if (static_cast<size_t>(n) < kBatch) break;
  }
  if (after_batch_) after_batch_();
}

void UdpEndpoint::send(const Peer& peer, std::span<const uint8_t> datagram) {
  // Answers still arrive from the store after close() (a stop with writes in flight): dropped.
  if (!socket_.is_open()) return;
  sockaddr_storage sa;
  const socklen_t len = sockaddr_of(peer, v6_, sa);
  if (::sendto(socket_.native_handle(), datagram.data(), datagram.size(), MSG_DONTWAIT,
               reinterpret_cast<const sockaddr*>(&sa), len) < 0) {
    ++send_errors_;  // a full socket buffer drops it, as the network would; retransmission covers it
    return;
  }
  ++sent_;
}

void UdpEndpoint::close() {
  boost::system::error_code ignored;
  socket_.close(ignored);
}

}  // namespace tl::server
