// Private to the server: a peer's live mbedTLS context, and a saved session's blob.
#pragma once
#include <mbedtls/ssl.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/dtls/dtls_server.hpp"

namespace tl::server::dtls {

// Heap-allocated and never moved: mbedTLS holds pointers to it (BIO and timer callbacks).
struct DtlsServer::Live {
  mbedtls_ssl_context ssl;
  DtlsServer* server = nullptr;
  Peer peer;
  bool established = false;
  bool doomed = false;   // ended while pinned: freed when the last pin goes
  uint8_t pins = 0;
  uint64_t last_ms = 0;  // last record either way (established), for idle and LRU
  // The retransmission timer mbedTLS asks for; final_ms == 0 means stopped.
  uint64_t timer_start_ms = 0;
  uint32_t timer_intermediate_ms = 0;
  uint32_t timer_final_ms = 0;
  // The datagram being fed (bio_receive hands it over once).
  const uint8_t* in = nullptr;
  size_t in_size = 0;
  Live* prev = nullptr;  // in handshakes_ or lru_
  Live* next = nullptr;
  std::string identity;
};

class DtlsServer::Pin {
 public:
  Pin(DtlsServer& server, Live& l) : server_(server), l_(l) { ++l_.pins; }
  ~Pin() {
    if (--l_.pins == 0 && l_.doomed) server_.recycle(&l_, false);
  }
  Pin(const Pin&) = delete;
  Pin& operator=(const Pin&) = delete;

 private:
  DtlsServer& server_;
  Live& l_;
};

// A saved session: one heap block [u16 total size][u8 identity size][identity][mbedTLS context
// save]. No separate allocation for the identity, no std::string: an idle device costs this
// block and its 32-byte table slot.
namespace saved {

constexpr size_t kMaxIdentity = 255;

uint8_t* make(std::string_view identity, Bytes context);
size_t size(const uint8_t* blob);
std::string_view identity(const uint8_t* blob);
Bytes context(const uint8_t* blob);
// Zeroes it first: the blob holds the session's keys.
void release(uint8_t* blob);

}  // namespace saved

}  // namespace tl::server::dtls
