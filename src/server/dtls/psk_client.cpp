#include "server/dtls/psk_client.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace tl::server::dtls {
namespace {

void check(int rc, const char* what) {
  if (rc != 0) throw std::runtime_error(std::string("psk client: ") + what + " failed: " + std::to_string(rc));
}

}  // namespace

PskClient::PskClient(std::string identity, Datagram key, Options options)
    : identity_(std::move(identity)), key_(std::move(key)), suites_(std::move(options.suites)), seed_(options.seed) {
  if (suites_.empty()) suites_ = {MBEDTLS_TLS_PSK_WITH_AES_128_CCM_8, MBEDTLS_TLS_PSK_WITH_AES_128_CBC_SHA256};
  suites_.push_back(0);
  mbedtls_ctr_drbg_init(&drbg_);
  mbedtls_ssl_config_init(&conf_);
  check(mbedtls_ctr_drbg_seed(&drbg_, entropy, this, nullptr, 0), "ctr_drbg_seed");
  check(mbedtls_ssl_config_defaults(&conf_, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_DATAGRAM,
                                    MBEDTLS_SSL_PRESET_DEFAULT),
        "ssl_config_defaults");
  mbedtls_ssl_conf_rng(&conf_, mbedtls_ctr_drbg_random, &drbg_);
  mbedtls_ssl_conf_ciphersuites(&conf_, suites_.data());
  mbedtls_ssl_conf_handshake_timeout(&conf_, options.handshake_min_ms, options.handshake_max_ms);
  check(mbedtls_ssl_conf_psk(&conf_, key_.data(), key_.size(), reinterpret_cast<const unsigned char*>(identity_.data()),
                             identity_.size()),
        "ssl_conf_psk");
  setup_context();
}

PskClient::~PskClient() {
  if (live_) mbedtls_ssl_free(&ssl_);
  mbedtls_ssl_config_free(&conf_);
  mbedtls_ctr_drbg_free(&drbg_);
}

void PskClient::setup_context() {
  mbedtls_ssl_init(&ssl_);
  check(mbedtls_ssl_setup(&ssl_, &conf_), "ssl_setup");
  mbedtls_ssl_set_bio(&ssl_, this, bio_send, bio_receive, nullptr);
  mbedtls_ssl_set_timer_cb(&ssl_, this, timer_set, timer_get);
  live_ = true;
}

PskClient::State PskClient::step(uint64_t now_ms) {
  now_ms_ = std::max(now_ms_, now_ms);
  if (state_ == State::closed && live_) state_ = State::connecting;
  if (state_ == State::connecting) advance();
  return state_;
}

PskClient::State PskClient::deliver(Bytes datagram, uint64_t now_ms) {
  now_ms_ = std::max(now_ms_, now_ms);
  if (!live_ && !resume()) return state_;
  in_ = datagram;
  if (state_ == State::connecting) {
    advance();
  } else if (state_ == State::ready) {
    read_all();
  }
  in_ = {};
  return state_;
}

void PskClient::advance() {
  const int rc = mbedtls_ssl_handshake(&ssl_);
  if (rc == 0) {
    state_ = State::ready;
    read_all();
  } else if (rc != MBEDTLS_ERR_SSL_WANT_READ && rc != MBEDTLS_ERR_SSL_WANT_WRITE) {
    last_error_ = rc;
    state_ = State::failed;
  }
}

void PskClient::read_all() {
  unsigned char buf[2048];
  for (;;) {
    const int n = mbedtls_ssl_read(&ssl_, buf, sizeof buf);
    if (n > 0) {
      received_.emplace_back(buf, buf + n);
    } else if (n == MBEDTLS_ERR_SSL_WANT_READ || n == MBEDTLS_ERR_SSL_WANT_WRITE) {
      return;
    } else if (n < 0) {
      last_error_ = n;
      state_ = n == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY ? State::closed : State::failed;
      return;
    }  // n == 0: an empty record, nothing to hand out
  }
}

bool PskClient::send(Bytes plaintext) {
  if (!live_ && !resume()) return false;
  if (state_ != State::ready) return false;
  const int rc = mbedtls_ssl_write(&ssl_, plaintext.data(), plaintext.size());
  if (rc >= 0 && size_t(rc) == plaintext.size()) return true;
  last_error_ = rc;
  return false;
}

bool PskClient::close_notify() {
  if (!live_ && !resume()) return false;
  if (state_ != State::ready) return false;
  mbedtls_ssl_close_notify(&ssl_);
  state_ = State::closed;
  return true;
}

const char* PskClient::ciphersuite() const {
  return state_ == State::ready && live_ ? mbedtls_ssl_get_ciphersuite(&ssl_) : "";
}

uint64_t PskClient::deadline() const {
  if (state_ != State::connecting || timer_final_ms_ == 0) return UINT64_MAX;
  return timer_start_ms_ + timer_final_ms_;
}

bool PskClient::suspend() {
  if (!live_ || state_ != State::ready) return false;
  size_t size = 0;
  mbedtls_ssl_context_save(&ssl_, nullptr, 0, &size);
  Datagram blob(size);
  if (mbedtls_ssl_context_save(&ssl_, blob.data(), blob.size(), &size) != 0) return false;
  blob.resize(size);
  mbedtls_ssl_free(&ssl_);
  live_ = false;
  saved_ = std::move(blob);
  return true;
}

bool PskClient::resume() {
  if (live_ || saved_.empty()) return live_;
  setup_context();
  const int rc = mbedtls_ssl_context_load(&ssl_, saved_.data(), saved_.size());
  saved_.clear();
  if (rc != 0) {
    live_ = false;  // mbedTLS freed the context
    last_error_ = rc;
    state_ = State::failed;
  }
  return live_;
}

int PskClient::bio_send(void* self, const unsigned char* data, size_t size) {
  static_cast<PskClient*>(self)->outbox_.emplace_back(data, data + size);
  return int(size);
}

int PskClient::bio_receive(void* self, unsigned char* data, size_t size) {
  auto* c = static_cast<PskClient*>(self);
  if (c->in_.empty()) return MBEDTLS_ERR_SSL_WANT_READ;
  const size_t n = std::min(size, c->in_.size());
  std::memcpy(data, c->in_.data(), n);
  c->in_ = {};
  return int(n);
}

void PskClient::timer_set(void* self, uint32_t intermediate_ms, uint32_t final_ms) {
  auto* c = static_cast<PskClient*>(self);
  c->timer_start_ms_ = c->now_ms_;
  c->timer_intermediate_ms_ = intermediate_ms;
  c->timer_final_ms_ = final_ms;
}

int PskClient::timer_get(void* self) {
  auto* c = static_cast<PskClient*>(self);
  if (c->timer_final_ms_ == 0) return -1;
  const uint64_t elapsed = c->now_ms_ - c->timer_start_ms_;
  if (elapsed >= c->timer_final_ms_) return 2;
  return elapsed >= c->timer_intermediate_ms_ ? 1 : 0;
}

// Deterministic bytes from the seed: a test client needs repeatable runs, not secrecy.
int PskClient::entropy(void* self, unsigned char* out, size_t size) {
  auto* c = static_cast<PskClient*>(self);
  for (size_t i = 0; i < size; ++i) {
    c->seed_ = c->seed_ * 6364136223846793005ULL + 1442695040888963407ULL;
    out[i] = uint8_t(c->seed_ >> 56);
  }
  return 0;
}

}  // namespace tl::server::dtls
