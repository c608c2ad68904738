#include "coaptool/udp.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace tl::coaptool {

namespace {

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

}  // namespace

Endpoint Endpoint::resolve(const std::string& host, uint16_t port) {
  Endpoint e;
  e.addr.sin_family = AF_INET;
  e.addr.sin_port = htons(port);
  if (inet_pton(AF_INET, host.c_str(), &e.addr.sin_addr) == 1) return e;
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0 || found == nullptr) {
    throw std::runtime_error("cannot resolve host '" + host + "' (use an IPv4 address such as 127.0.0.1)");
  }
  e.addr.sin_addr = reinterpret_cast<const sockaddr_in*>(found->ai_addr)->sin_addr;
  freeaddrinfo(found);
  return e;
}

uint16_t Endpoint::port() const { return ntohs(addr.sin_port); }

std::string Endpoint::text() const {
  char buf[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &addr.sin_addr, buf, sizeof buf);
  return std::string(buf) + ":" + std::to_string(port());
}

uint32_t Endpoint::peer_id() const {
  // Address and port folded together; collisions only merge two peers' dedup/NSTART entries.
  return ntohl(addr.sin_addr.s_addr) * 65599u + port();
}

bool operator==(const Endpoint& a, const Endpoint& b) {
  return a.addr.sin_addr.s_addr == b.addr.sin_addr.s_addr && a.addr.sin_port == b.addr.sin_port;
}

UdpSocket::UdpSocket(const std::string& host, uint16_t port) {
  const Endpoint local = Endpoint::resolve(host, port);
  fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) fail("socket");
  if (::bind(fd_, reinterpret_cast<const sockaddr*>(&local.addr), sizeof local.addr) != 0) {
    const int err = errno;
    ::close(fd_);
    errno = err;
    fail("cannot bind " + local.text() + " (is the port in use? try another --port, or 0)");
  }
}

UdpSocket::~UdpSocket() {
  if (fd_ >= 0) ::close(fd_);
}

uint16_t UdpSocket::local_port() const {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0) fail("getsockname");
  return ntohs(a.sin_port);
}

void UdpSocket::connect(const Endpoint& peer) {
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&peer.addr), sizeof peer.addr) != 0)
    fail("connect " + peer.text());
}

void UdpSocket::send(const Endpoint& to, std::span<const uint8_t> data) {
  const ssize_t n =
      ::sendto(fd_, data.data(), data.size(), 0, reinterpret_cast<const sockaddr*>(&to.addr), sizeof to.addr);
  if (n < 0) fail("sendto " + to.text());
}

std::optional<Datagram> UdpSocket::receive(int timeout_ms) {
  pollfd p{fd_, POLLIN, 0};
  const int ready = ::poll(&p, 1, timeout_ms < 0 ? 0 : timeout_ms);
  if (ready < 0 && errno != EINTR) fail("poll");
  if (ready <= 0) return std::nullopt;
  Datagram d;
  d.data.resize(65536);
  socklen_t len = sizeof d.from.addr;
  const ssize_t n =
      ::recvfrom(fd_, d.data.data(), d.data.size(), 0, reinterpret_cast<sockaddr*>(&d.from.addr), &len);
  // ICMP port-unreachable from an earlier send shows up here as ECONNREFUSED: not fatal for UDP.
  if (n < 0) {
    refused_ = refused_ || errno == ECONNREFUSED;
    if (errno == ECONNREFUSED || errno == EINTR) return std::nullopt;
    fail("recvfrom");
  }
  d.data.resize(static_cast<size_t>(n));
  return d;
}

}  // namespace tl::coaptool
