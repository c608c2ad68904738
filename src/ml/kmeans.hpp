// K-means anomaly detector (FogML's density detector with a floored per-cluster radius).
//
// score(x) = min over clusters k of ||x - c_k||_2 / radius_k, in the scaled feature space.
// x is an anomaly when score(x) > threshold. The trainer sets radius_k = max(mean distance of the
// members of k to c_k, floor), floor = median radius of the clusters with >= 2 members, so no
// radius is 0 (FogML divides by a spread that is 0 for singleton clusters).
#pragma once

#include <cstddef>
#include <cstdint>

#include "ml/error.hpp"

namespace tl::ml {

inline constexpr std::size_t kMaxClusters = 255;

// Pointers may be unaligned (blob bytes); a float[] converts implicitly.
struct KMeans {
  const void* centroids = nullptr;  // float [k * feature_count], row-major (cluster, feature)
  const void* radius = nullptr;     // float [k], each finite and > 0
  std::size_t k = 0;                // 1 .. kMaxClusters
  std::size_t feature_count = 0;    // 1 .. kMaxFeatures
  float threshold = 0.0f;           // finite
};

// Checks counts, finite centroids, finite positive radii, finite threshold.
// Error::ok, bad_argument, too_large, bad_model.
Error validate_kmeans(const KMeans& m);

// min_k ||x - c_k|| / radius_k (sqrt of the float sum of squares, accumulated in feature order).
float kmeans_score(const KMeans& m, const float* x);

inline bool kmeans_is_anomaly(const KMeans& m, float score) { return score > m.threshold; }

}  // namespace tl::ml
