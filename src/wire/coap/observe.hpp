// Observing resources (RFC 7641): Observe option values, the client's freshness check that drops
// reordered notifications, and the server's per-observation sequence counter.
#pragma once
#include <cstddef>
#include <cstdint>

#include "wire/bytes.hpp"

namespace tl::wire::coap {

// Observe option (number 6, owned by the message codec) in a request.
inline constexpr uint32_t kObserveRegister = 0;
inline constexpr uint32_t kObserveDeregister = 1;
// Notification sequence numbers are 24 bits wide (the option is at most 3 bytes).
inline constexpr uint32_t kObserveSeqMask = 0xFFFFFF;
// Section 3.4: a notification more than 128 s after the last one is fresh whatever its number.
inline constexpr uint64_t kObserveFreshnessMs = 128'000;

// Errors: option_too_long (more than 3 bytes).
Result<uint32_t> decode_observe(Bytes value);
// Minimal-length bytes for `value` masked to 24 bits; returns the length (0..3).
Result<size_t> encode_observe(uint32_t value, MutableBytes out);

// True when notification (v2 received at t2_ms) is newer than (v1 at t1_ms), RFC 7641 3.4.
// Times are the client's local receive times in milliseconds.
bool observe_is_newer(uint32_t v1, uint64_t t1_ms, uint32_t v2, uint64_t t2_ms);

// Client side: remembers the freshest notification of one observation.
class ObserveFreshness {
 public:
  // True (and remembered) when the notification is fresher than every one accepted so far;
  // false when it is stale and must not replace the cached representation.
  bool accept(uint32_t seq, uint64_t now_ms);
  void reset() { seen_ = false; }
  bool seen() const { return seen_; }
  uint32_t last_seq() const { return last_seq_; }

 private:
  bool seen_ = false;
  uint32_t last_seq_ = 0;
  uint64_t last_ms_ = 0;
};

// Server side: the Observe value of the next notification of one observation, wrapping at 2^24.
class ObserveCounter {
 public:
  constexpr explicit ObserveCounter(uint32_t start = 0) : next_(start & kObserveSeqMask) {}
  uint32_t next() {
    const uint32_t v = next_;
    next_ = (next_ + 1) & kObserveSeqMask;
    return v;
  }
  uint32_t peek() const { return next_; }

 private:
  uint32_t next_;
};

}  // namespace tl::wire::coap
