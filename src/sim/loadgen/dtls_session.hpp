// One endpoint's DTLS client: its socket and mbedTLS contexts, and the callbacks through which
// mbedTLS reaches them. Internal to DtlsNet.
#pragma once
#include <mbedtls/ssl.h>

#include <cstdint>
#include <string>

#include "sim/loadgen/dtls_net.hpp"
#include "sim/loadgen/udp.hpp"

namespace tl::sim::loadgen {

struct DtlsNet::Session {
  Session();
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Opens endpoint `index`'s socket and sets the contexts up; returns an mbedTLS or errno-based
  // message, empty on success. mbedTLS keeps a pointer to this object (callbacks): it must not
  // move. Against a loopback server each endpoint gets its own source address and port
  // (source_of), so that a closed socket's port, reused by the next one, never lands on a
  // session the server still holds for an earlier device: the server keys sessions by address.
  std::string open(const DtlsConfig& config, uint32_t index, const std::string& identity,
                   mbedtls_ctr_drbg_context& drbg);

  // The handshake's retransmission timer has run out: mbedTLS resends its flight when stepped.
  bool timer_expired(uint64_t now_ms) const {
    return timer_final_ms != 0 && now_ms - timer_start_ms >= timer_final_ms;
  }

  UdpSocket socket;
  mbedtls_ssl_context ssl;
  mbedtls_ssl_config conf;
  uint64_t timer_start_ms = 0;
  uint32_t timer_intermediate_ms = 0;
  uint32_t timer_final_ms = 0;  // 0: stopped
  uint64_t started_us = 0;
  bool ready = false;
  uint64_t* sent = nullptr;       // the net's counters
  uint64_t* received = nullptr;
};

}  // namespace tl::sim::loadgen
