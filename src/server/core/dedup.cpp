#include "server/core/dedup.hpp"

namespace tl::server::core {

DedupCache::DedupCache(size_t capacity) : ring_(capacity == 0 ? 1 : capacity) {
  index_.reserve(ring_.size());
}

DedupCache::Seen DedupCache::check(const dtls::Peer& peer, uint16_t mid, uint64_t now_ms, uint64_t lifetime_ms,
                                   std::span<const uint8_t>& answer) {
  const Key key{peer, mid};
  auto it = index_.find(key);
  if (it != index_.end()) {
    Entry& e = ring_[it->second];
    if (now_ms - e.at_ms < lifetime_ms) {
      answer = e.answer;
      return e.answered ? Seen::answered : Seen::in_progress;
    }
    index_.erase(it);
    e.used = false;
  }
  Entry& slot = ring_[next_];
  if (slot.used) index_.erase(slot.key);
  slot = Entry{key, now_ms, false, {}, true};
  index_[key] = next_;
  next_ = (next_ + 1) % ring_.size();
  return Seen::fresh;
}

void DedupCache::answer(const dtls::Peer& peer, uint16_t mid, std::span<const uint8_t> datagram) {
  auto it = index_.find(Key{peer, mid});
  if (it == index_.end()) return;
  Entry& e = ring_[it->second];
  e.answered = true;
  e.answer.assign(datagram.begin(), datagram.end());
}

}  // namespace tl::server::core
