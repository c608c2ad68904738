// Message-layer reliability (RFC 7252 4.2, 4.5, 4.7, 4.8): transmission parameters and the
// values derived from them, the retransmission schedule of one confirmable message, a window that
// recognises duplicate message IDs, and NSTART accounting. Time is the caller's monotonic clock in
// milliseconds; randomness comes from the caller; all arithmetic is integer.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>

#include "wire/bytes.hpp"

namespace tl::wire::coap {

// RFC 7252 4.8 defaults. ACK_RANDOM_FACTOR is the fraction num/den (1.5 = 3/2) so no floating
// point is needed. Override a field with designated initialisers: {.ack_timeout_ms = 500}.
struct TransmissionParams {
  uint32_t ack_timeout_ms = 2'000;
  uint32_t ack_random_factor_num = 3;
  uint32_t ack_random_factor_den = 2;
  uint32_t max_retransmit = 4;
  uint32_t nstart = 1;
  uint32_t max_latency_ms = 100'000;  // 4.8.2: assumed worst-case network latency

  // ACK_TIMEOUT * ACK_RANDOM_FACTOR: upper bound of the initial timeout.
  constexpr uint64_t max_initial_timeout_ms() const {
    return uint64_t{ack_timeout_ms} * ack_random_factor_num / ack_random_factor_den;
  }
  // PROCESSING_DELAY = ACK_TIMEOUT (4.8.2).
  constexpr uint64_t processing_delay_ms() const { return ack_timeout_ms; }
  // ACK_TIMEOUT * (2^MAX_RETRANSMIT - 1) * ACK_RANDOM_FACTOR: first to last transmission.
  constexpr uint64_t max_transmit_span_ms() const {
    return max_initial_timeout_ms() * ((uint64_t{1} << max_retransmit) - 1);
  }
  // ACK_TIMEOUT * (2^(MAX_RETRANSMIT + 1) - 1) * ACK_RANDOM_FACTOR: first transmission to give-up.
  constexpr uint64_t max_transmit_wait_ms() const {
    return max_initial_timeout_ms() * ((uint64_t{1} << (max_retransmit + 1)) - 1);
  }
  // 2 * MAX_LATENCY + PROCESSING_DELAY.
  constexpr uint64_t max_rtt_ms() const { return 2 * uint64_t{max_latency_ms} + processing_delay_ms(); }
  // How long a CON message ID stays in use: MAX_TRANSMIT_SPAN + 2 * MAX_LATENCY + PROCESSING_DELAY.
  constexpr uint64_t exchange_lifetime_ms() const {
    return max_transmit_span_ms() + 2 * uint64_t{max_latency_ms} + processing_delay_ms();
  }
  // How long a NON message ID stays in use: MAX_TRANSMIT_SPAN + MAX_LATENCY.
  constexpr uint64_t non_lifetime_ms() const { return max_transmit_span_ms() + max_latency_ms; }
};

inline constexpr TransmissionParams kDefaultTransmission{};
static_assert(kDefaultTransmission.max_transmit_span_ms() == 45'000);
static_assert(kDefaultTransmission.max_transmit_wait_ms() == 93'000);
static_assert(kDefaultTransmission.max_rtt_ms() == 202'000);
static_assert(kDefaultTransmission.exchange_lifetime_ms() == 247'000);
static_assert(kDefaultTransmission.non_lifetime_ms() == 145'000);

// The retransmission schedule of one confirmable message (4.2): the first timeout is drawn from
// [ACK_TIMEOUT, ACK_TIMEOUT * ACK_RANDOM_FACTOR], doubles at every retransmission, and the
// exchange gives up when the timeout after the MAX_RETRANSMIT-th retransmission expires.
class Retransmission {
 public:
  enum class Step : uint8_t { idle, wait, retransmit, give_up };

  // Starts the schedule when the message is first sent. `random` is any uniformly distributed
  // 32-bit value; it picks the initial timeout inside the allowed interval.
  void start(const TransmissionParams& params, uint64_t now_ms, uint32_t random);
  // Call when the clock advances or a timer fires. `retransmit`: send the message again now;
  // `give_up`: the peer is unreachable (the schedule stops); `wait`: nothing to do before deadline.
  Step poll(uint64_t now_ms);
  // The matching ACK or RST arrived: stop retransmitting.
  void stop() { active_ = false; }

  bool active() const { return active_; }
  uint64_t deadline_ms() const { return deadline_ms_; }
  uint32_t timeout_ms() const { return timeout_ms_; }
  uint32_t retransmissions() const { return count_; }

 private:
  uint64_t deadline_ms_ = 0;
  uint32_t timeout_ms_ = 0;
  uint32_t count_ = 0;
  uint32_t max_retransmit_ = 0;
  bool active_ = false;
};

// The initial timeout for a given random value: ACK_TIMEOUT + random share of the spread.
uint32_t initial_timeout_ms(const TransmissionParams& params, uint32_t random);

// What a receiver knows about an incoming message ID (4.5).
enum class Dedup : uint8_t {
  fresh,            // first time seen: process it
  duplicate,        // seen, no response recorded yet (still processing, or NON): ignore it
  duplicate_reply,  // seen and answered: send the recorded response again
};

// Remembers recently received (peer, message ID) pairs for their lifetime (EXCHANGE_LIFETIME for
// CON, NON_LIFETIME for NON) together with a caller-defined handle of the response that was sent,
// so a retransmitted CON gets the identical response. `peer` is any caller-chosen id of the
// remote endpoint (an index into its peer table, a hash of the address...).
template <size_t Capacity>
class DedupWindow {
 public:
  explicit DedupWindow(const TransmissionParams& params = kDefaultTransmission) : params_(params) {}

  struct Seen {
    Dedup status = Dedup::fresh;
    uint16_t response = 0;  // valid when status == duplicate_reply
  };

  // Looks the message up and records it when fresh. Error::too_many_items when the window is
  // full of unexpired entries: the caller cannot tell duplicates apart and should drop the message.
  Result<Seen> receive(uint32_t peer, uint16_t message_id, bool confirmable, uint64_t now_ms) {
    if (Entry* e = find(peer, message_id, now_ms)) {
      if (e->has_response) return Seen{Dedup::duplicate_reply, e->response};
      return Seen{Dedup::duplicate, 0};
    }
    Entry* slot = free_slot(now_ms);
    if (slot == nullptr) return Error::too_many_items;
    const uint64_t lifetime = confirmable ? params_.exchange_lifetime_ms() : params_.non_lifetime_ms();
    *slot = Entry{now_ms + lifetime, peer, message_id, 0, true, false};
    return Seen{};
  }

  // Records the response sent for a message received before; Error::end when it has expired.
  Error respond(uint32_t peer, uint16_t message_id, uint16_t response, uint64_t now_ms) {
    Entry* e = find(peer, message_id, now_ms);
    if (e == nullptr) return Error::end;
    e->response = response;
    e->has_response = true;
    return Error::ok;
  }

  size_t size(uint64_t now_ms) const {
    size_t n = 0;
    for (const Entry& e : entries_) n += live(e, now_ms) ? 1u : 0u;
    return n;
  }
  static constexpr size_t capacity() { return Capacity; }

 private:
  struct Entry {
    uint64_t expires_ms = 0;
    uint32_t peer = 0;
    uint16_t message_id = 0;
    uint16_t response = 0;
    bool used = false;
    bool has_response = false;
  };

  static bool live(const Entry& e, uint64_t now_ms) { return e.used && now_ms < e.expires_ms; }

  Entry* find(uint32_t peer, uint16_t message_id, uint64_t now_ms) {
    for (Entry& e : entries_) {
      if (live(e, now_ms) && e.peer == peer && e.message_id == message_id) return &e;
    }
    return nullptr;
  }
  Entry* free_slot(uint64_t now_ms) {
    for (Entry& e : entries_) {
      if (!live(e, now_ms)) return &e;
    }
    return nullptr;
  }

  TransmissionParams params_;
  std::array<Entry, Capacity> entries_{};
};

// NSTART (4.7): how many interactions are outstanding per peer, for up to Capacity peers at once.
template <size_t Capacity>
class NstartLimiter {
 public:
  explicit NstartLimiter(uint32_t nstart = kDefaultTransmission.nstart) : nstart_(nstart) {}

  // True when a new interaction with `peer` may start now (and counts it); false when the peer
  // already has NSTART outstanding or no slot is free for another peer: try again later.
  bool try_begin(uint32_t peer) {
    Slot* s = find(peer);
    if (s == nullptr) s = find_free();
    if (s == nullptr || s->outstanding >= nstart_) return false;
    s->peer = peer;
    ++s->outstanding;
    return true;
  }
  // The interaction completed (response received, or given up).
  void end(uint32_t peer) {
    if (Slot* s = find(peer)) --s->outstanding;
  }
  uint32_t outstanding(uint32_t peer) const {
    for (const Slot& s : slots_) {
      if (s.outstanding != 0 && s.peer == peer) return s.outstanding;
    }
    return 0;
  }

 private:
  struct Slot {
    uint32_t peer = 0;
    uint32_t outstanding = 0;  // 0 marks a free slot
  };
  Slot* find(uint32_t peer) {
    for (Slot& s : slots_) {
      if (s.outstanding != 0 && s.peer == peer) return &s;
    }
    return nullptr;
  }
  Slot* find_free() {
    for (Slot& s : slots_) {
      if (s.outstanding == 0) return &s;
    }
    return nullptr;
  }

  uint32_t nstart_;
  std::array<Slot, Capacity> slots_{};
};

}  // namespace tl::wire::coap
