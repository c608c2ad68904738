// DTLS 1.2 PSK (TLS_PSK_WITH_AES_128_CCM_8) under the Engine, all cryptography by mbedTLS's
// client contexts. The server keys DTLS sessions by address, so each endpoint has a socket of
// its own while it handshakes and talks; at most `max_handshakes` handshakes run at once, and
// Register is sent once the session is up (its latency excludes the handshake, which has its own
// histogram). Without keep_sessions, an endpoint's socket and contexts are dropped as soon as it
// is registered, with no close_notify: the server keeps the session as an idle device's would.
#pragma once
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/ssl.h>

#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/loadgen/histogram.hpp"
#include "sim/loadgen/net.hpp"

namespace tl::sim::loadgen {

struct DtlsConfig {
  sockaddr_in server{};
  EngineConfig engine;              // per_channel is forced to 1
  std::string identity_prefix = "tl-lg-";  // endpoint i's PSK identity: prefix + i
  std::vector<uint8_t> key;         // the same PSK for every endpoint
  uint32_t max_handshakes = 256;
  bool keep_sessions = true;
  uint32_t handshake_min_ms = 1000;  // RFC 6347 4.2.4.1 retransmission timer bounds
  uint32_t handshake_max_ms = 16000;
  // Against a loopback server endpoint i binds source slot source_offset + i (its own address
  // and port): give fleets registered one after the other at the same server disjoint slots.
  uint32_t source_offset = 0;
};

// "00ff..." -> bytes. Throws std::runtime_error saying what is wrong (odd length, not hex, empty,
// longer than mbedTLS's 32-byte PSK limit).
std::vector<uint8_t> parse_hex_key(std::string_view hex);

class DtlsNet final : public Net {
 public:
  // Throws std::runtime_error when the random generator cannot be seeded or the key is empty.
  explicit DtlsNet(DtlsConfig config);
  ~DtlsNet() override;

  void pump(int timeout_ms) override;
  Engine& engine() override { return engine_; }
  void start_register(uint32_t i, uint64_t now_us) override;
  size_t outstanding() override { return engine_.outstanding() + handshaking_.size() + to_connect_.size(); }
  uint64_t datagrams_sent() const override { return sent_; }
  uint64_t datagrams_received() const override { return received_; }

  const Histogram& handshake_latency() const { return handshake_latency_; }
  uint64_t handshake_failures() const { return handshake_failures_; }
  size_t live_sessions() const { return live_; }

  struct Session;  // one endpoint's socket and mbedTLS contexts (dtls_session.cpp)

 private:
  void queue(uint32_t endpoint, std::span<const uint8_t> datagram);
  void connect(uint32_t endpoint);
  void step_handshake(uint32_t endpoint, uint64_t now_us);
  void read_records(uint32_t endpoint, uint64_t now_us);
  void drop(uint32_t endpoint);
  void stop_handshaking(uint32_t endpoint);
  void start_waiting_handshakes();

  DtlsConfig config_;
  Engine engine_;
  std::vector<std::unique_ptr<Session>> sessions_;  // by endpoint; null when none
  std::deque<uint32_t> to_connect_;                 // waiting for a handshake slot
  std::vector<uint32_t> handshaking_;
  Histogram handshake_latency_;
  uint64_t handshake_failures_ = 0;
  uint64_t sent_ = 0;
  uint64_t received_ = 0;
  size_t live_ = 0;
  int epoll_ = -1;
  mbedtls_entropy_context entropy_;
  mbedtls_ctr_drbg_context drbg_;
};

}  // namespace tl::sim::loadgen
