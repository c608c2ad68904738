// A token bucket per peer address: a flood from one address is dropped before any decoding or
// DTLS work, while every other peer goes on. Bounded: past `max_peers` buckets the table starts
// over (every peer then gets a full bucket again, which only a flood spread over that many
// addresses could exploit).
#pragma once
#include <cstdint>
#include <unordered_map>

#include "server/dtls/peer.hpp"

namespace tl::server::core {

class PeerRateLimiter {
 public:
  // `per_second` datagrams on average, bursts of `burst`; per_second 0 admits everything.
  PeerRateLimiter(uint32_t per_second, uint32_t burst, size_t max_peers = 1 << 20)
      : per_second_(per_second), burst_(burst), max_peers_(max_peers) {}

  bool admit(const dtls::Peer& peer, uint64_t now_ms) {
    if (per_second_ == 0) return true;
    if (buckets_.size() >= max_peers_) buckets_.clear();
    auto [it, fresh] = buckets_.try_emplace(peer, Bucket{static_cast<float>(burst_), now_ms});
    Bucket& b = it->second;
    if (!fresh) {
      const float refill = static_cast<float>(now_ms - b.last_ms) * static_cast<float>(per_second_) / 1000.f;
      b.tokens = std::min(static_cast<float>(burst_), b.tokens + refill);
      b.last_ms = now_ms;
    }
    if (b.tokens < 1.f) return false;
    b.tokens -= 1.f;
    return true;
  }

 private:
  struct Bucket {
    float tokens = 0;
    uint64_t last_ms = 0;
  };
  uint32_t per_second_;
  uint32_t burst_;
  size_t max_peers_;
  std::unordered_map<dtls::Peer, Bucket> buckets_;
};

}  // namespace tl::server::core
