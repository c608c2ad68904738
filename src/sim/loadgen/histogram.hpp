// Latency histogram: log-linear buckets (32 per power of two, so any recorded value is reported
// within about 3 % of itself) over microseconds, constant memory whatever the count.
#pragma once
#include <array>
#include <cstdint>

namespace tl::sim::loadgen {

class Histogram {
 public:
  void record(uint64_t us);
  uint64_t count() const { return count_; }
  uint64_t max() const { return max_; }
  // The value at quantile q (0..1): the upper edge of the bucket holding it, capped at max().
  uint64_t quantile(double q) const;

 private:
  static constexpr unsigned kSubBits = 5;  // 32 sub-buckets per power of two
  static constexpr unsigned kBuckets = (64 - kSubBits + 1) << kSubBits;
  static unsigned bucket_of(uint64_t us);
  static uint64_t upper_edge(unsigned bucket);

  std::array<uint64_t, kBuckets> buckets_{};
  uint64_t count_ = 0;
  uint64_t max_ = 0;
};

}  // namespace tl::sim::loadgen
