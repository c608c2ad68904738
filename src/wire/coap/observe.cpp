#include "wire/coap/observe.hpp"

#include "wire/coap/uint_value.hpp"

namespace tl::wire::coap {

namespace {
constexpr uint32_t kHalfSeqSpace = 1u << 23;
constexpr size_t kMaxObserveLen = 3;
}  // namespace

Result<uint32_t> decode_observe(Bytes value) { return detail::read_uint_value(value, kMaxObserveLen); }

Result<size_t> encode_observe(uint32_t value, MutableBytes out) {
  return detail::write_uint_value(value & kObserveSeqMask, out);
}

bool observe_is_newer(uint32_t v1, uint64_t t1_ms, uint32_t v2, uint64_t t2_ms) {
  v1 &= kObserveSeqMask;
  v2 &= kObserveSeqMask;
  // Serial-number arithmetic over 24 bits: "newer" means ahead by less than half the space.
  if (v1 < v2 && v2 - v1 < kHalfSeqSpace) return true;
  if (v1 > v2 && v1 - v2 > kHalfSeqSpace) return true;
  return t2_ms > t1_ms + kObserveFreshnessMs;
}

bool ObserveFreshness::accept(uint32_t seq, uint64_t now_ms) {
  if (seen_ && !observe_is_newer(last_seq_, last_ms_, seq, now_ms)) return false;
  seen_ = true;
  last_seq_ = seq & kObserveSeqMask;
  last_ms_ = now_ms;
  return true;
}

}  // namespace tl::wire::coap
