#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/loadgen/clock.hpp"
#include "sim/loadgen/echo.hpp"

namespace tl::sim::loadgen {

namespace {

constexpr int kClientBuffer = 4 << 20;
// A socket that got no echo for this long lost its window (drops): it is sent a new one.
constexpr uint64_t kStallUs = 200'000;

bool stopped(const std::atomic<bool>* stop) { return stop != nullptr && stop->load(std::memory_order_relaxed); }

std::vector<UdpSocket> open_sockets(const EchoOptions& o) {
  std::vector<UdpSocket> sockets(o.sockets == 0 ? 1 : o.sockets);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  local.sin_addr = o.server.sin_addr;
  for (UdpSocket& s : sockets) {
    if (s.open(local) != 0 || s.connect(o.server) != 0) {
      throw std::runtime_error("echo: cannot open a socket to " + format_address(o.server) +
                               " (check --server, `ulimit -n` against --sockets)");
    }
    s.grow_buffers(kClientBuffer);
  }
  return sockets;
}

std::vector<uint8_t> datagram(char kind, size_t size) {
  std::vector<uint8_t> d(size < 1 ? 1 : size, 0x5A);
  d[0] = static_cast<uint8_t>(kind);
  return d;
}

// Sends `count` copies of `d` on `fd`, kBatch per sendmmsg, all pointing at the same bytes (no
// copies: the blaster should cost as little as the echo it measures). Returns how many the
// kernel took; stops at the first refusal (a full socket buffer).
size_t send_copies(int fd, const std::vector<uint8_t>& d, size_t count) {
  std::array<mmsghdr, kBatch> msgs{};
  iovec iov{const_cast<uint8_t*>(d.data()), d.size()};  // sendmmsg only reads it
  for (mmsghdr& m : msgs) {
    m.msg_hdr.msg_iov = &iov;
    m.msg_hdr.msg_iovlen = 1;
  }
  size_t sent = 0;
  while (sent < count) {
    const auto n = static_cast<unsigned>(std::min(kBatch, count - sent));
    const int rc = ::sendmmsg(fd, msgs.data(), n, 0);
    if (rc <= 0) break;
    sent += static_cast<size_t>(rc);
    if (static_cast<unsigned>(rc) < n) break;
  }
  return sent;
}

// The echo server's one-way count, asked on a socket of its own.
uint64_t query_count(const sockaddr_in& server) {
  EchoOptions one;
  one.server = server;
  one.sockets = 1;
  std::vector<UdpSocket> s = open_sockets(one);
  const std::vector<uint8_t> q = datagram('Q', 1);
  for (int attempt = 0; attempt < 10; ++attempt) {
    send_copies(s[0].fd(), q, 1);
    pollfd p{s[0].fd(), POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    uint8_t answer[16];
    const ssize_t n = ::recv(s[0].fd(), answer, sizeof answer, 0);
    if (n == 9 && answer[0] == 'R') {
      uint64_t c = 0;
      for (int b = 1; b < 9; ++b) c = (c << 8) | answer[b];
      return c;
    }
  }
  throw std::runtime_error("echo: no answer from an echo server at " + format_address(server) +
                           " (start one with `tl-loadgen echo-server --port P`)");
}

}  // namespace

EchoResult echo_round_trip(const EchoOptions& o, const std::atomic<bool>* stop) {
  std::vector<UdpSocket> sockets = open_sockets(o);
  const int ep = epoll_create1(EPOLL_CLOEXEC);
  for (uint32_t s = 0; s < sockets.size(); ++s) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u32 = s;
    epoll_ctl(ep, EPOLL_CTL_ADD, sockets[s].fd(), &ev);
  }
  const std::vector<uint8_t> d = datagram('E', o.payload);
  std::vector<uint64_t> last_echo(sockets.size(), now_us());
  EchoResult r;
  for (const UdpSocket& s : sockets) r.sent += send_copies(s.fd(), d, o.window);
  RxBatch rx;
  const uint64_t start = now_us();
  std::array<epoll_event, 64> events{};
  while (now_us() - start < static_cast<uint64_t>(o.seconds * 1e6) && !stopped(stop)) {
    const int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), 10);
    const uint64_t now = now_us();
    for (int i = 0; i < n; ++i) {
      const uint32_t s = events[static_cast<size_t>(i)].data.u32;
      const size_t got = rx.receive(sockets[s].fd());
      r.received += got;
      if (got > 0) last_echo[s] = now;
      r.sent += send_copies(sockets[s].fd(), d, got);  // keep the window full
    }
    for (uint32_t s = 0; s < sockets.size(); ++s) {
      if (now - last_echo[s] > kStallUs) {
        r.sent += send_copies(sockets[s].fd(), d, o.window);
        last_echo[s] = now;
      }
    }
  }
  r.seconds = static_cast<double>(now_us() - start) / 1e6;
  ::close(ep);
  if (r.received == 0) {
    throw std::runtime_error("echo: nothing came back from " + format_address(o.server) +
                             " (start `tl-loadgen echo-server --port P` first)");
  }
  return r;
}

EchoResult echo_one_way(const EchoOptions& o, const std::atomic<bool>* stop) {
  std::vector<UdpSocket> sockets = open_sockets(o);
  const std::vector<uint8_t> d = datagram('O', o.payload);
  const uint64_t before = query_count(o.server);
  EchoResult r;
  const uint64_t start = now_us();
  while (now_us() - start < static_cast<uint64_t>(o.seconds * 1e6) && !stopped(stop)) {
    for (const UdpSocket& s : sockets) r.sent += send_copies(s.fd(), d, kBatch);
  }
  r.seconds = static_cast<double>(now_us() - start) / 1e6;
  // Whatever is still queued at the echo server is counted too: it arrived within the run.
  ::usleep(50'000);
  r.received = query_count(o.server) - before;
  return r;
}

}  // namespace tl::sim::loadgen
