// The callbacks through which mbedTLS reaches the Platform: datagrams, time and entropy.
#include <mbedtls/net_sockets.h>

#include "dtls/dtls_transport.hpp"

namespace tl::dtls {

int DtlsTransport::bio_send(void* self, const unsigned char* data, size_t size) {
  auto* t = static_cast<DtlsTransport*>(self);
  if (t->platform_.send(t->socket_, Bytes(data, size)) != Error::ok) return MBEDTLS_ERR_NET_SEND_FAILED;
  return static_cast<int>(size);  // a record is at most 16 KiB + overhead
}

int DtlsTransport::bio_receive(void* self, unsigned char* data, size_t size) {
  auto* t = static_cast<DtlsTransport*>(self);
  const Result<size_t> got = t->platform_.receive(t->socket_, MutableBytes(data, size));
  // Nothing waiting, or a datagram too long for any record (the platform dropped it, as a loss
  // would), or an empty one, which mbedTLS would take for the end of the connection: a forged
  // empty datagram must not end a session.
  if (!got || *got == 0) return MBEDTLS_ERR_SSL_WANT_READ;
  return static_cast<int>(*got);
}

void DtlsTransport::timer_set(void* self, uint32_t intermediate_ms, uint32_t final_ms) {
  auto* t = static_cast<DtlsTransport*>(self);
  t->timer_ = {t->platform_.monotonic_ms(), intermediate_ms, final_ms};
}

// mbedTLS's contract: -1 stopped, 0 neither delay passed, 1 intermediate passed, 2 final passed.
int DtlsTransport::timer_get(void* self) {
  auto* t = static_cast<DtlsTransport*>(self);
  if (t->timer_.final_ms == 0) return -1;
  const uint64_t elapsed = t->platform_.monotonic_ms() - t->timer_.start_ms;
  if (elapsed >= t->timer_.final_ms) return 2;
  if (elapsed >= t->timer_.intermediate_ms) return 1;
  return 0;
}

// CTR_DRBG's seed: Platform::random32 must be a cryptographic source (a TRNG on a device).
int DtlsTransport::entropy(void* self, unsigned char* out, size_t size) {
  auto* t = static_cast<DtlsTransport*>(self);
  while (size > 0) {
    const uint32_t r = t->platform_.random32();
    for (unsigned i = 0; i < 4 && size > 0; ++i, --size) *out++ = static_cast<unsigned char>(r >> (8 * i));
  }
  return 0;
}

}  // namespace tl::dtls
