// Duplicate detection for confirmable requests from devices (RFC 7252 4.5): the answer to each
// recent (peer, message id) is kept, so a retransmitted Register gets the same Location again
// instead of a second registration. Bounded: a ring of the newest entries (at 10,000 requests
// a second, 131,072 entries cover 13 s, several retransmissions of any of them); an entry
// also ages out after EXCHANGE_LIFETIME.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "server/dtls/peer.hpp"

namespace tl::server::core {

class DedupCache {
 public:
  explicit DedupCache(size_t capacity);

  enum class Seen : uint8_t { fresh, in_progress, answered };
  // Records a new request (fresh), or tells that it was seen: still being handled (the answer
  // waits for the store) or answered (`answer` then holds the datagram to send again).
  Seen check(const dtls::Peer& peer, uint16_t mid, uint64_t now_ms, uint64_t lifetime_ms,
             std::span<const uint8_t>& answer);
  // The answer to a request recorded by check().
  void answer(const dtls::Peer& peer, uint16_t mid, std::span<const uint8_t> datagram);

 private:
  struct Key {
    dtls::Peer peer;
    uint16_t mid = 0;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const { return k.peer.hash(k.mid); }
  };
  struct Entry {
    Key key;
    uint64_t at_ms = 0;
    bool answered = false;
    std::vector<uint8_t> answer;
    bool used = false;
  };
  std::vector<Entry> ring_;
  size_t next_ = 0;
  std::unordered_map<Key, size_t, KeyHash> index_;
};

}  // namespace tl::server::core
