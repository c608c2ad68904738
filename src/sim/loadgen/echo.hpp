// The physical limit beside the server's figures: how many datagrams a minimal batched echo moves
// over loopback. The echo server reads and answers with recvmmsg/sendmmsg (batches of kBatch);
// the blaster measures round trips (each echo answered, a window in flight per socket) and the
// one-way rate (datagrams the echo server counted while the blaster sent as fast as it could),
// which is what bounds the server's ingest of NON notifications.
//
// The first byte of a datagram says what the echo server does with it: 'E' echo it back, 'O'
// only count it, 'Q' answer "R" and the one-way count (8 bytes, big-endian).
#pragma once
#include <netinet/in.h>

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "sim/loadgen/udp.hpp"

namespace tl::sim::loadgen {

class EchoServer {
 public:
  // Binds `local` (port 0: any). Throws std::runtime_error when it cannot.
  explicit EchoServer(const sockaddr_in& local);
  uint16_t port() const { return socket_.local_port(); }
  // Serves until `stop` is set (checked at least every 100 ms).
  void run(const std::atomic<bool>& stop);
  uint64_t echoed() const { return echoed_.load(); }
  uint64_t counted() const { return counted_.load(); }

 private:
  void serve_batch(RxBatch& rx, size_t n, TxQueue& tx);

  UdpSocket socket_;
  std::atomic<uint64_t> echoed_{0};
  std::atomic<uint64_t> counted_{0};
};

struct EchoOptions {
  sockaddr_in server{};
  uint32_t sockets = 8;
  double seconds = 3;
  size_t payload = 100;   // bytes per datagram, about a SenML-CBOR notification
  uint32_t window = 64;   // round trip: datagrams in flight per socket
};

struct EchoResult {
  double seconds = 0;
  uint64_t sent = 0;
  uint64_t received = 0;  // round trip: echoes back; one way: counted by the echo server
  double rate() const { return seconds > 0 ? static_cast<double>(received) / seconds : 0; }
};

// Throw std::runtime_error when sockets cannot be opened or the echo server does not answer.
EchoResult echo_round_trip(const EchoOptions& options, const std::atomic<bool>* stop = nullptr);
EchoResult echo_one_way(const EchoOptions& options, const std::atomic<bool>* stop = nullptr);

}  // namespace tl::sim::loadgen
