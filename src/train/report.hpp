// The report folder: summary.md with the numbers, SVG charts, metrics.json for scripts, and the
// features with their folds as CSV (what the scikit-learn comparison reads).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "train/trainer.hpp"

namespace tl::train {

struct ReportInput {
  const FeatureTable& table;
  const TrainResult& result;
  const TrainOptions& options;
  const std::vector<std::string>& feature_names;
  const std::vector<std::string>& inputs;
  const Warnings& warnings;
  size_t blob_bytes;
};

// File name -> content.
std::map<std::string, std::string> make_report(const ReportInput& in);

// "fold,label,group,<feature names...>" then one row per feature vector; fold is -1 without
// cross-validation. Floats as shortest round-trip decimals.
std::string features_csv(const FeatureTable& t, const FoldAssignment& folds,
                         const std::vector<std::string>& feature_names);

}  // namespace tl::train
