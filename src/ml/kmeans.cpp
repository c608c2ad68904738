#include "ml/kmeans.hpp"

#include <cmath>

#include "ml/le.hpp"
#include "ml/pipeline.hpp"

namespace tl::ml {

Error validate_kmeans(const KMeans& m) {
  if (m.centroids == nullptr || m.radius == nullptr || m.k == 0 || m.feature_count == 0) {
    return Error::bad_argument;
  }
  if (m.k > kMaxClusters || m.feature_count > kMaxFeatures) return Error::too_large;
  if (!std::isfinite(m.threshold)) return Error::bad_model;
  for (std::size_t i = 0; i < m.k * m.feature_count; ++i) {
    if (!std::isfinite(detail::load_at<float>(m.centroids, i))) return Error::bad_model;
  }
  for (std::size_t c = 0; c < m.k; ++c) {
    const float r = detail::load_at<float>(m.radius, c);
    if (!std::isfinite(r) || !(r > 0.0f)) return Error::bad_model;
  }
  return Error::ok;
}

namespace {

// sum + (x - c)^2 for one feature; advances x and c (T: see detail::entry).
template <typename T>
[[gnu::always_inline]] inline float add_feature(const float*& x, const T*& c, float sum) {
  const float d = *x++ - detail::entry(c++);
  return sum + d * d;
}

// Partial-distance search: a cluster's sum stops growing once it exceeds limit = (best * radius)^2,
// tested after every second feature. The stop is only a hint: the partial score sqrt(sum) / radius
// is then compared with best, and as the full sum is >= the partial one and sqrt and / are
// monotone, a partial score >= best proves the full score cannot be strictly smaller (ties keep
// best; a NaN full score never replaces best either). Otherwise the sum is finished in the same
// order, so every score that can win is computed exactly as without the shortcut, and where the
// stop is tested does not change the result. With an odd feature_count the first feature is
// added alone. The common case (even count, 4-aligned centroids) gets its own copy of the loop.
template <typename T>
[[gnu::always_inline]] inline float score(const KMeans& m, const float* x, bool odd) {
  const T* c = static_cast<const T*>(m.centroids);
  const auto* radius_at = static_cast<const std::uint8_t*>(m.radius);
  const auto* const radius_end = radius_at + m.k * sizeof(float);
  const float* const x_end = x + m.feature_count;
  float best = INFINITY;
  do {  // k >= 1
    const float radius = detail::load<float>(radius_at);
    radius_at += sizeof(float);
    const float limit = (best * radius) * (best * radius);
    const float* xf = x;
    float sum = 0.0f;
    if (odd) sum = add_feature(xf, c, sum);
    while (xf < x_end) {
      const float d0 = xf[0] - detail::entry(c);
      const float d1 = xf[1] - detail::entry(c + 1);
      xf += 2;
      c += 2;
      sum += d0 * d0;
      sum += d1 * d1;
      if (sum > limit) break;
    }
    if (xf < x_end) {
      if (!(std::sqrt(sum) / radius < best)) {
        c += x_end - xf;
        continue;
      }
      do {
        sum = add_feature(xf, c, sum);
      } while (xf < x_end);
    }
    const float score = std::sqrt(sum) / radius;
    best = score < best ? score : best;
  } while (radius_at < radius_end);
  return best;
}

}  // namespace

float kmeans_score(const KMeans& m, const float* x) {
  const bool odd = (m.feature_count & 1u) != 0;
  if (!odd && detail::aligned4(m.centroids)) return score<detail::BlobFloat>(m, x, false);
  return score<detail::Bytes4>(m, x, odd);
}

}  // namespace tl::ml
