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

// Squared distance from x to the centroid at c, in feature order, starting with sum over the
// features before `from`.
float finish_sum(const std::uint8_t* c, const float* x, std::size_t from, std::size_t count,
                 float sum) {
  for (std::size_t f = from; f < count; ++f) {
    const float d = x[f] - detail::load_at<float>(c, f);
    sum += d * d;
  }
  return sum;
}

}  // namespace

// Partial-distance search: a cluster's sum stops growing past limit = (best * radius)^2. The
// stop is only a hint: the partial score sqrt(sum) / radius is then compared with best, and as
// the full sum is >= the partial one and sqrt and / are monotone, a partial score >= best proves
// the full score cannot be strictly smaller (ties keep best). Otherwise the sum is finished in
// the same order, so every score is computed exactly as without the shortcut.
float kmeans_score(const KMeans& m, const float* x) {
  const auto* c = static_cast<const std::uint8_t*>(m.centroids);
  const std::size_t row = m.feature_count * sizeof(float);
  float best = INFINITY;
  for (std::size_t k = 0; k < m.k; ++k, c += row) {
    const float radius = detail::load_at<float>(m.radius, k);
    const float limit = (best * radius) * (best * radius);
    float sum = 0.0f;
    std::size_t f = 0;
    do {
      const float d = x[f] - detail::load_at<float>(c, f);
      sum += d * d;
      ++f;
    } while (f < m.feature_count && !(sum > limit));
    if (f < m.feature_count && !(std::sqrt(sum) / radius < best)) continue;
    const float score = std::sqrt(finish_sum(c, x, f, m.feature_count, sum)) / radius;
    best = score < best ? score : best;
  }
  return best;
}

}  // namespace tl::ml
