// The scripted server's side of the wire on 127.0.0.1 (ephemeral port): plain UDP, or an
// mbedTLS DTLS 1.2 PSK server (cookies on) for one client session. Driven from the test's
// thread: receive() waits at most its timeout, so every test is bounded in time.
#pragma once
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_cookie.h>
#include <mbedtls/timing.h>
#include <netinet/in.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace tl::device::test {

using Datagram = std::vector<uint8_t>;
using Clock = std::chrono::steady_clock;

class ServerLink {
 public:
  virtual ~ServerLink() = default;
  virtual uint16_t port() const = 0;
  // One datagram (decrypted), or empty when none came before `deadline`.
  virtual Datagram receive(Clock::time_point deadline) = 0;
  // To the client that sent the last datagram.
  virtual void send(const Datagram& d) = 0;
};

class UdpLink final : public ServerLink {
 public:
  UdpLink();  // throws std::runtime_error when no socket can be bound
  ~UdpLink() override;
  uint16_t port() const override { return port_; }
  Datagram receive(Clock::time_point deadline) override;
  void send(const Datagram& d) override;

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
  sockaddr_in peer_{};
};

class DtlsLink final : public ServerLink {
 public:
  DtlsLink(const std::string& identity, const std::string& key);  // throws std::runtime_error
  ~DtlsLink() override;
  uint16_t port() const override { return port_; }
  Datagram receive(Clock::time_point deadline) override;
  void send(const Datagram& d) override;
  int handshakes() const { return handshakes_; }

 private:
  bool accept(Clock::time_point deadline);
  // Repeats `step` while mbedTLS wants data, until `deadline`; MBEDTLS_ERR_SSL_TIMEOUT then.
  template <class Step>
  int until_done(Clock::time_point deadline, Step step);

  std::string identity_, key_;
  mbedtls_entropy_context entropy_;
  mbedtls_ctr_drbg_context drbg_;
  mbedtls_ssl_cookie_ctx cookies_;
  mbedtls_ssl_config conf_;
  mbedtls_ssl_context ssl_;
  mbedtls_timing_delay_context timer_;
  mbedtls_net_context listen_;
  mbedtls_net_context client_;
  uint16_t port_ = 0;
  bool connected_ = false;
  int handshakes_ = 0;
};

}  // namespace tl::device::test
