#include <sys/epoll.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <stdexcept>

#include "sim/loadgen/clock.hpp"
#include "sim/loadgen/net.hpp"

namespace tl::sim::loadgen {

namespace {

// Room for bursts: a registration storm answers thousands of devices per socket at once.
constexpr int kSocketBuffer = 4 << 20;
// At most this many recvmmsg batches per readable socket per pump, so one busy socket cannot
// starve the others or the send schedule.
constexpr int kBatchesPerWake = 8;

EngineConfig with_channels(EngineConfig e, uint32_t sockets) {
  e.per_channel = per_socket(e.devices, sockets);
  return e;
}

std::runtime_error socket_error(const char* what, int err) {
  std::string text = std::string(what) + ": " + std::strerror(err);
  if (err == EMFILE || err == ENFILE) text += " (raise `ulimit -n` or pass fewer --sockets)";
  return std::runtime_error(text);
}

}  // namespace

uint32_t per_socket(uint32_t devices, uint32_t sockets) {
  if (sockets == 0) sockets = 1;
  const uint32_t per = (devices + sockets - 1) / sockets;
  return per == 0 ? 1 : per;
}

PlainNet::PlainNet(PlainConfig config)
    : config_(config),
      engine_(with_channels(config.engine, config.sockets),
              [this](uint32_t channel, std::span<const uint8_t> d) { queue(channel, d); }) {
  epoll_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_ < 0) throw socket_error("epoll_create1", errno);
  const uint32_t n = engine_.channels();
  sockets_.resize(n);
  tx_.resize(n);
  is_dirty_.assign(n, false);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  local.sin_addr = config_.server.sin_addr.s_addr == htonl(INADDR_LOOPBACK) ? config_.server.sin_addr
                                                                              : in_addr{htonl(INADDR_ANY)};
  for (uint32_t s = 0; s < n; ++s) {
    if (const int e = sockets_[s].open(local); e != 0) throw socket_error("opening a UDP socket", e);
    if (const int e = sockets_[s].connect(config_.server); e != 0) throw socket_error("connecting to the server", e);
    sockets_[s].grow_buffers(kSocketBuffer);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u32 = s;
    if (epoll_ctl(epoll_, EPOLL_CTL_ADD, sockets_[s].fd(), &ev) != 0) throw socket_error("epoll_ctl", errno);
  }
}

PlainNet::~PlainNet() {
  if (epoll_ >= 0) ::close(epoll_);
}

void PlainNet::queue(uint32_t channel, std::span<const uint8_t> datagram) {
  tx_[channel].push(datagram);
  if (!is_dirty_[channel]) {
    is_dirty_[channel] = true;
    dirty_.push_back(channel);
  }
}

void PlainNet::flush() {
  size_t kept = 0;
  for (const uint32_t s : dirty_) {
    sent_ += tx_[s].flush(sockets_[s].fd());
    if (tx_[s].empty()) {
      is_dirty_[s] = false;
    } else {
      dirty_[kept++] = s;  // the kernel was full: try again on the next pump
    }
  }
  dirty_.resize(kept);
}

void PlainNet::drain(uint32_t socket, uint64_t now_us) {
  for (int b = 0; b < kBatchesPerWake; ++b) {
    const size_t n = rx_.receive(sockets_[socket].fd());
    received_ += n;
    for (size_t i = 0; i < n; ++i) engine_.on_datagram(socket, rx_.datagram(i), now_us);
    if (n < kBatch) break;
  }
}

void PlainNet::pump(int timeout_ms) {
  flush();
  std::array<epoll_event, 256> events{};
  const int n = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), dirty_.empty() ? timeout_ms : 0);
  uint64_t now = now_us();
  for (int i = 0; i < n; ++i) drain(events[static_cast<size_t>(i)].data.u32, now);
  now = now_us();
  engine_.poll(now);
  flush();
}

}  // namespace tl::sim::loadgen
