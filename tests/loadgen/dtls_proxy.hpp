// A DTLS 1.2 PSK front for the stub server, for the load generator's DTLS tests: terminates each
// client's DTLS session (mbedTLS server contexts, cookies on, identities PREFIX<i>, one key) and
// relays the plaintext datagrams to the stub over a UDP socket per client, so the stub sees one
// address per device, as the real server's DTLS layer would.
#pragma once
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_cookie.h>
#include <netinet/in.h>

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace tl::sim::loadgen::test {

class DtlsProxy {
 public:
  DtlsProxy(const sockaddr_in& upstream, std::string identity_prefix, std::vector<uint8_t> key);
  ~DtlsProxy();
  sockaddr_in address() const;
  std::atomic<uint64_t> handshakes{0};  // completed
  std::atomic<uint64_t> sessions{0};    // currently held

  struct Session;

 private:
  void run();
  void on_datagram(const sockaddr_in& from, const uint8_t* data, size_t size);
  void step(Session& s);
  void relay_down(Session& s);
  static int psk(void* self, mbedtls_ssl_context* ssl, const unsigned char* identity, size_t size);

  sockaddr_in upstream_;
  std::string prefix_;
  std::vector<uint8_t> key_;
  int fd_ = -1;
  uint16_t port_ = 0;
  std::map<uint64_t, std::unique_ptr<Session>> sessions_;  // by address << 16 | port
  mbedtls_entropy_context entropy_;
  mbedtls_ctr_drbg_context drbg_;
  mbedtls_ssl_cookie_ctx cookies_;
  mbedtls_ssl_config conf_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace tl::sim::loadgen::test
