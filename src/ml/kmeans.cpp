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

float kmeans_score(const KMeans& m, const float* x) {
  const auto* c = static_cast<const std::uint8_t*>(m.centroids);
  float best = INFINITY;
  for (std::size_t k = 0; k < m.k; ++k) {
    float sum = 0.0f;
    for (std::size_t f = 0; f < m.feature_count; ++f) {
      const float d = x[f] - detail::load<float>(c);
      sum += d * d;
      c += sizeof(float);
    }
    const float score = std::sqrt(sum) / detail::load_at<float>(m.radius, k);
    best = score < best ? score : best;
  }
  return best;
}

}  // namespace tl::ml
