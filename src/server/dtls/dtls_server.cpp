// The per-peer protocol flow: ClientHellos of unknown peers, handshakes, records, idle sessions
// saved and restored. mbedTLS setup and callbacks: dtls_glue.cpp.
#include "server/dtls/dtls_server.hpp"

#include <mbedtls/platform_util.h>

#include <algorithm>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "server/dtls/live.hpp"

namespace tl::server::dtls {
namespace {

constexpr size_t kRecordHeader = 13;  // DTLS: type, version, epoch, sequence number, length
constexpr uint8_t kHandshake = 22;
constexpr uint8_t kClientHello = 1;

// A first record that could be DTLS (content type 20..23, major version 0xfe) and fits: the
// cheap gate before anything reaches mbedTLS (or restores a saved session).
bool looks_like_dtls(Bytes d) {
  if (d.size() < kRecordHeader || d[0] < 20 || d[0] > 23 || d[1] != 0xfe) return false;
  const size_t length = size_t(d[11]) << 8 | d[12];
  return kRecordHeader + length <= d.size();
}

bool is_epoch0(Bytes d) { return d[3] == 0 && d[4] == 0; }

bool is_epoch0_handshake(Bytes d) { return d[0] == kHandshake && is_epoch0(d); }

bool is_client_hello(Bytes d) {
  return is_epoch0_handshake(d) && d.size() > kRecordHeader && d[kRecordHeader] == kClientHello;
}

// The cookie binds the ClientHello to this: family, port, address.
int set_transport_id(mbedtls_ssl_context& ssl, const Peer& peer) {
  uint8_t id[19];
  id[0] = peer.family();
  id[1] = uint8_t(peer.port() >> 8);
  id[2] = uint8_t(peer.port());
  const auto address = peer.address();
  std::copy(address.begin(), address.end(), id + 3);
  return mbedtls_ssl_set_client_transport_id(&ssl, id, 3 + address.size());
}

Reason reason_of(int rc) {
  switch (rc) {
    case MBEDTLS_ERR_SSL_UNKNOWN_IDENTITY: return Reason::unknown_identity;
    case MBEDTLS_ERR_SSL_INVALID_MAC:
    case MBEDTLS_ERR_SSL_BAD_HS_FINISHED: return Reason::bad_key;
    case MBEDTLS_ERR_SSL_TIMEOUT: return Reason::handshake_timeout;
    case MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE: return Reason::alert;
    case MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY: return Reason::peer_closed;
    default: return Reason::error;
  }
}

bool wants_more(int rc) { return rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE; }

}  // namespace

void DtlsServer::on_datagram(const Peer& peer, Bytes datagram, uint64_t now_ms) {
  now_ms_ = std::max(now_ms_, now_ms);
  ++stats_.datagrams_in;
  if (!looks_like_dtls(datagram)) {
    ++stats_.dropped;
    return;
  }
  Slot* slot = map_.find(peer);
  if (slot == nullptr) return accept_hello(peer, datagram);
  // A restore costs a key derivation: not for epoch-0 records that an established session
  // would drop anyway (only a ClientHello, a reconnect, is meaningful there).
  if (slot->kind == kSaved && is_epoch0(datagram) && !is_client_hello(datagram)) {
    ++stats_.dropped;
    return;
  }
  Live* l = slot->kind == kSaved ? restore(*slot) : static_cast<Live*>(slot->ptr);
  if (l != nullptr) feed(*l, datagram);
}

// A ClientHello from a peer we hold nothing for goes through one shared scratch context: without
// a valid cookie it is answered with a HelloVerifyRequest and forgotten (a spoofed flood leaves
// no state); with one, the scratch context becomes the peer's handshake.
void DtlsServer::accept_hello(const Peer& peer, Bytes datagram) {
  if (!is_client_hello(datagram)) {
    ++stats_.dropped;
    return;
  }
  if (scratch_ == nullptr) scratch_ = take_context();
  Live& l = *scratch_;
  l.peer = peer;
  int rc = set_transport_id(l.ssl, peer);
  if (rc == 0) {
    l.in = datagram.data();
    l.in_size = datagram.size();
    current_ = &l;
    rc = mbedtls_ssl_handshake(&l.ssl);
    current_ = nullptr;
    l.in_size = 0;
  }
  // mbedTLS 2.28 has no getter for the handshake state: past CLIENT_HELLO means the ClientHello
  // (cookie included) was accepted and the server's flight went out.
  if (wants_more(rc) && l.ssl.state > MBEDTLS_SSL_CLIENT_HELLO) {
    scratch_ = nullptr;
    l.last_ms = now_ms_;
    map_.insert(Slot{peer, kLive, &l});
    handshakes_.push_back(&l);
    enforce_max_handshakes(&l);
    return;
  }
  if (rc == MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED) {
    ++stats_.hello_verify;
  } else {
    ++stats_.dropped;
  }
  l.peer = Peer{};
  if (mbedtls_ssl_session_reset(&l.ssl) != 0) {
    mbedtls_ssl_free(&l.ssl);
    delete scratch_;
    scratch_ = nullptr;
  }
}

void DtlsServer::feed(Live& l, Bytes datagram) {
  Pin pin(*this, l);
  // An established peer's new ClientHello (RFC 6347 4.2.8) is checked against a cookie for
  // its address; set only then, as it allocates.
  if (l.established && is_epoch0_handshake(datagram) && set_transport_id(l.ssl, l.peer) != 0) return;
  l.in = datagram.data();
  l.in_size = datagram.size();
  if (l.established) {
    read_records(l);
  } else {
    drive_handshake(l);
  }
  l.in_size = 0;
}

void DtlsServer::drive_handshake(Live& l) {
  current_ = &l;
  const int rc = mbedtls_ssl_handshake(&l.ssl);
  current_ = nullptr;
  if (rc == 0) {
    established(l);
    if (!l.doomed) read_records(l);  // records that came in the same datagram as Finished
  } else if (!wants_more(rc)) {
    end(l, reason_of(rc), true);
  }
}

void DtlsServer::established(Live& l) {
  handshakes_.remove(&l);
  l.established = true;
  l.last_ms = now_ms_;
  lru_.push_back(&l);
  ++stats_.handshakes_ok;
  hooks_.on_handshake(l.peer, l.identity);
  if (!l.doomed) enforce_max_live(&l);
}

void DtlsServer::read_records(Live& l) {
  for (;;) {
    const unsigned bad_before = l.ssl.badmac_seen;
    const int n = mbedtls_ssl_read(&l.ssl, plaintext_.get(), MBEDTLS_SSL_IN_CONTENT_LEN);
    stats_.decrypt_failures += l.ssl.badmac_seen - bad_before;
    if (n >= 0) {
      // An empty record (n == 0) carries nothing; mbedTLS bounds how many may follow.
      if (n == 0) continue;
      ++stats_.records_in;
      touch(l);
      hooks_.on_record(l.peer, l.identity, Bytes(plaintext_.get(), size_t(n)));
      if (l.doomed) return;
    } else if (wants_more(n)) {
      return;
    } else if (n == MBEDTLS_ERR_SSL_CLIENT_RECONNECT) {
      return reconnect(l);
    } else {
      return end(l, reason_of(n), true);
    }
  }
}

// mbedTLS verified the new ClientHello's cookie and reset the context, the ClientHello still in
// its buffer: the old session is over (reported), the handshake goes on in the same context.
void DtlsServer::reconnect(Live& l) {
  lru_.remove(&l);
  l.established = false;
  l.identity.clear();
  handshakes_.push_back(&l);
  hooks_.on_closed(l.peer, Reason::reconnect);
  if (l.doomed) return;
  enforce_max_handshakes(&l);
  drive_handshake(l);
}

void DtlsServer::touch(Live& l) {
  l.last_ms = now_ms_;
  if (l.established && lru_.tail != &l) {
    lru_.remove(&l);
    lru_.push_back(&l);
  }
}

// Forgets the peer; the context is freed now or, when pinned, by the last pin.
void DtlsServer::end(Live& l, Reason reason, bool report) {
  const Peer peer = l.peer;
  (l.established ? lru_ : handshakes_).remove(&l);
  if (!l.established && report) ++stats_.handshakes_failed;
  map_.erase(peer);
  destroy(&l);
  if (report) hooks_.on_closed(peer, reason);
}

void DtlsServer::destroy(Live* l) {
  if (l->pins != 0) {
    l->doomed = true;
  } else {
    recycle(l, false);
  }
}

DtlsServer::Live* DtlsServer::restore(Slot& slot) {
  uint8_t* blob = static_cast<uint8_t*>(slot.ptr);
  const Peer peer = slot.peer;
  --stats_.saved;
  stats_.saved_bytes -= saved::size(blob);
  Live* l = take_context();
  const Bytes context = saved::context(blob);
  if (mbedtls_ssl_context_load(&l->ssl, context.data(), context.size()) != 0) {
    delete l;  // mbedTLS freed the context already
    map_.erase(peer);
    saved::release(blob);
    hooks_.on_closed(peer, Reason::restore_failed);
    return nullptr;
  }
  l->peer = peer;
  l->established = true;
  l->identity = saved::identity(blob);
  l->last_ms = now_ms_;
  // The blob must never be loaded twice (it would reuse record sequence numbers).
  saved::release(blob);
  slot.kind = kLive;
  slot.ptr = l;
  lru_.push_back(l);
  ++stats_.restores;
  enforce_max_live(l);
  return l;
}

// Serializes an established session and frees its context. mbedTLS refuses some (CBC suites,
// or no record from the peer yet so the last flight is still held): those are closed, as
// keeping them live would defeat the memory bound.
void DtlsServer::park(Live& l) {
  size_t size = 0;
  int rc = mbedtls_ssl_context_save(&l.ssl, save_buffer_.data(), save_buffer_.size(), &size);
  if (rc == MBEDTLS_ERR_SSL_BUFFER_TOO_SMALL) {
    save_buffer_.resize(size);
    rc = mbedtls_ssl_context_save(&l.ssl, save_buffer_.data(), save_buffer_.size(), &size);
  }
  uint8_t* blob = rc == 0 ? saved::make(l.identity, Bytes(save_buffer_.data(), size)) : nullptr;
  mbedtls_platform_zeroize(save_buffer_.data(), save_buffer_.size());
  if (blob == nullptr) {
    ++stats_.unsaveable;
    if (rc != 0) mbedtls_ssl_close_notify(&l.ssl);
    return end(l, Reason::unsaveable, true);
  }
  Slot* slot = map_.find(l.peer);
  slot->kind = kSaved;
  slot->ptr = blob;
  lru_.remove(&l);
  ++stats_.saves;
  ++stats_.saved;
  stats_.saved_bytes += saved::size(blob);
  recycle(&l, rc == 0);  // a successful save resets the context
}

// Each round starts again from the oldest: parking or ending one calls hooks, which may end
// others, so no pointer into the list is kept across it.
void DtlsServer::enforce_max_live(const Live* keep) {
  while (lru_.size > config_.max_live) {
    Live* victim = oldest_unpinned(lru_, keep);
    if (victim == nullptr) return;
    ++stats_.evictions;
    park(*victim);
  }
}

void DtlsServer::enforce_max_handshakes(const Live* keep) {
  while (handshakes_.size > config_.max_handshakes) {
    Live* victim = oldest_unpinned(handshakes_, keep);
    if (victim == nullptr) return;
    end(*victim, Reason::handshake_evicted, true);
  }
}

DtlsServer::Live* DtlsServer::oldest_unpinned(const List& list, const Live* keep) {
  for (Live* l = list.head; l != nullptr; l = l->next) {
    if (l != keep && l->pins == 0) return l;
  }
  return nullptr;
}

SendResult DtlsServer::send(const Peer& peer, Bytes plaintext) {
  now_ms_ = std::max(now_ms_, hooks_.now_ms());
  Slot* slot = map_.find(peer);
  if (slot == nullptr) return SendResult::no_session;
  Live* l = slot->kind == kSaved ? restore(*slot) : static_cast<Live*>(slot->ptr);
  if (l == nullptr) return SendResult::failed;
  if (!l->established) return SendResult::not_ready;
  Pin pin(*this, *l);
  const int room = mbedtls_ssl_get_max_out_record_payload(&l->ssl);
  if (room < 0 || plaintext.size() > size_t(room)) return SendResult::too_long;
  const int rc = mbedtls_ssl_write(&l->ssl, plaintext.data(), plaintext.size());
  if (rc >= 0 && size_t(rc) == plaintext.size()) {
    ++stats_.records_out;
    touch(*l);
    return SendResult::ok;
  }
  end(*l, reason_of(rc), true);
  return SendResult::failed;
}

bool DtlsServer::close(const Peer& peer) {
  now_ms_ = std::max(now_ms_, hooks_.now_ms());
  Slot* slot = map_.find(peer);
  if (slot == nullptr) return false;
  // A saved session is loaded for its close_notify: the peer learns at once that it must
  // handshake again, instead of after its next request times out.
  Live* l = slot->kind == kSaved ? restore(*slot) : static_cast<Live*>(slot->ptr);
  if (l == nullptr) return true;
  if (l->established) mbedtls_ssl_close_notify(&l->ssl);
  end(*l, Reason::peer_closed, false);
  return true;
}

void DtlsServer::poll(uint64_t now_ms) {
  now_ms_ = std::max(now_ms_, now_ms);
  // Peers first, contexts looked up again: driving one handshake may end others (hooks).
  due_.clear();
  for (Live* l = handshakes_.head; l != nullptr; l = l->next) {
    if (l->timer_final_ms != 0 && now_ms_ - l->timer_start_ms >= l->timer_final_ms) due_.push_back(l->peer);
  }
  for (const Peer& peer : due_) {
    Slot* slot = map_.find(peer);
    if (slot == nullptr || slot->kind != kLive) continue;
    Live& l = *static_cast<Live*>(slot->ptr);
    if (l.established) continue;
    Pin pin(*this, l);
    drive_handshake(l);  // retransmits the flight, or fails once the timeout would pass max
  }
  while (Live* l = lru_.head) {
    if (l->last_ms + config_.idle_ms > now_ms_ || l->pins != 0) break;
    park(*l);
  }
  give_back_heap();
}

// A burst of handshakes leaves ~35 KB of freed buffers per context in the heap, which the C
// library keeps (RSS stays at the burst's peak); after a thousand of them, hand the free pages
// back to the system.
void DtlsServer::give_back_heap() {
  if (freed_since_trim_ < 1024) return;
  freed_since_trim_ = 0;
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

uint64_t DtlsServer::next_deadline() const {
  uint64_t next = UINT64_MAX;
  for (const Live* l = handshakes_.head; l != nullptr; l = l->next) {
    if (l->timer_final_ms != 0) next = std::min(next, l->timer_start_ms + l->timer_final_ms);
  }
  if (lru_.head != nullptr) next = std::min(next, lru_.head->last_ms + config_.idle_ms);
  return next;
}

Stats DtlsServer::stats() const {
  Stats s = stats_;
  s.live = lru_.size;
  s.handshakes = handshakes_.size;
  s.table_bytes = map_.bytes();
  return s;
}

SessionState DtlsServer::state(const Peer& peer) const {
  const Slot* slot = map_.find(peer);
  if (slot == nullptr) return SessionState::none;
  if (slot->kind == kSaved) return SessionState::saved;
  return static_cast<const Live*>(slot->ptr)->established ? SessionState::live : SessionState::handshake;
}

}  // namespace tl::server::dtls
