#include "sim/loadgen/udp.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

namespace tl::sim::loadgen {

std::optional<sockaddr_in> parse_address(std::string_view text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string host(text.substr(0, colon));
  if (host == "localhost") host = "127.0.0.1";
  const std::string_view port_text = text.substr(colon + 1);
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || end != port_text.data() + port_text.size() || port == 0 || port > 65535) {
    return std::nullopt;
  }
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, host.c_str(), &a.sin_addr) != 1) return std::nullopt;
  return a;
}

std::string format_address(const sockaddr_in& address) {
  char text[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &address.sin_addr, text, sizeof text);
  return std::string(text) + ":" + std::to_string(ntohs(address.sin_port));
}

UdpSocket::~UdpSocket() { close(); }

UdpSocket& UdpSocket::operator=(UdpSocket&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

int UdpSocket::open(const sockaddr_in& local) {
  close();
  fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return errno;
  if (::bind(fd_, reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) {
    const int e = errno;
    close();
    return e;
  }
  return 0;
}

int UdpSocket::connect(const sockaddr_in& peer) {
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&peer), sizeof peer) != 0) return errno;
  return 0;
}

void UdpSocket::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void UdpSocket::grow_buffers(int bytes) {
  setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
  setsockopt(fd_, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof bytes);
}

uint16_t UdpSocket::local_port() const {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  if (getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0) return 0;
  return ntohs(a.sin_port);
}

void TxQueue::push(std::span<const uint8_t> datagram, const sockaddr_in* to) {
  Span s{bytes_.size(), datagram.size(), to != nullptr ? *to : sockaddr_in{}, to != nullptr};
  bytes_.insert(bytes_.end(), datagram.begin(), datagram.end());
  spans_.push_back(s);
}

size_t TxQueue::flush(int fd) {
  size_t sent = 0;
  while (!empty()) {
    std::array<mmsghdr, kBatch> msgs{};
    std::array<iovec, kBatch> iov{};
    const size_t n = std::min(kBatch, size());
    for (size_t i = 0; i < n; ++i) {
      Span& s = spans_[head_ + i];
      iov[i] = {bytes_.data() + s.offset, s.length};
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
      if (s.has_to) {
        msgs[i].msg_hdr.msg_name = &s.to;
        msgs[i].msg_hdr.msg_namelen = sizeof s.to;
      }
    }
    const int rc = ::sendmmsg(fd, msgs.data(), static_cast<unsigned>(n), 0);
    if (rc <= 0) {
      // A full socket buffer (EAGAIN) keeps the rest for later; any other error (the peer's
      // port unreachable, reported on a connected socket) costs that datagram, as a loss would.
      if (rc < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) ++head_;
      break;
    }
    head_ += static_cast<size_t>(rc);
    sent += static_cast<size_t>(rc);
  }
  if (empty()) {
    bytes_.clear();
    spans_.clear();
    head_ = 0;
  }
  return sent;
}

RxBatch::RxBatch() : buffers_(kBatch) {}

size_t RxBatch::receive(int fd) {
  std::array<mmsghdr, kBatch> msgs{};
  std::array<iovec, kBatch> iov{};
  for (size_t i = 0; i < kBatch; ++i) {
    iov[i] = {buffers_[i].data(), kMaxDatagram};
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
    msgs[i].msg_hdr.msg_name = &sources_[i];
    msgs[i].msg_hdr.msg_namelen = sizeof sources_[i];
  }
  const int rc = ::recvmmsg(fd, msgs.data(), kBatch, MSG_DONTWAIT, nullptr);
  if (rc <= 0) return 0;
  for (int i = 0; i < rc; ++i) lengths_[static_cast<size_t>(i)] = msgs[static_cast<size_t>(i)].msg_len;
  return static_cast<size_t>(rc);
}

}  // namespace tl::sim::loadgen
