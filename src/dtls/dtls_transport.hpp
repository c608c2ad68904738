// Security mode PSK: DTLS 1.2 (RFC 6347) client with the LwM2M mandatory PSK cipher suites
// (TLS_PSK_WITH_AES_128_CCM_8, TLS_PSK_WITH_AES_128_CBC_SHA256), all cryptography by mbedTLS.
//
// Portable: it reaches the outside world only through the Platform interface: datagrams through
// the platform's socket (mbedTLS BIO callbacks), retransmission timers on Platform::monotonic_ms,
// the random generator (CTR_DRBG) seeded from Platform::random32.
#pragma once
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ssl.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "client/transport.hpp"

namespace tl::dtls {

using client::Bytes;
using client::Error;
using client::MutableBytes;
using client::Result;

struct DtlsConfig {
  // Handshake retransmission timeout: starts at min, doubles per retransmission; the handshake
  // fails once it would exceed max (RFC 6347 4.2.4.1 suggests 1 s and 60 s).
  uint32_t handshake_min_ms = 1000;
  uint32_t handshake_max_ms = 60000;
};

class DtlsTransport final : public client::Transport {
 public:
  explicit DtlsTransport(client::Platform& platform, DtlsConfig config = {});
  ~DtlsTransport();
  // mbedTLS keeps pointers to this object (callbacks), so it stays where it was made.
  DtlsTransport(const DtlsTransport&) = delete;
  DtlsTransport& operator=(const DtlsTransport&) = delete;

  // SecurityMode::psk only (else Error::unsupported). Errors: malformed (empty identity or key),
  // unsupported (a key longer than mbedTLS's MBEDTLS_PSK_MAX_LEN, 32 bytes in Debian's build),
  // and those of Platform::open_udp. Sends the ClientHello; state() is then connecting. Identity
  // and key are copied. Reopening closes the previous session first.
  Error open(std::string_view host, uint16_t port, const client::Credentials& credentials) override;
  // Advances the handshake (state() becomes ready or failed); returns the retransmission
  // deadline while connecting, else UINT64_MAX.
  uint64_t poll(uint64_t now_ms) override;
  State state() const override { return state_; }
  // One record per datagram. Errors: end (not ready), buffer_too_small (longer than a record
  // may carry), unsupported (mbedTLS failed: state() is then failed).
  Error send(Bytes datagram) override;
  // One decrypted datagram, or end when none waits (or the session is not ready, or the peer
  // closed it: state() then tells). A datagram longer than `buffer` is dropped:
  // buffer_too_small.
  Result<size_t> receive(MutableBytes buffer) override;
  // Sends close_notify when the session is up, then forgets it and closes the socket.
  void close() override;

  // The platform socket to wait on (kNoSocket when closed).
  client::SocketId socket() const { return socket_; }
  // The negotiated cipher suite's IANA name, "" before the handshake completed.
  const char* ciphersuite() const;
  // The last mbedTLS error code (negative), 0 when none: for logs (mbedtls_strerror).
  int last_error() const { return last_error_; }

 private:
  Error configure(const client::Credentials& credentials);
  void reset_contexts();
  void fail(int mbedtls_error);

  // mbedTLS callbacks (dtls_glue.cpp); `self` is this transport.
  static int bio_send(void* self, const unsigned char* data, size_t size);
  static int bio_receive(void* self, unsigned char* data, size_t size);
  static void timer_set(void* self, uint32_t intermediate_ms, uint32_t final_ms);
  static int timer_get(void* self);
  static int entropy(void* self, unsigned char* out, size_t size);

  // The retransmission timer mbedTLS asks for; final_ms == 0 means stopped.
  struct Timer {
    uint64_t start_ms = 0;
    uint32_t intermediate_ms = 0;
    uint32_t final_ms = 0;
  };

  client::Platform& platform_;
  DtlsConfig config_;
  client::SocketId socket_ = client::kNoSocket;
  State state_ = State::closed;
  int last_error_ = 0;
  Timer timer_;
  mbedtls_ssl_context ssl_;
  mbedtls_ssl_config conf_;
  mbedtls_ctr_drbg_context drbg_;
};

}  // namespace tl::dtls
