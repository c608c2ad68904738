// Platform's datagram sockets on POSIX: a small table of non-blocking UDP sockets, each
// connect()ed to its server so that the kernel drops datagrams from anyone else.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "client/platform.hpp"

namespace tl::posix {

using client::SocketId;
using wire::Bytes;
using wire::Error;
using wire::MutableBytes;
using wire::Result;

class UdpSockets {
 public:
  static constexpr size_t kMaxSockets = 4;

  UdpSockets() { fds_.fill(-1); }
  ~UdpSockets();
  UdpSockets(const UdpSockets&) = delete;
  UdpSockets& operator=(const UdpSockets&) = delete;

  // As Platform::open_udp/close/send/receive. `host`: an IPv4 or IPv6 literal (brackets allowed,
  // "[::1]") or a name that getaddrinfo resolves; the first address that connects is used.
  Result<SocketId> open(std::string_view host, uint16_t port);
  void close(SocketId socket);
  Error send(SocketId socket, Bytes datagram);
  Result<size_t> receive(SocketId socket, MutableBytes buffer);

  // The descriptor behind a socket (for poll()), -1 when the socket is not open.
  int fd(SocketId socket) const;

 private:
  std::array<int, kMaxSockets> fds_;
};

}  // namespace tl::posix
