// The network under an Engine: plain CoAP over shared UDP sockets (PlainNet) or DTLS with one
// socket per endpoint (DtlsNet, dtls_net.hpp). Scenarios drive either through this interface.
#pragma once
#include <netinet/in.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/loadgen/engine.hpp"
#include "sim/loadgen/udp.hpp"

namespace tl::sim::loadgen {

class Net {
 public:
  virtual ~Net() = default;
  // Sends what is queued, waits at most timeout_ms for datagrams, hands them to the engine, runs
  // due retransmissions and sends what they queued.
  virtual void pump(int timeout_ms) = 0;
  virtual Engine& engine() = 0;
  // Registers endpoint i (DTLS: after its handshake).
  virtual void start_register(uint32_t i, uint64_t now_us) { engine().start_register(i, now_us); }
  // Work still under way: CON exchanges waiting for an answer (and, for DTLS, handshakes).
  virtual size_t outstanding() { return engine().outstanding(); }
  // Datagrams the kernel took, over all sockets.
  virtual uint64_t datagrams_sent() const = 0;
  virtual uint64_t datagrams_received() const = 0;
};

struct PlainConfig {
  sockaddr_in server{};
  uint32_t sockets = 256;  // local ports shared by the endpoints
  EngineConfig engine;     // per_channel is derived from devices and sockets
};

// Plain CoAP: K sockets bound to 127.0.0.1, each connected to the server, in one epoll set.
class PlainNet final : public Net {
 public:
  // Throws std::runtime_error with what to do when the sockets cannot be opened.
  explicit PlainNet(PlainConfig config);
  ~PlainNet() override;

  void pump(int timeout_ms) override;
  Engine& engine() override { return engine_; }
  uint64_t datagrams_sent() const override { return sent_; }
  uint64_t datagrams_received() const override { return received_; }

 private:
  void queue(uint32_t channel, std::span<const uint8_t> datagram);
  void flush();
  void drain(uint32_t socket, uint64_t now_us);

  PlainConfig config_;
  Engine engine_;
  std::vector<UdpSocket> sockets_;
  std::vector<TxQueue> tx_;
  std::vector<uint32_t> dirty_;  // sockets with queued datagrams
  std::vector<bool> is_dirty_;
  RxBatch rx_;
  int epoll_ = -1;
  uint64_t sent_ = 0;
  uint64_t received_ = 0;
};

// Per-channel count so that `devices` spread over at most `sockets` sockets.
uint32_t per_socket(uint32_t devices, uint32_t sockets);

}  // namespace tl::sim::loadgen
