#include "dtls_proxy.hpp"

#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

namespace tl::sim::loadgen::test {

namespace {

const int kCiphersuites[] = {MBEDTLS_TLS_PSK_WITH_AES_128_CCM_8, 0};

uint64_t ms_now() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

uint64_t key_of(const sockaddr_in& a) { return (uint64_t{a.sin_addr.s_addr} << 16) | a.sin_port; }

}  // namespace

struct DtlsProxy::Session {
  DtlsProxy* proxy = nullptr;
  sockaddr_in peer{};
  int upstream = -1;  // connected to the stub
  std::deque<std::vector<uint8_t>> inbox;
  mbedtls_ssl_context ssl;
  uint64_t timer_start = 0;
  uint32_t timer_intermediate = 0;
  uint32_t timer_final = 0;
  bool ready = false;
  bool dead = false;

  Session() { mbedtls_ssl_init(&ssl); }
  ~Session() {
    mbedtls_ssl_free(&ssl);
    if (upstream >= 0) ::close(upstream);
  }

  static int send(void* ctx, const unsigned char* data, size_t size) {
    auto* s = static_cast<Session*>(ctx);
    ::sendto(s->proxy->fd_, data, size, 0, reinterpret_cast<const sockaddr*>(&s->peer), sizeof s->peer);
    return static_cast<int>(size);
  }
  static int receive(void* ctx, unsigned char* data, size_t size) {
    auto* s = static_cast<Session*>(ctx);
    if (s->inbox.empty()) return MBEDTLS_ERR_SSL_WANT_READ;
    const std::vector<uint8_t> d = std::move(s->inbox.front());
    s->inbox.pop_front();
    if (d.size() > size) return MBEDTLS_ERR_SSL_WANT_READ;
    std::copy(d.begin(), d.end(), data);
    return static_cast<int>(d.size());
  }
  static void set_timer(void* ctx, uint32_t intermediate, uint32_t final_ms) {
    auto* s = static_cast<Session*>(ctx);
    s->timer_start = ms_now();
    s->timer_intermediate = intermediate;
    s->timer_final = final_ms;
  }
  static int get_timer(void* ctx) {
    auto* s = static_cast<Session*>(ctx);
    if (s->timer_final == 0) return -1;
    const uint64_t elapsed = ms_now() - s->timer_start;
    return elapsed >= s->timer_final ? 2 : elapsed >= s->timer_intermediate ? 1 : 0;
  }
  void set_transport_id() {
    mbedtls_ssl_set_client_transport_id(&ssl, reinterpret_cast<const unsigned char*>(&peer), sizeof peer);
  }
};

DtlsProxy::DtlsProxy(const sockaddr_in& upstream, std::string identity_prefix, std::vector<uint8_t> key)
    : upstream_(upstream), prefix_(std::move(identity_prefix)), key_(std::move(key)) {
  mbedtls_entropy_init(&entropy_);
  mbedtls_ctr_drbg_init(&drbg_);
  mbedtls_ssl_cookie_init(&cookies_);
  mbedtls_ssl_config_init(&conf_);
  int rc = mbedtls_ctr_drbg_seed(&drbg_, mbedtls_entropy_func, &entropy_, nullptr, 0);
  if (rc == 0) rc = mbedtls_ssl_cookie_setup(&cookies_, mbedtls_ctr_drbg_random, &drbg_);
  if (rc == 0) {
    rc = mbedtls_ssl_config_defaults(&conf_, MBEDTLS_SSL_IS_SERVER, MBEDTLS_SSL_TRANSPORT_DATAGRAM,
                                     MBEDTLS_SSL_PRESET_DEFAULT);
  }
  if (rc != 0) throw std::runtime_error("dtls proxy: mbedTLS setup");
  mbedtls_ssl_conf_rng(&conf_, mbedtls_ctr_drbg_random, &drbg_);
  mbedtls_ssl_conf_ciphersuites(&conf_, kCiphersuites);
  mbedtls_ssl_conf_dtls_cookies(&conf_, mbedtls_ssl_cookie_write, mbedtls_ssl_cookie_check, &cookies_);
  mbedtls_ssl_conf_psk_cb(&conf_, &DtlsProxy::psk, this);

  fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw std::runtime_error("dtls proxy: bind");
  socklen_t len = sizeof a;
  getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
  port_ = ntohs(a.sin_port);
  thread_ = std::thread([this] { run(); });
}

DtlsProxy::~DtlsProxy() {
  stop_ = true;
  thread_.join();
  sessions_.clear();
  ::close(fd_);
  mbedtls_ssl_config_free(&conf_);
  mbedtls_ssl_cookie_free(&cookies_);
  mbedtls_ctr_drbg_free(&drbg_);
  mbedtls_entropy_free(&entropy_);
}

sockaddr_in DtlsProxy::address() const {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port_);
  return a;
}

int DtlsProxy::psk(void* self, mbedtls_ssl_context* ssl, const unsigned char* identity, size_t size) {
  auto* p = static_cast<DtlsProxy*>(self);
  const std::string id(reinterpret_cast<const char*>(identity), size);
  if (id.rfind(p->prefix_, 0) != 0) return -1;  // unknown identity: the handshake fails
  return mbedtls_ssl_set_hs_psk(ssl, p->key_.data(), p->key_.size());
}

void DtlsProxy::on_datagram(const sockaddr_in& from, const uint8_t* data, size_t size) {
  std::unique_ptr<Session>& slot = sessions_[key_of(from)];
  if (!slot) {
    slot = std::make_unique<Session>();
    slot->proxy = this;
    slot->peer = from;
    mbedtls_ssl_setup(&slot->ssl, &conf_);
    mbedtls_ssl_set_bio(&slot->ssl, slot.get(), &Session::send, &Session::receive, nullptr);
    mbedtls_ssl_set_timer_cb(&slot->ssl, slot.get(), &Session::set_timer, &Session::get_timer);
    slot->set_transport_id();
    slot->upstream = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    ::connect(slot->upstream, reinterpret_cast<const sockaddr*>(&upstream_), sizeof upstream_);
    ++sessions;
  }
  slot->inbox.emplace_back(data, data + size);
  step(*slot);
}

void DtlsProxy::step(Session& s) {
  if (!s.ready) {
    const int rc = mbedtls_ssl_handshake(&s.ssl);
    if (rc == MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED) {
      // The cookie went out; the ClientHello that carries it starts the handshake afresh.
      mbedtls_ssl_session_reset(&s.ssl);
      s.set_transport_id();
      return;
    }
    if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE) return;
    if (rc != 0) {
      s.dead = true;
      return;
    }
    s.ready = true;
    ++handshakes;
  }
  unsigned char buf[1500];
  for (;;) {
    const int rc = mbedtls_ssl_read(&s.ssl, buf, sizeof buf);
    if (rc > 0) {
      ::send(s.upstream, buf, static_cast<size_t>(rc), 0);
      continue;
    }
    if (rc != MBEDTLS_ERR_SSL_WANT_READ && rc != MBEDTLS_ERR_SSL_WANT_WRITE) s.dead = true;
    break;
  }
}

void DtlsProxy::relay_down(Session& s) {
  unsigned char buf[1500];
  for (;;) {
    const ssize_t n = ::recv(s.upstream, buf, sizeof buf, MSG_DONTWAIT);
    if (n <= 0) break;
    if (s.ready) mbedtls_ssl_write(&s.ssl, buf, static_cast<size_t>(n));
  }
}

void DtlsProxy::run() {
  unsigned char buf[1500];
  while (!stop_) {
    std::vector<pollfd> fds{{fd_, POLLIN, 0}};
    std::vector<Session*> owners{nullptr};
    for (auto& [key, s] : sessions_) {
      fds.push_back({s->upstream, POLLIN, 0});
      owners.push_back(s.get());
    }
    if (::poll(fds.data(), fds.size(), 10) < 0) continue;
    if (fds[0].revents & POLLIN) {
      sockaddr_in from{};
      socklen_t len = sizeof from;
      const ssize_t n = ::recvfrom(fd_, buf, sizeof buf, MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&from), &len);
      if (n > 0) on_datagram(from, buf, static_cast<size_t>(n));
    }
    for (size_t i = 1; i < fds.size(); ++i) {
      if (fds[i].revents & POLLIN) relay_down(*owners[i]);
    }
    for (auto it = sessions_.begin(); it != sessions_.end();) {
      Session& s = *it->second;
      if (!s.ready && !s.dead && Session::get_timer(&s) == 2) step(s);
      if (s.dead) {
        --sessions;
        it = sessions_.erase(it);
      } else {
        ++it;
      }
    }
  }
}

}  // namespace tl::sim::loadgen::test
