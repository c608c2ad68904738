// A flat open-addressing hash table of per-peer slots (linear probing, backward-shift erase, no
// tombstones): one contiguous array, no node per entry, O(1) expected lookup. A million idle
// sessions cost the slot size over the load factor each, instead of a heap node, a bucket
// pointer and a cached hash per entry.
//
// `Slot` is a small trivially copyable struct with a `Peer peer` member; a slot whose peer is
// empty() is free. Pointers and references to slots are invalidated by insert and erase.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <utility>

#include "server/dtls/peer.hpp"

namespace tl::server::dtls {

template <class Slot>
class PeerMap {
  static_assert(std::is_trivially_copyable_v<Slot>);

 public:
  // `seed` keys the hash: peers are chosen by the network, so the layout must not be guessable.
  explicit PeerMap(uint64_t seed = 0) : seed_(seed) {}
  // Only while empty (the owner learns its secret after construction).
  void set_seed(uint64_t seed) {
    if (size_ == 0) seed_ = seed;
  }

  Slot* find(const Peer& peer) { return const_cast<Slot*>(std::as_const(*this).find(peer)); }
  const Slot* find(const Peer& peer) const {
    if (size_ == 0) return nullptr;
    for (size_t i = home(peer);; i = next(i)) {
      if (slots_[i].peer.empty()) return nullptr;
      if (slots_[i].peer == peer) return &slots_[i];
    }
  }

  // `slot.peer` must not be in the table yet.
  Slot& insert(const Slot& slot) {
    if ((size_ + 1) * kLoadDen > capacity_ * kLoadNum) grow();
    Slot& placed = place(slot);
    ++size_;
    return placed;
  }

  bool erase(const Peer& peer) {
    Slot* s = find(peer);
    if (s == nullptr) return false;
    // Backward shift: pull later members of the probe run into the hole, so find() can keep
    // stopping at the first free slot.
    size_t hole = size_t(s - slots_.get());
    for (size_t i = next(hole);; i = next(i)) {
      if (slots_[i].peer.empty()) break;
      const size_t want = home(slots_[i].peer);
      // Movable when its home is not in (hole, i] (cyclically).
      if ((i > hole && (want <= hole || want > i)) || (i < hole && want <= hole && want > i)) {
        slots_[hole] = slots_[i];
        hole = i;
      }
    }
    slots_[hole] = Slot{};
    --size_;
    return true;
  }

  template <class F>
  void for_each(F f) {
    for (size_t i = 0; i < capacity_; ++i) {
      if (!slots_[i].peer.empty()) f(slots_[i]);
    }
  }

  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  // The table's own heap bytes (what the slots cost, whatever they point to).
  size_t bytes() const { return capacity_ * sizeof(Slot); }

 private:
  // At most 3/4 full: probe runs stay a few slots long (lookups of unknown peers, which a flood
  // brings, end at the first free slot), while the array stays the only per-entry cost.
  static constexpr size_t kLoadNum = 3, kLoadDen = 4;

  size_t home(const Peer& p) const { return p.hash(seed_) & (capacity_ - 1); }
  size_t next(size_t i) const { return (i + 1) & (capacity_ - 1); }

  Slot& place(const Slot& slot) {
    size_t i = home(slot.peer);
    while (!slots_[i].peer.empty()) i = next(i);
    slots_[i] = slot;
    return slots_[i];
  }

  void grow() {
    const size_t old_capacity = capacity_;
    std::unique_ptr<Slot[]> old = std::move(slots_);
    capacity_ = old_capacity == 0 ? 16 : old_capacity * 2;
    slots_ = std::make_unique<Slot[]>(capacity_);
    for (size_t i = 0; i < old_capacity; ++i) {
      if (!old[i].peer.empty()) place(old[i]);
    }
  }

  uint64_t seed_;
  std::unique_ptr<Slot[]> slots_;
  size_t capacity_ = 0;
  size_t size_ = 0;
};

}  // namespace tl::server::dtls
