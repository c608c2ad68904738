// Test helper: an mbedTLS DTLS 1.2 PSK server on 127.0.0.1 (ephemeral port) in its own thread,
// with HelloVerifyRequest cookies, that echoes every datagram of one client session at a time.
#pragma once
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_cookie.h>
#include <mbedtls/timing.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

namespace tl::dtls::test {

class EchoServer {
 public:
  // `ciphersuite`: the one suite the server accepts (an MBEDTLS_TLS_PSK_* id), or 0 for both of
  // LwM2M's PSK suites. Throws std::runtime_error when mbedTLS cannot be set up.
  EchoServer(const std::string& identity, const std::string& key, int ciphersuite = 0);
  ~EchoServer();  // stops and joins the thread within ~100 ms
  EchoServer(const EchoServer&) = delete;
  EchoServer& operator=(const EchoServer&) = delete;

  uint16_t port() const { return port_; }
  // Handshakes completed so far.
  int sessions() const { return sessions_.load(); }

 private:
  void run();
  void serve(const unsigned char* client_ip, size_t client_ip_len);
  // Repeats `step` (a handshake or read step) while it wants data, waiting for the socket.
  template <class Step>
  int until_done(Step step);

  std::array<int, 3> suites_{};
  mbedtls_entropy_context entropy_;
  mbedtls_ctr_drbg_context drbg_;
  mbedtls_ssl_cookie_ctx cookies_;
  mbedtls_ssl_config conf_;
  mbedtls_ssl_context ssl_;
  mbedtls_timing_delay_context timer_;
  mbedtls_net_context listen_;
  mbedtls_net_context client_;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> sessions_{0};
  std::thread thread_;
};

}  // namespace tl::dtls::test
