#include "echo_server.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <stdexcept>

namespace tl::dtls::test {

namespace {

void check(int rc, const char* what) {
  if (rc != 0) throw std::runtime_error(std::string(what) + " failed: " + std::to_string(rc));
}

const unsigned char* bytes(const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

EchoServer::EchoServer(const std::string& identity, const std::string& key, int ciphersuite) {
  suites_ = ciphersuite != 0
                ? std::array<int, 3>{ciphersuite, 0, 0}
                : std::array<int, 3>{MBEDTLS_TLS_PSK_WITH_AES_128_CCM_8, MBEDTLS_TLS_PSK_WITH_AES_128_CBC_SHA256, 0};
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
  mbedtls_ssl_conf_ciphersuites(&conf_, suites_.data());
  mbedtls_ssl_conf_handshake_timeout(&conf_, 200, 1600);
  check(mbedtls_ssl_conf_psk(&conf_, bytes(key), key.size(), bytes(identity), identity.size()), "ssl_conf_psk");
  check(mbedtls_ssl_cookie_setup(&cookies_, mbedtls_ctr_drbg_random, &drbg_), "ssl_cookie_setup");
  mbedtls_ssl_conf_dtls_cookies(&conf_, mbedtls_ssl_cookie_write, mbedtls_ssl_cookie_check, &cookies_);
  check(mbedtls_ssl_setup(&ssl_, &conf_), "ssl_setup");
  mbedtls_ssl_set_timer_cb(&ssl_, &timer_, mbedtls_timing_set_delay, mbedtls_timing_get_delay);

  check(mbedtls_net_bind(&listen_, "127.0.0.1", "0", MBEDTLS_NET_PROTO_UDP), "net_bind");
  sockaddr_in local{};
  socklen_t len = sizeof local;
  check(getsockname(listen_.fd, reinterpret_cast<sockaddr*>(&local), &len), "getsockname");
  port_ = ntohs(local.sin_port);
  thread_ = std::thread([this] { run(); });
}

EchoServer::~EchoServer() {
  stop_ = true;
  thread_.join();
  mbedtls_net_free(&client_);
  mbedtls_net_free(&listen_);
  mbedtls_ssl_free(&ssl_);
  mbedtls_ssl_config_free(&conf_);
  mbedtls_ssl_cookie_free(&cookies_);
  mbedtls_ctr_drbg_free(&drbg_);
  mbedtls_entropy_free(&entropy_);
}

void EchoServer::run() {
  while (!stop_) {
    if (mbedtls_net_poll(&listen_, MBEDTLS_NET_POLL_READ, 20) <= 0) continue;
    // For UDP, accept connects the listening socket to the sender and hands it over as client_,
    // then binds a new listening socket to the same port.
    unsigned char ip[16];
    size_t ip_len = 0;
    if (mbedtls_net_accept(&listen_, &client_, ip, sizeof ip, &ip_len) == 0) serve(ip, ip_len);
    mbedtls_net_free(&client_);
  }
}

template <class Step>
int EchoServer::until_done(Step step) {
  for (;;) {
    const int rc = step();
    if ((rc != MBEDTLS_ERR_SSL_WANT_READ && rc != MBEDTLS_ERR_SSL_WANT_WRITE) || stop_) return rc;
    mbedtls_net_poll(&client_, MBEDTLS_NET_POLL_READ, 20);
  }
}

void EchoServer::serve(const unsigned char* client_ip, size_t client_ip_len) {
  mbedtls_ssl_session_reset(&ssl_);
  mbedtls_ssl_set_client_transport_id(&ssl_, client_ip, client_ip_len);
  // Non-blocking, so that the thread notices stop_ within one poll interval.
  mbedtls_net_set_nonblock(&client_);
  mbedtls_ssl_set_bio(&ssl_, &client_, mbedtls_net_send, mbedtls_net_recv, nullptr);
  // HELLO_VERIFY_REQUIRED: the cookie went out; the client's second ClientHello arrives on the
  // new listening socket and starts a fresh serve().
  if (until_done([this] { return mbedtls_ssl_handshake(&ssl_); }) != 0) return;
  ++sessions_;
  unsigned char buf[2048];
  for (;;) {
    const int n = until_done([&] { return mbedtls_ssl_read(&ssl_, buf, sizeof buf); });
    if (n < 0 || stop_) break;  // close_notify, an alert, or the test is over
    mbedtls_ssl_write(&ssl_, buf, static_cast<size_t>(n));
  }
  if (stop_) mbedtls_ssl_close_notify(&ssl_);
}

}  // namespace tl::dtls::test
