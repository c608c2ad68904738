#include "sim/loadgen/dtls_net.hpp"

#include <mbedtls/ssl.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "sim/loadgen/clock.hpp"
#include "wire/hex.hpp"
#include "sim/loadgen/dtls_session.hpp"

namespace tl::sim::loadgen {

namespace {

constexpr unsigned char kPersonalization[] = "tinyloop loadgen dtls";

EngineConfig one_per_channel(EngineConfig e) {
  e.per_channel = 1;
  return e;
}

}  // namespace

std::vector<uint8_t> parse_hex_key(std::string_view hex) {
  if (hex.empty()) throw std::runtime_error("--dtls needs --psk-key HEX (the key the server has for every identity)");
  if (hex.size() % 2 != 0) throw std::runtime_error("--psk-key: an even number of hex digits, please");
  std::vector<uint8_t> key(hex.size() / 2);
  if (wire::decode_hex(hex, key) != wire::Error::ok) throw std::runtime_error("--psk-key: '" + std::string(hex) + "' is not hex");
  if (key.size() > MBEDTLS_PSK_MAX_LEN) {
    throw std::runtime_error("--psk-key: at most " + std::to_string(MBEDTLS_PSK_MAX_LEN) + " bytes (mbedTLS's limit)");
  }
  return key;
}

DtlsNet::DtlsNet(DtlsConfig config)
    : config_(std::move(config)),
      engine_(one_per_channel(config_.engine),
              [this](uint32_t channel, std::span<const uint8_t> d) { queue(channel, d); }),
      sessions_(config_.engine.devices) {
  mbedtls_entropy_init(&entropy_);
  mbedtls_ctr_drbg_init(&drbg_);
  if (config_.key.empty()) throw std::runtime_error("--dtls needs --psk-key HEX");
  if (mbedtls_ctr_drbg_seed(&drbg_, mbedtls_entropy_func, &entropy_, kPersonalization, sizeof kPersonalization - 1) !=
      0) {
    throw std::runtime_error("cannot seed mbedTLS's random generator from the system's entropy");
  }
  if (config_.max_handshakes == 0) config_.max_handshakes = 1;
  epoll_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_ < 0) throw std::runtime_error("epoll_create1 failed");
}

DtlsNet::~DtlsNet() {
  sessions_.clear();  // before the generator their configurations point to
  if (epoll_ >= 0) ::close(epoll_);
  mbedtls_ctr_drbg_free(&drbg_);
  mbedtls_entropy_free(&entropy_);
}

void DtlsNet::start_register(uint32_t i, uint64_t) {
  to_connect_.push_back(i);
  start_waiting_handshakes();
}

void DtlsNet::start_waiting_handshakes() {
  while (handshaking_.size() < config_.max_handshakes && !to_connect_.empty()) {
    const uint32_t i = to_connect_.front();
    to_connect_.pop_front();
    connect(i);
  }
}

void DtlsNet::connect(uint32_t i) {
  auto s = std::make_unique<Session>();
  s->sent = &sent_;
  s->received = &received_;
  const std::string error = s->open(config_, config_.source_offset + i, config_.identity_prefix + std::to_string(i), drbg_);
  if (!error.empty()) throw std::runtime_error("DTLS endpoint " + std::to_string(i) + ": " + error);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u32 = i;
  if (epoll_ctl(epoll_, EPOLL_CTL_ADD, s->socket.fd(), &ev) != 0) throw std::runtime_error("epoll_ctl failed");
  s->started_us = now_us();
  sessions_[i] = std::move(s);
  ++live_;
  handshaking_.push_back(i);
  step_handshake(i, now_us());  // the ClientHello
}

void DtlsNet::step_handshake(uint32_t i, uint64_t now) {
  Session& s = *sessions_[i];
  const int rc = mbedtls_ssl_handshake(&s.ssl);
  if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE) return;
  stop_handshaking(i);
  if (rc != 0) {
    ++handshake_failures_;
    drop(i);
    return;
  }
  s.ready = true;
  handshake_latency_.record(now - s.started_us);
  engine_.start_register(i, now);
}

void DtlsNet::queue(uint32_t i, std::span<const uint8_t> datagram) {
  Session* s = sessions_[i].get();
  if (s == nullptr || !s->ready) return;  // no session any more: lost, as on a real network
  const int rc = mbedtls_ssl_write(&s->ssl, datagram.data(), datagram.size());
  if (rc < 0 && rc != MBEDTLS_ERR_SSL_WANT_WRITE) drop(i);
}

void DtlsNet::read_records(uint32_t i, uint64_t now) {
  std::array<uint8_t, kMaxDatagram> buf{};
  for (;;) {
    Session* s = sessions_[i].get();
    if (s == nullptr) return;
    const int rc = mbedtls_ssl_read(&s->ssl, buf.data(), buf.size());
    if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE) break;
    if (rc <= 0) {
      drop(i);  // close_notify or a fatal alert: this device is gone
      return;
    }
    engine_.on_datagram(i, {buf.data(), static_cast<size_t>(rc)}, now);
  }
  if (!config_.keep_sessions && engine_.endpoint(i).registered) drop(i);
}

void DtlsNet::drop(uint32_t i) {
  if (sessions_[i] == nullptr) return;
  epoll_ctl(epoll_, EPOLL_CTL_DEL, sessions_[i]->socket.fd(), nullptr);
  sessions_[i].reset();
  --live_;
  stop_handshaking(i);
}

void DtlsNet::stop_handshaking(uint32_t i) {
  const auto h = std::find(handshaking_.begin(), handshaking_.end(), i);
  if (h != handshaking_.end()) handshaking_.erase(h);
}

void DtlsNet::pump(int timeout_ms) {
  std::array<epoll_event, 256> events{};
  const int n = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), timeout_ms);
  uint64_t now = now_us();
  for (int k = 0; k < n; ++k) {
    const uint32_t i = events[static_cast<size_t>(k)].data.u32;
    if (sessions_[i] == nullptr) continue;
    if (sessions_[i]->ready) {
      read_records(i, now);
    } else {
      step_handshake(i, now);
    }
  }
  // Handshake retransmissions: mbedTLS resends a flight when its timer says so.
  now = now_us();
  const std::vector<uint32_t> waiting = handshaking_;
  for (const uint32_t i : waiting) {
    if (sessions_[i] != nullptr && !sessions_[i]->ready && sessions_[i]->timer_expired(now / 1000)) step_handshake(i, now);
  }
  start_waiting_handshakes();
  engine_.poll(now);
}

}  // namespace tl::sim::loadgen
