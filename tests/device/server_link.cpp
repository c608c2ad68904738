#include "server_link.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

namespace tl::device::test {
namespace {

void check(int rc, const char* what) {
  if (rc != 0) throw std::runtime_error(std::string(what) + " failed: " + std::to_string(rc));
}

int ms_left(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return int(std::clamp<long long>(left, 0, 50));
}

const unsigned char* bytes(const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

UdpLink::UdpLink() : fd_(socket(AF_INET, SOCK_DGRAM, 0)) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&a), len) != 0 ||
      getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    throw std::runtime_error("cannot bind a UDP socket on 127.0.0.1");
  }
  port_ = ntohs(a.sin_port);
}

UdpLink::~UdpLink() {
  if (fd_ >= 0) close(fd_);
}

Datagram UdpLink::receive(Clock::time_point deadline) {
  while (Clock::now() < deadline) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, ms_left(deadline)) <= 0) continue;
    Datagram d(2048);
    socklen_t len = sizeof peer_;
    const ssize_t n = recvfrom(fd_, d.data(), d.size(), 0, reinterpret_cast<sockaddr*>(&peer_), &len);
    if (n <= 0) continue;
    d.resize(size_t(n));
    return d;
  }
  return {};
}

void UdpLink::send(const Datagram& d) {
  sendto(fd_, d.data(), d.size(), 0, reinterpret_cast<const sockaddr*>(&peer_), sizeof peer_);
}

DtlsLink::DtlsLink(const std::string& identity, const std::string& key) : identity_(identity), key_(key) {
  mbedtls_entropy_init(&entropy_);
  mbedtls_ctr_drbg_init(&drbg_);
  mbedtls_ssl_cookie_init(&cookies_);
  mbedtls_ssl_config_init(&conf_);
  mbedtls_ssl_init(&ssl_);
  mbedtls_net_init(&listen_);
  mbedtls_net_init(&client_);
  check(mbedtls_ctr_drbg_seed(&drbg_, mbedtls_entropy_func, &entropy_, nullptr, 0), "ctr_drbg_seed");
  check(mbedtls_ssl_config_defaults(&conf_, MBEDTLS_SSL_IS_SERVER, MBEDTLS_SSL_TRANSPORT_DATAGRAM,
                                    MBEDTLS_SSL_PRESET_DEFAULT),
        "ssl_config_defaults");
  mbedtls_ssl_conf_rng(&conf_, mbedtls_ctr_drbg_random, &drbg_);
  check(mbedtls_ssl_conf_psk(&conf_, bytes(key_), key_.size(), bytes(identity_), identity_.size()), "ssl_conf_psk");
  check(mbedtls_ssl_cookie_setup(&cookies_, mbedtls_ctr_drbg_random, &drbg_), "ssl_cookie_setup");
  mbedtls_ssl_conf_dtls_cookies(&conf_, mbedtls_ssl_cookie_write, mbedtls_ssl_cookie_check, &cookies_);
  check(mbedtls_ssl_setup(&ssl_, &conf_), "ssl_setup");
  mbedtls_ssl_set_timer_cb(&ssl_, &timer_, mbedtls_timing_set_delay, mbedtls_timing_get_delay);
  check(mbedtls_net_bind(&listen_, "127.0.0.1", "0", MBEDTLS_NET_PROTO_UDP), "net_bind");
  sockaddr_in local{};
  socklen_t len = sizeof local;
  check(getsockname(listen_.fd, reinterpret_cast<sockaddr*>(&local), &len), "getsockname");
  port_ = ntohs(local.sin_port);
}

DtlsLink::~DtlsLink() {
  if (connected_) mbedtls_ssl_close_notify(&ssl_);
  mbedtls_net_free(&client_);
  mbedtls_net_free(&listen_);
  mbedtls_ssl_free(&ssl_);
  mbedtls_ssl_config_free(&conf_);
  mbedtls_ssl_cookie_free(&cookies_);
  mbedtls_ctr_drbg_free(&drbg_);
  mbedtls_entropy_free(&entropy_);
}

template <class Step>
int DtlsLink::until_done(Clock::time_point deadline, Step step) {
  for (;;) {
    const int rc = step();
    if (rc != MBEDTLS_ERR_SSL_WANT_READ && rc != MBEDTLS_ERR_SSL_WANT_WRITE) return rc;
    if (Clock::now() >= deadline) return MBEDTLS_ERR_SSL_TIMEOUT;
    mbedtls_net_poll(&client_, MBEDTLS_NET_POLL_READ, uint32_t(ms_left(deadline)));
  }
}

// A handshake with a cookie exchange: the first ClientHello gets a HelloVerifyRequest, the
// second (on the rebound listening socket) completes.
bool DtlsLink::accept(Clock::time_point deadline) {
  while (Clock::now() < deadline) {
    if (mbedtls_net_poll(&listen_, MBEDTLS_NET_POLL_READ, uint32_t(ms_left(deadline))) <= 0) continue;
    unsigned char ip[16];
    size_t ip_len = 0;
    if (mbedtls_net_accept(&listen_, &client_, ip, sizeof ip, &ip_len) != 0) continue;
    mbedtls_ssl_session_reset(&ssl_);
    mbedtls_ssl_set_client_transport_id(&ssl_, ip, ip_len);
    mbedtls_net_set_nonblock(&client_);
    mbedtls_ssl_set_bio(&ssl_, &client_, mbedtls_net_send, mbedtls_net_recv, nullptr);
    if (until_done(deadline, [this] { return mbedtls_ssl_handshake(&ssl_); }) == 0) {
      ++handshakes_;
      return connected_ = true;
    }
    // Closed at once: while this socket, connected to the client, exists the kernel would hand
    // it the client's second ClientHello instead of the listening socket.
    mbedtls_net_free(&client_);
  }
  return false;
}

Datagram DtlsLink::receive(Clock::time_point deadline) {
  if (!connected_ && !accept(deadline)) return {};
  Datagram d(2048);
  const int n = until_done(deadline, [&] { return mbedtls_ssl_read(&ssl_, d.data(), d.size()); });
  if (n <= 0) return {};
  d.resize(size_t(n));
  return d;
}

void DtlsLink::send(const Datagram& d) {
  if (connected_) mbedtls_ssl_write(&ssl_, d.data(), d.size());
}

}  // namespace tl::device::test
