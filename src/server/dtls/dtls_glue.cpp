// Setup and mbedTLS's callbacks: the only places that touch the outside world (Hooks) on
// mbedTLS's behalf.
#include <mbedtls/platform_util.h>

#include <climits>
#include <cstring>
#include <stdexcept>
#include <string>

#include "server/dtls/live.hpp"

namespace tl::server::dtls {
namespace {

// Server preference order: CCM_8 first, so every client that offers it gets it (and only AEAD
// sessions can be serialized by mbedTLS 2.28: CBC ones are closed when idle).
const int kSuites[] = {MBEDTLS_TLS_PSK_WITH_AES_128_CCM_8, MBEDTLS_TLS_PSK_WITH_AES_128_CBC_SHA256, 0};

void check(int rc, const char* what) {
  if (rc != 0) throw std::runtime_error(std::string("server dtls: ") + what + " failed: " + std::to_string(rc));
}

}  // namespace

std::optional<Psk> Psk::of(Bytes key) {
  Psk p;
  if (key.empty() || key.size() > p.bytes.size()) return std::nullopt;
  std::memcpy(p.bytes.data(), key.data(), key.size());
  p.size = uint8_t(key.size());
  return p;
}

const char* to_string(Reason reason) {
  switch (reason) {
    case Reason::peer_closed: return "peer_closed";
    case Reason::alert: return "alert";
    case Reason::unknown_identity: return "unknown_identity";
    case Reason::bad_key: return "bad_key";
    case Reason::handshake_timeout: return "handshake_timeout";
    case Reason::handshake_evicted: return "handshake_evicted";
    case Reason::reconnect: return "reconnect";
    case Reason::unsaveable: return "unsaveable";
    case Reason::restore_failed: return "restore_failed";
    case Reason::error: return "error";
  }
  return "?";
}

DtlsServer::DtlsServer(Config config, Hooks& hooks)
    : config_(std::move(config)), hooks_(hooks), plaintext_(std::make_unique<uint8_t[]>(MBEDTLS_SSL_IN_CONTENT_LEN)) {
  if (config_.max_live == 0) config_.max_live = 1;
  if (config_.max_handshakes == 0) config_.max_handshakes = 1;
  mbedtls_entropy_init(&entropy_);
  mbedtls_ctr_drbg_init(&drbg_);
  mbedtls_ssl_cookie_init(&cookies_);
  mbedtls_ssl_config_init(&conf_);
  try {
    setup_mbedtls();
  } catch (...) {
    mbedtls_ssl_config_free(&conf_);
    mbedtls_ssl_cookie_free(&cookies_);
    mbedtls_ctr_drbg_free(&drbg_);
    mbedtls_entropy_free(&entropy_);
    throw;
  }
}

void DtlsServer::setup_mbedtls() {
  static constexpr char kPersonal[] = "tinyloop server dtls";
  check(mbedtls_ctr_drbg_seed(&drbg_, entropy, this, reinterpret_cast<const unsigned char*>(kPersonal),
                              sizeof kPersonal - 1),
        "ctr_drbg_seed");
  uint64_t seed = 0;
  check(mbedtls_ctr_drbg_random(&drbg_, reinterpret_cast<unsigned char*>(&seed), sizeof seed), "ctr_drbg_random");
  map_.set_seed(seed);

  check(mbedtls_ssl_config_defaults(&conf_, MBEDTLS_SSL_IS_SERVER, MBEDTLS_SSL_TRANSPORT_DATAGRAM,
                                    MBEDTLS_SSL_PRESET_DEFAULT),
        "ssl_config_defaults");
  mbedtls_ssl_conf_rng(&conf_, mbedtls_ctr_drbg_random, &drbg_);
  mbedtls_ssl_conf_ciphersuites(&conf_, kSuites);
  // DTLS 1.2 only: LwM2M 1.1 requires it, and mbedTLS serializes only 1.2 sessions.
  mbedtls_ssl_conf_min_version(&conf_, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
  mbedtls_ssl_conf_handshake_timeout(&conf_, config_.handshake_min_ms, config_.handshake_max_ms);
  mbedtls_ssl_conf_psk_cb(&conf_, psk_lookup, this);
  // mbedTLS counts bad MACs (ssl.badmac_seen, our decrypt_failures) only under a limit. Anyone
  // can forge a record from a peer's address, so a reachable limit would let them end sessions:
  // effectively none.
  mbedtls_ssl_conf_dtls_badmac_limit(&conf_, UINT_MAX);
  check(mbedtls_ssl_cookie_setup(&cookies_, mbedtls_ctr_drbg_random, &drbg_), "ssl_cookie_setup");
  mbedtls_ssl_conf_dtls_cookies(&conf_, mbedtls_ssl_cookie_write, mbedtls_ssl_cookie_check, &cookies_);
}

DtlsServer::~DtlsServer() {
  map_.for_each([](Slot& s) {
    if (s.kind == kSaved) saved::release(static_cast<uint8_t*>(s.ptr));
  });
  for (List* list : {&handshakes_, &lru_}) {
    while (Live* l = list->head) {
      list->remove(l);
      mbedtls_ssl_free(&l->ssl);
      delete l;
    }
  }
  spares_.push_back(scratch_);
  for (Live* l : spares_) {
    if (l == nullptr) continue;
    mbedtls_ssl_free(&l->ssl);
    delete l;
  }
  mbedtls_ssl_config_free(&conf_);
  mbedtls_ssl_cookie_free(&cookies_);
  mbedtls_ctr_drbg_free(&drbg_);
  mbedtls_entropy_free(&entropy_);
}

DtlsServer::Live* DtlsServer::take_context() {
  if (!spares_.empty()) {
    Live* l = spares_.back();
    spares_.pop_back();
    stats_.spare_contexts = spares_.size();
    return l;
  }
  auto* l = new Live;
  l->server = this;
  mbedtls_ssl_init(&l->ssl);
  if (mbedtls_ssl_setup(&l->ssl, &conf_) != 0) {
    mbedtls_ssl_free(&l->ssl);
    delete l;
    throw std::bad_alloc();
  }
  // Set once: a session reset keeps them, and the Live never moves.
  mbedtls_ssl_set_bio(&l->ssl, l, bio_send, bio_receive, nullptr);
  mbedtls_ssl_set_timer_cb(&l->ssl, l, timer_set, timer_get);
  if (config_.mtu != 0) mbedtls_ssl_set_mtu(&l->ssl, config_.mtu);
  return l;
}

// Back to a clean state for the next peer, kept as a spare or freed.
void DtlsServer::recycle(Live* l, bool already_reset) {
  const bool keep = spares_.size() < config_.spare_contexts &&
                    (already_reset || mbedtls_ssl_session_reset(&l->ssl) == 0);
  if (!keep) {
    mbedtls_ssl_free(&l->ssl);
    delete l;
    ++freed_since_trim_;
    return;
  }
  l->peer = Peer{};
  l->established = l->doomed = false;
  l->last_ms = l->timer_start_ms = 0;
  l->timer_intermediate_ms = l->timer_final_ms = 0;
  l->in = nullptr;
  l->in_size = 0;
  l->prev = l->next = nullptr;
  l->identity.clear();
  spares_.push_back(l);
  stats_.spare_contexts = spares_.size();
}

void DtlsServer::List::push_back(Live* l) {
  l->prev = tail;
  l->next = nullptr;
  (tail ? tail->next : head) = l;
  tail = l;
  ++size;
}

void DtlsServer::List::remove(Live* l) {
  (l->prev ? l->prev->next : head) = l->next;
  (l->next ? l->next->prev : tail) = l->prev;
  l->prev = l->next = nullptr;
  --size;
}

int DtlsServer::bio_send(void* live, const unsigned char* data, size_t size) {
  auto* l = static_cast<Live*>(live);
  l->server->hooks_.send(l->peer, Bytes(data, size));
  return int(size);
}

// Hands over the datagram being fed, once; a datagram longer than mbedTLS's buffer is cut
// (mbedTLS then drops the broken record, as with a truncated read from a UDP socket).
int DtlsServer::bio_receive(void* live, unsigned char* data, size_t size) {
  auto* l = static_cast<Live*>(live);
  if (l->in_size == 0) return MBEDTLS_ERR_SSL_WANT_READ;
  const size_t n = std::min(size, l->in_size);
  std::memcpy(data, l->in, n);
  l->in_size = 0;
  return int(n);
}

void DtlsServer::timer_set(void* live, uint32_t intermediate_ms, uint32_t final_ms) {
  auto* l = static_cast<Live*>(live);
  l->timer_start_ms = l->server->now_ms_;
  l->timer_intermediate_ms = intermediate_ms;
  l->timer_final_ms = final_ms;
}

// mbedTLS's convention: -1 stopped, 0 running, 1 intermediate passed, 2 final passed.
int DtlsServer::timer_get(void* live) {
  auto* l = static_cast<Live*>(live);
  if (l->timer_final_ms == 0) return -1;
  const uint64_t elapsed = l->server->now_ms_ - l->timer_start_ms;
  if (elapsed >= l->timer_final_ms) return 2;
  if (elapsed >= l->timer_intermediate_ms) return 1;
  return 0;
}

int DtlsServer::psk_lookup(void* server, mbedtls_ssl_context* ssl, const unsigned char* identity, size_t size) {
  auto* self = static_cast<DtlsServer*>(server);
  Live* l = self->current_;
  if (l == nullptr || &l->ssl != ssl || size == 0 || size > saved::kMaxIdentity) return -1;
  std::optional<Psk> key = self->hooks_.psk(Bytes(identity, size));
  if (!key) return -1;
  const int rc = mbedtls_ssl_set_hs_psk(ssl, key->bytes.data(), key->size);
  mbedtls_platform_zeroize(key->bytes.data(), key->bytes.size());
  if (rc != 0) return -1;
  l->identity.assign(reinterpret_cast<const char*>(identity), size);
  return 0;
}

int DtlsServer::entropy(void* server, unsigned char* out, size_t size) {
  auto* self = static_cast<DtlsServer*>(server);
  if (!self->config_.entropy) return mbedtls_entropy_func(&self->entropy_, out, size);
  return self->config_.entropy(std::span<uint8_t>(out, size)) ? 0 : MBEDTLS_ERR_ENTROPY_SOURCE_FAILED;
}

namespace saved {

uint8_t* make(std::string_view identity, Bytes context) {
  const size_t total = 3 + identity.size() + context.size();
  if (identity.size() > kMaxIdentity || total > UINT16_MAX) return nullptr;
  auto* b = new uint8_t[total];
  b[0] = uint8_t(total >> 8);
  b[1] = uint8_t(total);
  b[2] = uint8_t(identity.size());
  std::memcpy(b + 3, identity.data(), identity.size());
  std::memcpy(b + 3 + identity.size(), context.data(), context.size());
  return b;
}

size_t size(const uint8_t* blob) { return size_t(blob[0]) << 8 | blob[1]; }

std::string_view identity(const uint8_t* blob) { return {reinterpret_cast<const char*>(blob + 3), blob[2]}; }

Bytes context(const uint8_t* blob) {
  const size_t skip = 3 + size_t(blob[2]);
  return {blob + skip, size(blob) - skip};
}

void release(uint8_t* blob) {
  mbedtls_platform_zeroize(blob, size(blob));
  delete[] blob;
}

}  // namespace saved

}  // namespace tl::server::dtls
