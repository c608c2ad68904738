#include <poll.h>

#include <stdexcept>
#include <string>

#include "sim/loadgen/echo.hpp"

namespace tl::sim::loadgen {

namespace {
// Deep enough that a burst from the blaster is not dropped while a batch is being answered.
constexpr int kServerBuffer = 8 << 20;
}  // namespace

EchoServer::EchoServer(const sockaddr_in& local) {
  if (const int e = socket_.open(local); e != 0) {
    throw std::runtime_error("echo-server: cannot bind " + format_address(local) + " (errno " +
                             std::to_string(e) + "): pick another --port");
  }
  socket_.grow_buffers(kServerBuffer);
}

void EchoServer::serve_batch(RxBatch& rx, size_t n, TxQueue& tx) {
  uint64_t counted = 0;
  for (size_t i = 0; i < n; ++i) {
    const std::span<const uint8_t> d = rx.datagram(i);
    if (d.empty()) continue;
    if (d[0] == 'E') {
      tx.push(d, &rx.source(i));
    } else if (d[0] == 'O') {
      ++counted;
    } else if (d[0] == 'Q') {
      uint8_t answer[9] = {'R'};
      const uint64_t c = counted_.load() + counted;
      for (int b = 0; b < 8; ++b) answer[1 + b] = static_cast<uint8_t>(c >> (8 * (7 - b)));
      tx.push(answer, &rx.source(i));
    }
  }
  counted_ += counted;
}

void EchoServer::run(const std::atomic<bool>& stop) {
  RxBatch rx;
  TxQueue tx;
  pollfd p{socket_.fd(), POLLIN, 0};
  while (!stop.load(std::memory_order_relaxed)) {
    if (::poll(&p, 1, 100) <= 0) continue;
    for (;;) {
      const size_t n = rx.receive(socket_.fd());
      if (n == 0) break;
      serve_batch(rx, n, tx);
      echoed_ += tx.flush(socket_.fd());
      // An echo the kernel refused is dropped: a round trip is lost, as on a real network.
      if (!tx.empty()) tx = TxQueue();
    }
  }
}

}  // namespace tl::sim::loadgen
