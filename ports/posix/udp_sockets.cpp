#include "posix/udp_sockets.hpp"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace tl::posix {

namespace {

// "[::1]" -> "::1": LwM2M server URIs write IPv6 literals in brackets.
std::string_view strip_brackets(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') return host.substr(1, host.size() - 2);
  return host;
}

// A non-blocking socket connected to the first address of `found` that accepts it, or -1.
int connect_first(const addrinfo* found) {
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) return fd;
    ::close(fd);
  }
  return -1;
}

}  // namespace

UdpSockets::~UdpSockets() {
  for (const int fd : fds_) {
    if (fd >= 0) ::close(fd);
  }
}

Result<SocketId> UdpSockets::open(std::string_view host, uint16_t port) {
  size_t slot = 0;
  while (slot < kMaxSockets && fds_[slot] >= 0) ++slot;
  if (slot == kMaxSockets) return Error::too_many_items;
  const std::string name(strip_brackets(host));
  if (name.empty() || name.find('\0') != std::string::npos) return Error::malformed;

  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (::getaddrinfo(name.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) return Error::malformed;
  const int fd = connect_first(found);
  ::freeaddrinfo(found);
  // Resolved but nothing connects: no route or address family on this host.
  if (fd < 0) return Error::unsupported;
  fds_[slot] = fd;
  return static_cast<SocketId>(slot);
}

void UdpSockets::close(SocketId socket) {
  const int f = fd(socket);
  if (f < 0) return;
  ::close(f);
  fds_[static_cast<size_t>(socket)] = -1;
}

int UdpSockets::fd(SocketId socket) const {
  if (socket < 0 || static_cast<size_t>(socket) >= kMaxSockets) return -1;
  return fds_[static_cast<size_t>(socket)];
}

Error UdpSockets::send(SocketId socket, Bytes datagram) {
  const int f = fd(socket);
  if (f < 0) return Error::malformed;
  if (::send(f, datagram.data(), datagram.size(), 0) >= 0) return Error::ok;
  if (errno == EMSGSIZE) return Error::buffer_too_small;
  // A full send queue, an ICMP error left over from an earlier datagram, a route that went
  // away: UDP promises no delivery, so these count as a lost datagram and the retransmissions
  // of CoAP or DTLS recover, exactly as from a loss in the network.
  return Error::ok;
}

Result<size_t> UdpSockets::receive(SocketId socket, MutableBytes buffer) {
  const int f = fd(socket);
  if (f < 0) return Error::malformed;
  for (;;) {
    // MSG_TRUNC: the datagram's real length, so that a truncated copy is noticed.
    const ssize_t n = ::recv(f, buffer.data(), buffer.size(), MSG_TRUNC);
    if (n >= 0) {
      if (static_cast<size_t>(n) > buffer.size()) return Error::buffer_too_small;
      return static_cast<size_t>(n);
    }
    // An ICMP port-unreachable for an earlier send is reported once; it is not a datagram.
    if (errno == ECONNREFUSED || errno == EINTR) continue;
    return Error::end;
  }
}

}  // namespace tl::posix
