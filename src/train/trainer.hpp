// The training run: cross-validation of the forest, then the final model (scaler, forest,
// k-means detector) on all rows.
#pragma once
#include <vector>

#include "train/evaluation.hpp"
#include "train/forest.hpp"
#include "train/input_error.hpp"
#include "train/kmeans.hpp"
#include "train/model.hpp"
#include "train/recording.hpp"

namespace tl::train {

struct TrainOptions {
  ForestParams forest;
  std::string max_features = "sqrt";
  KMeansParams kmeans;
  ScalerKind scaler = ScalerKind::minmax;
  size_t folds = 5;       // < 2: no cross-validation
  bool group_split = false;
};

struct TrainResult {
  Model model;
  FoldAssignment folds;          // empty without cross-validation
  std::vector<int> cv_predicted; // out-of-fold prediction per row
  std::vector<double> fold_accuracy;
  Metrics cv;
  double cv_train_ms = 0;        // scaler + forest fits over all folds
  double final_train_ms = 0;     // scaler + forest + k-means on all rows
  std::vector<float> anomaly_scores;  // final detector's score of every training row
};

// Min-max or standard parameters per feature over `rows` of t (all rows when empty), computed
// with the runtime's helpers for the degenerate cases.
Scaler fit_scaler(const FeatureTable& t, const std::vector<size_t>& rows, ScalerKind kind);

// Calls progress(done, total) after every tree.
using TrainProgress = std::function<void(size_t done, size_t total)>;

// Throws std::invalid_argument when the folds cannot be made (too few rows/recordings per fold).
TrainResult train(const FeatureTable& t, const ml::Pipeline& pipeline, const TrainOptions& o,
                  Warnings& warnings, const TrainProgress& progress = {});

}  // namespace tl::train
