#include "dtls/dtls_transport.hpp"

namespace tl::dtls {

using client::SecurityMode;
using client::SocketId;

namespace {

// LwM2M's mandatory PSK suites; CCM_8 first: 8 bytes less per record than CBC with its MAC and
// padding, which matters on constrained links. mbedTLS keeps a pointer: static storage.
const int kCiphersuites[] = {MBEDTLS_TLS_PSK_WITH_AES_128_CCM_8, MBEDTLS_TLS_PSK_WITH_AES_128_CBC_SHA256, 0};

// Personalisation for CTR_DRBG (NIST SP 800-90A): separates this generator from any other seeded
// from the same source.
constexpr unsigned char kPersonalization[] = "tinyloop dtls client";

}  // namespace

DtlsTransport::DtlsTransport(client::Platform& platform, DtlsConfig config) : platform_(platform), config_(config) {
  mbedtls_ssl_init(&ssl_);
  mbedtls_ssl_config_init(&conf_);
  mbedtls_ctr_drbg_init(&drbg_);
}

DtlsTransport::~DtlsTransport() {
  close();
  mbedtls_ssl_free(&ssl_);
  mbedtls_ssl_config_free(&conf_);
  mbedtls_ctr_drbg_free(&drbg_);
}

Error DtlsTransport::open(std::string_view host, uint16_t port, const client::Credentials& credentials) {
  if (credentials.mode != SecurityMode::psk) return Error::unsupported;
  if (credentials.identity.empty() || credentials.key.empty()) return Error::malformed;
  if (credentials.key.size() > MBEDTLS_PSK_MAX_LEN) return Error::unsupported;
  close();
  last_error_ = 0;
  Error e = configure(credentials);
  if (e == Error::ok) {
    const Result<SocketId> socket = platform_.open_udp(host, port);
    e = socket.error();
    socket_ = *socket;
  }
  if (e != Error::ok) {
    socket_ = client::kNoSocket;
    reset_contexts();
    return e;
  }
  state_ = State::connecting;
  poll(platform_.monotonic_ms());  // sends the ClientHello
  return Error::ok;
}

// A fresh generator, configuration and context for each session: nothing of an earlier session
// (keys, PSK, retransmission state) survives into the next.
Error DtlsTransport::configure(const client::Credentials& credentials) {
  int rc = mbedtls_ctr_drbg_seed(&drbg_, &DtlsTransport::entropy, this, kPersonalization, sizeof kPersonalization - 1);
  if (rc == 0) {
    rc = mbedtls_ssl_config_defaults(&conf_, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_DATAGRAM,
                                     MBEDTLS_SSL_PRESET_DEFAULT);
  }
  if (rc == 0) {
    mbedtls_ssl_conf_rng(&conf_, mbedtls_ctr_drbg_random, &drbg_);
    mbedtls_ssl_conf_ciphersuites(&conf_, kCiphersuites);
    // DTLS 1.2 only ("3.3" is mbedTLS's numbering for it); LwM2M requires it.
    mbedtls_ssl_conf_min_version(&conf_, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_max_version(&conf_, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_handshake_timeout(&conf_, config_.handshake_min_ms, config_.handshake_max_ms);
    rc = mbedtls_ssl_conf_psk(&conf_, credentials.key.data(), credentials.key.size(), credentials.identity.data(),
                              credentials.identity.size());
  }
  if (rc == 0) rc = mbedtls_ssl_setup(&ssl_, &conf_);
  if (rc != 0) {
    last_error_ = rc;
    return Error::unsupported;
  }
  mbedtls_ssl_set_bio(&ssl_, this, &DtlsTransport::bio_send, &DtlsTransport::bio_receive, nullptr);
  mbedtls_ssl_set_timer_cb(&ssl_, this, &DtlsTransport::timer_set, &DtlsTransport::timer_get);
  return Error::ok;
}

void DtlsTransport::reset_contexts() {
  mbedtls_ssl_free(&ssl_);
  mbedtls_ssl_config_free(&conf_);
  mbedtls_ctr_drbg_free(&drbg_);
  mbedtls_ssl_init(&ssl_);
  mbedtls_ssl_config_init(&conf_);
  mbedtls_ctr_drbg_init(&drbg_);
  timer_ = {};
}

uint64_t DtlsTransport::poll(uint64_t) {
  if (state_ == State::connecting) {
    // Reads whatever has arrived, retransmits the last flight when the timer expired, and
    // returns WANT_READ as soon as it has to wait for the peer again.
    const int rc = mbedtls_ssl_handshake(&ssl_);
    if (rc == 0) {
      state_ = State::ready;
    } else if (rc != MBEDTLS_ERR_SSL_WANT_READ && rc != MBEDTLS_ERR_SSL_WANT_WRITE) {
      fail(rc);
    }
  }
  if (state_ != State::connecting || timer_.final_ms == 0) return UINT64_MAX;
  return timer_.start_ms + timer_.final_ms;
}

Error DtlsTransport::send(Bytes datagram) {
  if (state_ != State::ready) return Error::end;
  const int max_payload = mbedtls_ssl_get_max_out_record_payload(&ssl_);
  if (max_payload < 0) {
    fail(max_payload);
    return Error::unsupported;
  }
  // Larger data would be split over several records, which CoAP over DTLS does not allow.
  if (datagram.size() > static_cast<size_t>(max_payload)) return Error::buffer_too_small;
  const int rc = mbedtls_ssl_write(&ssl_, datagram.data(), datagram.size());
  if (rc >= 0) return Error::ok;
  // A record that could not be handed to the socket stays queued in mbedTLS and would block
  // every later one: the session is unusable.
  fail(rc);
  return Error::unsupported;
}

Result<size_t> DtlsTransport::receive(MutableBytes buffer) {
  if (state_ != State::ready) return Error::end;
  const int rc = mbedtls_ssl_read(&ssl_, buffer.data(), buffer.size());
  if (rc >= 0) {
    if (mbedtls_ssl_get_bytes_avail(&ssl_) == 0) return static_cast<size_t>(rc);
    // mbedTLS would hand out the rest of the record on the next read, as a stream: drop it so
    // that every receive() is one whole datagram.
    unsigned char scratch[64];
    while (mbedtls_ssl_get_bytes_avail(&ssl_) > 0) mbedtls_ssl_read(&ssl_, scratch, sizeof scratch);
    return Error::buffer_too_small;
  }
  if (rc == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
    last_error_ = rc;
    state_ = State::closed;  // before close(): the peer is gone, no close_notify back
    close();
  } else if (rc != MBEDTLS_ERR_SSL_WANT_READ && rc != MBEDTLS_ERR_SSL_WANT_WRITE) {
    fail(rc);
  }
  return Error::end;
}

void DtlsTransport::close() {
  if (state_ == State::ready) mbedtls_ssl_close_notify(&ssl_);  // best effort: it may be lost
  reset_contexts();
  if (socket_ != client::kNoSocket) platform_.close(socket_);
  socket_ = client::kNoSocket;
  state_ = State::closed;
}

const char* DtlsTransport::ciphersuite() const {
  if (state_ != State::ready) return "";
  const char* name = mbedtls_ssl_get_ciphersuite(&ssl_);
  return name != nullptr ? name : "";
}

void DtlsTransport::fail(int mbedtls_error) {
  last_error_ = mbedtls_error;
  state_ = State::failed;
}

}  // namespace tl::dtls
