// Random forests (Breiman 2001): bootstrap samples, random feature subsets per split, trees
// trained on all cores. Tree t draws from Rng::stream(seed, t), so the forest depends on the
// seed only, never on the thread count or scheduling.
#pragma once
#include <cstdint>
#include <functional>

#include "train/cart.hpp"

namespace tl::train {

struct ForestParams {
  size_t n_trees = 100;
  TreeParams tree;
  bool bootstrap = true;
  bool balanced = false;  // class_weight balanced: n / (n_classes * count[c])
  uint64_t seed = 1;
  unsigned threads = 0;   // 0: all hardware threads
};

// "sqrt" -> max(1, floor(sqrt(n))), as scikit-learn does; "all" -> 0; a number -> itself.
size_t max_features_from(const std::string& spec, size_t n_features);

// Called after each finished tree with the number done so far (from any thread, serialised).
using ProgressFn = std::function<void(size_t done)>;

Forest fit_forest(const TrainView& data, const ForestParams& params,
                  const ProgressFn& progress = {});

}  // namespace tl::train
