// The server side of DTLS 1.2 with PSK (RFC 6347, LwM2M's mandatory suites
// TLS_PSK_WITH_AES_128_CCM_8 and TLS_PSK_WITH_AES_128_CBC_SHA256), every peer's session in one
// object that owns no socket, thread or clock: the caller hands it datagrams and the time, and
// it answers through Hooks. All cryptography (handshake, records, cookies, random numbers) is
// mbedTLS's.
//
// Memory: a live mbedTLS context costs tens of KB (its record buffers); an idle session is
// serialized (mbedtls_ssl_context_save) into a few hundred bytes held per peer and brought back
// (mbedtls_ssl_context_load) by the next datagram or send(). Design: README.md.
//
// Not thread-safe: one thread (the server's network thread) calls everything. Hooks may call
// send() and close() (for any peer); they must not destroy the server.
#pragma once
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_cookie.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "server/dtls/peer.hpp"
#include "server/dtls/peer_map.hpp"

namespace tl::server::dtls {

using Bytes = std::span<const uint8_t>;

// A pre-shared key, up to mbedTLS's MBEDTLS_PSK_MAX_LEN (32 bytes in Debian's build).
struct Psk {
  std::array<uint8_t, 32> bytes{};
  uint8_t size = 0;
  // Empty when `key` is empty or longer than 32 bytes.
  static std::optional<Psk> of(Bytes key);
};

// Why a session ended or a handshake failed (Hooks::on_closed).
enum class Reason : uint8_t {
  peer_closed,        // the peer sent close_notify
  alert,              // the peer sent a fatal alert
  unknown_identity,   // Hooks::psk knew no key for the identity (alert unknown_psk_identity)
  bad_key,            // the peer's Finished did not verify: its key differs (alert bad_record_mac)
  handshake_timeout,  // the peer stopped answering before the handshake completed
  handshake_evicted,  // the oldest handshake gave way to a newer one (Config::max_handshakes)
  reconnect,          // the peer started a new handshake from the same address (RFC 6347 4.2.8)
  unsaveable,         // idle or evicted, but mbedTLS cannot serialize it: closed (close_notify)
  restore_failed,     // a saved session did not load back (never expected)
  error,              // any other mbedTLS error
};
const char* to_string(Reason reason);

enum class SendResult : uint8_t {
  ok,
  no_session,  // no session with this peer
  not_ready,   // the handshake is still running
  too_long,    // more than one record carries
  failed,      // mbedTLS failed: the session is closed and reported (Hooks::on_closed)
};

struct Config {
  // Handshake retransmission timeout: starts at min, doubles per retransmission; the handshake
  // fails once it would exceed max (1 s, then 2, 4, 8: about 15 s in all).
  uint32_t handshake_min_ms = 1000;
  uint32_t handshake_max_ms = 8000;
  // An established session without a record either way for this long is saved (serialized)
  // and its mbedTLS context freed.
  uint32_t idle_ms = 30000;
  // Established sessions kept live at most; beyond, the least recently used are saved.
  uint32_t max_live = 1024;
  // Handshakes in progress at most; a new one (its cookie verified) evicts the oldest.
  uint32_t max_handshakes = 256;
  // Largest datagram the server sends (path MTU less IP and UDP headers), 0 for no limit:
  // handshake flights are fragmented to fit, and send() refuses longer records (too_long).
  uint16_t mtu = 0;
  // Freed contexts kept for reuse (each tens of KB): saves a context's allocation and setup
  // when one session is saved as another is restored.
  uint32_t spare_contexts = 4;
  // Seeds the random generator (CTR_DRBG): fills `out`, returns false on failure. Empty:
  // mbedTLS's entropy collector (the operating system's getrandom). Tests and the fuzzer pass a
  // deterministic one.
  std::function<bool(std::span<uint8_t> out)> entropy;
};

class Hooks {
 public:
  virtual ~Hooks() = default;
  // One datagram to the peer (a record, a flight of the handshake, an alert).
  virtual void send(const Peer& peer, Bytes datagram) = 0;
  // The key for a PSK identity, or nothing: the handshake then fails (unknown_identity).
  virtual std::optional<Psk> psk(Bytes identity) = 0;
  // The handshake completed: the peer proved it holds the key of `identity`.
  virtual void on_handshake(const Peer& peer, std::string_view identity) = 0;
  // One decrypted record from an established session.
  virtual void on_record(const Peer& peer, std::string_view identity, Bytes plaintext) = 0;
  // The session (or handshake) with the peer is gone, for `reason`. Not called for close().
  virtual void on_closed(const Peer& peer, Reason reason) = 0;
  // Monotonic milliseconds, for send() and close() (the other calls are given the time).
  virtual uint64_t now_ms() = 0;
};

struct Stats {
  size_t live = 0;             // established sessions with a live mbedTLS context
  size_t handshakes = 0;       // handshakes in progress (each with a live context)
  size_t saved = 0;            // established sessions held serialized
  size_t saved_bytes = 0;      // their blobs, in bytes (identity and mbedTLS state)
  size_t spare_contexts = 0;   // freed contexts kept for reuse
  size_t table_bytes = 0;      // the peer table's array (32 bytes a slot, at most 3/4 full)
  uint64_t datagrams_in = 0;
  uint64_t dropped = 0;        // not DTLS; from an unknown peer and no ClientHello; epoch 0 to a saved one
  uint64_t hello_verify = 0;   // HelloVerifyRequests sent (ClientHellos without a valid cookie)
  uint64_t handshakes_ok = 0;
  uint64_t handshakes_failed = 0;
  uint64_t records_in = 0;     // application records decrypted
  uint64_t records_out = 0;    // application records encrypted
  uint64_t decrypt_failures = 0;  // records dropped for a bad MAC (or bad padding)
  uint64_t saves = 0;
  uint64_t restores = 0;
  uint64_t evictions = 0;      // sessions saved early because max_live was reached
  uint64_t unsaveable = 0;     // sessions closed because mbedTLS could not serialize them
};

enum class SessionState : uint8_t { none, handshake, live, saved };

class DtlsServer {
 public:
  // Throws std::runtime_error when mbedTLS cannot be set up (e.g. no entropy).
  DtlsServer(Config config, Hooks& hooks);
  ~DtlsServer();
  DtlsServer(const DtlsServer&) = delete;
  DtlsServer& operator=(const DtlsServer&) = delete;

  // A datagram from `peer`: a handshake message, records, or garbage (dropped and counted).
  void on_datagram(const Peer& peer, Bytes datagram, uint64_t now_ms);
  // Encrypts `plaintext` into one record to the peer (restoring a saved session first).
  SendResult send(const Peer& peer, Bytes plaintext);
  // Handshake retransmissions and timeouts, idle sessions saved. Call at next_deadline().
  void poll(uint64_t now_ms);
  // Sends close_notify (established sessions) and forgets the peer; false when unknown.
  bool close(const Peer& peer);
  // When poll() has work next (monotonic ms), UINT64_MAX when none.
  uint64_t next_deadline() const;

  Stats stats() const;
  SessionState state(const Peer& peer) const;

 private:
  struct Live;
  struct List {
    Live* head = nullptr;
    Live* tail = nullptr;
    size_t size = 0;
    void push_back(Live* l);
    void remove(Live* l);
  };
  // One table slot per known peer: a live context (handshake or established) or a saved blob.
  // 32 bytes: the kind sits in the Peer's padding.
  struct Slot {
    Peer peer;
    uint8_t kind = 0;  // kLive or kSaved
    void* ptr = nullptr;
  };
  static constexpr uint8_t kLive = 1, kSaved = 2;
  // Keeps a context alive while mbedTLS or a hook works on it (close() from a hook only marks it).
  class Pin;

  void setup_mbedtls();
  Live* take_context();
  void recycle(Live* l, bool already_reset);
  void give_back_heap();
  void destroy(Live* l);

  void accept_hello(const Peer& peer, Bytes datagram);
  void feed(Live& l, Bytes datagram);
  void drive_handshake(Live& l);
  void established(Live& l);
  void read_records(Live& l);
  void reconnect(Live& l);
  void touch(Live& l);
  void end(Live& l, Reason reason, bool report);

  Live* restore(Slot& slot);
  void park(Live& l);
  void enforce_max_live(const Live* keep);
  void enforce_max_handshakes(const Live* keep);
  static Live* oldest_unpinned(const List& list, const Live* keep);

  // mbedTLS callbacks (dtls_glue.cpp).
  static int bio_send(void* live, const unsigned char* data, size_t size);
  static int bio_receive(void* live, unsigned char* data, size_t size);
  static void timer_set(void* live, uint32_t intermediate_ms, uint32_t final_ms);
  static int timer_get(void* live);
  static int psk_lookup(void* server, mbedtls_ssl_context* ssl, const unsigned char* identity, size_t size);
  static int entropy(void* server, unsigned char* out, size_t size);

  Config config_;
  Hooks& hooks_;
  uint64_t now_ms_ = 0;
  Stats stats_;
  PeerMap<Slot> map_;
  List handshakes_;  // oldest first
  List lru_;         // established live sessions, least recently used first
  std::vector<Live*> spares_;
  size_t freed_since_trim_ = 0;  // contexts freed since the heap was last given back
  Live* scratch_ = nullptr;  // answers ClientHellos of unknown peers without keeping state
  Live* current_ = nullptr;  // the context inside mbedtls_ssl_handshake (for psk_lookup)
  std::unique_ptr<uint8_t[]> plaintext_;  // one record's worth, reused
  std::vector<uint8_t> save_buffer_;
  std::vector<Peer> due_;  // poll()'s handshakes to drive, reused

  mbedtls_entropy_context entropy_;
  mbedtls_ctr_drbg_context drbg_;
  mbedtls_ssl_cookie_ctx cookies_;
  mbedtls_ssl_config conf_;
};

}  // namespace tl::server::dtls
