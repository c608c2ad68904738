// K-means anomaly detector: k-means++ seeding (Arthur & Vassilvitskii 2007), Lloyd iterations,
// then per-cluster radii and a score threshold from the training scores.
#pragma once
#include <cstdint>

#include "train/input_error.hpp"
#include "train/model.hpp"

namespace tl::train {

struct KMeansParams {
  size_t clusters = 16;
  size_t restarts = 4;        // best of this many seeded runs (lowest inertia)
  size_t max_iterations = 300;
  double quantile = 0.99;     // threshold = this quantile of the training scores (1: max)
  uint64_t seed = 1;
};

// x: n rows of dim already-scaled features. Fewer distinct rows than clusters shrinks K
// (with a warning).
KMeansDetector fit_kmeans(const std::vector<float>& x, size_t dim, const KMeansParams& params,
                          Warnings& warnings);

// Quantile with linear interpolation between order statistics (numpy's default), q in [0, 1].
double quantile(std::vector<double> values, double q);

}  // namespace tl::train
