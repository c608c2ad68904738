// On-device learning of an anomaly detector: reservoir sampling + Local Outlier Factor
// (Szydlo 2022, "Online anomaly detection based on reservoir sampling and LOF for IoT devices").
//
// The store keeps a uniform random sample of every vector ever passed to learn(): Vitter's
// Algorithm R -- the i-th vector (1-based) is stored while the store is not full, afterwards it
// replaces slot j = uniform[0, i) when j < capacity (so it is kept with probability capacity / i).
// Random numbers: xorshift32 seeded by the caller, uniform[0, n) by 32x32->64 multiply-shift.
//
// LOF (Breunig et al. 2000) with Euclidean distance d, over the stored vectors S:
//   N_k(p)        the k nearest stored vectors of p (p itself excluded; ties: lower slot first)
//   kdist(p)      distance to the k-th of them
//   reach(p, o)   max(kdist(o), d(p, o))
//   lrd(p)        1 / max(mean_{o in N_k(p)} reach(p, o), kMinReach)
//   LOF(q)        mean_{o in N_k(q)} lrd(o) / lrd(q)    (q a new vector, neighbours taken in S)
// kdist and lrd of the stored vectors are recomputed on demand (refit(), O(capacity^2 * F)) after
// the store changed; score() refits lazily. ~1 for inliers, > 1 for outliers.
// Cost figures (Cortex-M4, 100 vectors, F = 12, k = 3): see src/ml/README.md.
//
// Static memory only: LofDetector works on caller-owned arrays; StaticLof<Capacity, MaxFeatures>
// owns them (capacity 100, 32 features: 100 * (32 + 2 + k) * 4 bytes ~ 14 KB).
#pragma once

#include <cstddef>
#include <cstdint>

#include "ml/error.hpp"

namespace tl::ml {

inline constexpr std::size_t kMaxLofK = 8;
inline constexpr float kMinReach = 1e-6f;  // floors the mean reachability distance (duplicates)

// Marsaglia xorshift32; state must not be 0 (seed 0 is replaced by a fixed constant).
struct Xorshift32 {
  std::uint32_t state = 2463534242u;
  void seed(std::uint32_t s) { state = (s != 0) ? s : 2463534242u; }
  std::uint32_t next() {
    std::uint32_t x = state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    state = x;
    return x;
  }
  // Uniform in [0, n) for n >= 1 (bias <= n / 2^32, negligible for reservoir sizes).
  std::uint32_t below(std::uint32_t n) {
    return static_cast<std::uint32_t>((static_cast<std::uint64_t>(next()) * n) >> 32);
  }
};

// Caller-owned storage for a LofDetector of `capacity` vectors of up to `max_features` floats.
struct LofBuffers {
  float* vectors = nullptr;           // [capacity * max_features]
  float* kdist = nullptr;             // [capacity]
  float* lrd = nullptr;               // [capacity]
  std::uint16_t* neighbours = nullptr;  // [capacity * kMaxLofK]
  std::size_t capacity = 0;           // 1 .. 65535
  std::size_t max_features = 0;
};

class LofDetector {
 public:
  // features <= max_features, 1 <= k <= kMaxLofK, k < capacity. Empties the store.
  Error init(const LofBuffers& buffers, std::size_t features, std::size_t k, std::uint32_t seed);

  // Algorithm R step. Returns true when x was stored. x must be finite (else not stored, false).
  bool learn(const float* x);

  // Recomputes kdist, neighbours and lrd of every stored vector (no-op when up to date).
  void refit();

  // LOF score of x against the store (refits first if needed). Errors: not_ready (size() <= k),
  // non_finite_input.
  Error score(const float* x, float* out);

  std::size_t size() const { return count_; }
  std::uint32_t seen() const { return seen_; }
  std::size_t features() const { return features_; }
  const float* vector(std::size_t slot) const { return buf_.vectors + slot * buf_.max_features; }

 private:
  float distance(const float* a, const float* b) const;
  void nearest(const float* x, std::size_t skip, std::uint16_t* idx, float* dist) const;

  LofBuffers buf_{};
  Xorshift32 rng_{};
  std::size_t features_ = 0;
  std::size_t k_ = 0;
  std::size_t count_ = 0;
  std::uint32_t seen_ = 0;
  bool fitted_ = false;
};

template <std::size_t Capacity, std::size_t MaxFeatures = 32>
class StaticLof : public LofDetector {
  static_assert(Capacity > 1 && Capacity <= 65535 && MaxFeatures > 0);

 public:
  StaticLof() = default;
  StaticLof(const StaticLof&) = delete;  // the base points into this object's arrays
  StaticLof& operator=(const StaticLof&) = delete;

  Error init(std::size_t features, std::size_t k, std::uint32_t seed) {
    return LofDetector::init(LofBuffers{vectors_, kdist_, lrd_, neighbours_, Capacity, MaxFeatures},
                             features, k, seed);
  }

 private:
  float vectors_[Capacity * MaxFeatures]{};
  float kdist_[Capacity]{};
  float lrd_[Capacity]{};
  std::uint16_t neighbours_[Capacity * kMaxLofK]{};
};

}  // namespace tl::ml
