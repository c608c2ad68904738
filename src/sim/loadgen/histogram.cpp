#include "sim/loadgen/histogram.hpp"

#include <bit>

namespace tl::sim::loadgen {

// Values below 32 get a bucket each; above, the top kSubBits bits after the leading one pick
// the sub-bucket of the value's power of two.
unsigned Histogram::bucket_of(uint64_t us) {
  if (us < (1u << kSubBits)) return static_cast<unsigned>(us);
  const unsigned top = 63u - static_cast<unsigned>(std::countl_zero(us));
  const unsigned shift = top - kSubBits;
  const unsigned sub = static_cast<unsigned>((us >> shift) & ((1u << kSubBits) - 1));
  return ((shift + 1) << kSubBits) + sub;
}

uint64_t Histogram::upper_edge(unsigned bucket) {
  if (bucket < (1u << kSubBits)) return bucket;
  const unsigned shift = (bucket >> kSubBits) - 1;
  const uint64_t sub = bucket & ((1u << kSubBits) - 1);
  const uint64_t low = ((uint64_t{1} << kSubBits) | sub) << shift;
  return low + (uint64_t{1} << shift) - 1;
}

void Histogram::record(uint64_t us) {
  ++buckets_[bucket_of(us)];
  ++count_;
  if (us > max_) max_ = us;
}

uint64_t Histogram::quantile(double q) const {
  if (count_ == 0) return 0;
  auto rank = static_cast<uint64_t>(q * static_cast<double>(count_));
  if (rank >= count_) rank = count_ - 1;
  uint64_t seen = 0;
  for (unsigned b = 0; b < kBuckets; ++b) {
    seen += buckets_[b];
    if (seen > rank) return upper_edge(b) < max_ ? upper_edge(b) : max_;
  }
  return max_;
}

}  // namespace tl::sim::loadgen
