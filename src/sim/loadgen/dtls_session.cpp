#include "sim/loadgen/dtls_session.hpp"

#include <mbedtls/net_sockets.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "sim/loadgen/clock.hpp"

namespace tl::sim::loadgen {

namespace {

// LwM2M's mandatory PSK suite for constrained links; static storage: mbedTLS keeps the pointer.
const int kCiphersuites[] = {MBEDTLS_TLS_PSK_WITH_AES_128_CCM_8, 0};

// Source ports of DTLS endpoints against a loopback server: below Linux's ephemeral range
// (32768-60999), so that they do not collide with other programs' ephemeral ports.
constexpr uint32_t kSourcePorts = 16384;
constexpr uint32_t kFirstSourcePort = 12000;

uint64_t now_ms() { return now_us() / 1000; }

int bio_send(void* ctx, const unsigned char* data, size_t size) {
  auto* s = static_cast<DtlsNet::Session*>(ctx);
  const ssize_t n = ::send(s->socket.fd(), data, size, MSG_DONTWAIT);
  if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK ? MBEDTLS_ERR_SSL_WANT_WRITE : MBEDTLS_ERR_NET_SEND_FAILED;
  ++*s->sent;
  return static_cast<int>(n);
}

// Nothing waiting, an ICMP error from a server not listening yet (the handshake retries), or an
// empty datagram (mbedTLS would read it as the end of the connection): all "nothing yet".
int bio_receive(void* ctx, unsigned char* data, size_t size) {
  auto* s = static_cast<DtlsNet::Session*>(ctx);
  const ssize_t n = ::recv(s->socket.fd(), data, size, MSG_DONTWAIT);
  if (n <= 0) return MBEDTLS_ERR_SSL_WANT_READ;
  ++*s->received;
  return static_cast<int>(n);
}

void timer_set(void* ctx, uint32_t intermediate_ms, uint32_t final_ms) {
  auto* s = static_cast<DtlsNet::Session*>(ctx);
  s->timer_start_ms = now_ms();
  s->timer_intermediate_ms = intermediate_ms;
  s->timer_final_ms = final_ms;
}

// mbedTLS's contract: -1 stopped, 0 no delay passed, 1 the intermediate one, 2 the final one.
int timer_get(void* ctx) {
  auto* s = static_cast<DtlsNet::Session*>(ctx);
  if (s->timer_final_ms == 0) return -1;
  const uint64_t elapsed = now_ms() - s->timer_start_ms;
  if (elapsed >= s->timer_final_ms) return 2;
  return elapsed >= s->timer_intermediate_ms ? 1 : 0;
}

std::string mbedtls_error(const char* what, int rc) { return std::string(what) + " failed: mbedTLS error " + std::to_string(rc); }

// Endpoint `index`'s local address (see Session::open).
sockaddr_in source_of(const sockaddr_in& server, uint32_t index) {
  sockaddr_in local{};
  local.sin_family = AF_INET;
  local.sin_addr = server.sin_addr;
  if ((ntohl(server.sin_addr.s_addr) >> 24) != 127) return local;  // any port of the server's address
  // 127.1.0.0/16 and up (all loopback on Linux), kSourcePorts fixed ports below the ephemeral
  // range on each: distinct for 16384 x 65535 endpoints.
  const uint32_t block = index / kSourcePorts + 1;
  local.sin_addr.s_addr = htonl((127u << 24) | (1u << 16) | (block & 0xFFFFu));
  local.sin_port = htons(static_cast<uint16_t>(kFirstSourcePort + index % kSourcePorts));
  return local;
}

}  // namespace

DtlsNet::Session::Session() {
  mbedtls_ssl_init(&ssl);
  mbedtls_ssl_config_init(&conf);
}

DtlsNet::Session::~Session() {
  mbedtls_ssl_free(&ssl);
  mbedtls_ssl_config_free(&conf);
}

std::string DtlsNet::Session::open(const DtlsConfig& config, uint32_t index, const std::string& identity,
                                   mbedtls_ctr_drbg_context& drbg) {
  sockaddr_in local = source_of(config.server, index);
  int opened = socket.open(local);
  if (opened == EADDRINUSE && local.sin_port != 0) {  // someone else holds that port: any other
    local.sin_port = 0;
    opened = socket.open(local);
  }
  if (const int e = opened; e != 0) {
    return std::string("opening a UDP socket: ") + std::strerror(e) +
           " (raise `ulimit -n`; notify keeps a socket per DTLS device, so pass fewer --devices)";
  }
  if (const int e = socket.connect(config.server); e != 0) return std::string("connect: ") + std::strerror(e);
  int rc = mbedtls_ssl_config_defaults(&conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_DATAGRAM,
                                       MBEDTLS_SSL_PRESET_DEFAULT);
  if (rc != 0) return mbedtls_error("mbedtls_ssl_config_defaults", rc);
  mbedtls_ssl_conf_rng(&conf, mbedtls_ctr_drbg_random, &drbg);
  mbedtls_ssl_conf_ciphersuites(&conf, kCiphersuites);
  mbedtls_ssl_conf_min_version(&conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
  mbedtls_ssl_conf_max_version(&conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
  mbedtls_ssl_conf_handshake_timeout(&conf, config.handshake_min_ms, config.handshake_max_ms);
  rc = mbedtls_ssl_conf_psk(&conf, config.key.data(), config.key.size(),
                            reinterpret_cast<const unsigned char*>(identity.data()), identity.size());
  if (rc != 0) return mbedtls_error("mbedtls_ssl_conf_psk", rc);
  rc = mbedtls_ssl_setup(&ssl, &conf);
  if (rc != 0) return mbedtls_error("mbedtls_ssl_setup", rc);
  mbedtls_ssl_set_bio(&ssl, this, bio_send, bio_receive, nullptr);
  mbedtls_ssl_set_timer_cb(&ssl, this, timer_set, timer_get);
  return {};
}

}  // namespace tl::sim::loadgen
