// An in-memory DTLS 1.2 PSK client on mbedTLS, driven by hand: datagrams in with deliver(),
// datagrams out in outbox(). For tests, benchmarks, the fuzzer and load generation: many
// clients in one process without sockets. suspend()/resume() serialize an established client
// (mbedTLS context save) so thousands of them need not hold live contexts.
#pragma once
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ssl.h>

#include <cstdint>
#include <string>
#include <vector>

#include "server/dtls/dtls_server.hpp"

namespace tl::server::dtls {

class PskClient {
 public:
  enum class State : uint8_t { connecting, ready, failed, closed };
  struct Options {
    // MBEDTLS_TLS_PSK_* ids in preference order; empty: LwM2M's two, CCM_8 first.
    std::vector<int> suites;
    uint32_t handshake_min_ms = 1000;
    uint32_t handshake_max_ms = 8000;
    // Seeds the client's random generator deterministically (tests and the fuzzer repeat).
    uint64_t seed = 1;
  };
  using Datagram = std::vector<uint8_t>;

  // Throws std::runtime_error when mbedTLS cannot be set up.
  PskClient(std::string identity, Datagram key, Options options);
  PskClient(std::string identity, Datagram key) : PskClient(std::move(identity), std::move(key), Options{}) {}
  ~PskClient();
  PskClient(const PskClient&) = delete;
  PskClient& operator=(const PskClient&) = delete;

  // Sends the ClientHello, or advances the handshake (retransmissions when the timer ran out).
  State step(uint64_t now_ms);
  // A datagram from the server: advances the handshake or yields records (received()).
  State deliver(Bytes datagram, uint64_t now_ms);
  // One record; false unless ready.
  bool send(Bytes plaintext);
  bool close_notify();

  State state() const { return state_; }
  int last_error() const { return last_error_; }
  const char* ciphersuite() const;
  // Datagrams for the server, oldest first; the caller takes them.
  std::vector<Datagram>& outbox() { return outbox_; }
  std::vector<Datagram>& received() { return received_; }
  // Retransmission deadline while connecting, else UINT64_MAX.
  uint64_t deadline() const;

  // Serializes a ready client and frees its mbedTLS context (false when mbedTLS refuses).
  bool suspend();
  bool resume();
  bool suspended() const { return !saved_.empty(); }
  size_t saved_size() const { return saved_.size(); }

 private:
  void setup_context();
  void advance();
  void read_all();
  static int bio_send(void* self, const unsigned char* data, size_t size);
  static int bio_receive(void* self, unsigned char* data, size_t size);
  static void timer_set(void* self, uint32_t intermediate_ms, uint32_t final_ms);
  static int timer_get(void* self);
  static int entropy(void* self, unsigned char* out, size_t size);

  std::string identity_;
  Datagram key_;
  std::vector<int> suites_;
  uint64_t seed_;
  State state_ = State::closed;
  int last_error_ = 0;
  uint64_t now_ms_ = 0;
  uint64_t timer_start_ms_ = 0;
  uint32_t timer_intermediate_ms_ = 0;
  uint32_t timer_final_ms_ = 0;
  Bytes in_;
  std::vector<Datagram> outbox_;
  std::vector<Datagram> received_;
  Datagram saved_;
  bool live_ = false;
  mbedtls_ssl_context ssl_;
  mbedtls_ssl_config conf_;
  mbedtls_ctr_drbg_context drbg_;
};

}  // namespace tl::server::dtls
