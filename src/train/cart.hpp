// CART decision trees (Breiman et al. 1984) on float features, with the threshold rule that
// keeps training-time decisions identical in the float evaluators.
#pragma once
#include <cstddef>
#include <vector>

#include "train/model.hpp"
#include "train/rng.hpp"

namespace tl::train {

enum class Criterion { gini, entropy };

struct TreeParams {
  Criterion criterion = Criterion::gini;
  int max_depth = -1;            // -1: unlimited
  size_t min_samples_leaf = 1;
  size_t min_samples_split = 2;
  size_t max_features = 0;       // features tried per split; 0: all
};

// Rows to learn from: x is row-major (n_rows * n_features).
struct TrainView {
  const float* x = nullptr;
  const int* y = nullptr;
  size_t n_rows = 0;
  size_t n_features = 0;
  size_t n_classes = 0;
};

// Fits one tree. weight[i] is row i's weight (0: not in this tree's sample). importance gets
// the tree's total weighted impurity decrease per feature added to it (not normalised).
Tree fit_tree(const TrainView& data, const std::vector<double>& weight, const TreeParams& params,
              Rng& rng, std::vector<double>& importance);

// A float t with lower <= t < upper: the midpoint (in double) rounded to float, stepped down
// when rounding reached upper. lower < upper required.
float split_threshold(float lower, float upper);

}  // namespace tl::train
