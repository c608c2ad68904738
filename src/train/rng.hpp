// A small, fully specified random generator (SplitMix64). std:: distributions are
// implementation-defined, so they would make a seed mean different models on different
// standard libraries; this does not.
#pragma once
#include <cstdint>

namespace tl::train {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  // Uniform in [0, n), unbiased (rejection of the incomplete last range).
  uint64_t below(uint64_t n) {
    uint64_t limit = ~uint64_t(0) - (~uint64_t(0) % n);
    uint64_t v;
    do {
      v = next();
    } while (v >= limit);
    return v % n;
  }

  // Uniform in [0, 1) with 53 random bits.
  double unit() { return double(next() >> 11) * 0x1.0p-53; }

  // An independent stream for task `index` (tree number, fold...): derived from the seed only,
  // so results do not depend on which thread runs the task.
  static Rng stream(uint64_t seed, uint64_t index) {
    Rng mixer(seed ^ (index * 0xD1B54A32D192ED03ull));
    return Rng(mixer.next());
  }

 private:
  uint64_t state_;
};

}  // namespace tl::train
