// Cross-validation splits and classification metrics.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "train/recording.hpp"

namespace tl::train {

// fold[i] = the fold (0 .. k-1) in which row i is a test row.
using FoldAssignment = std::vector<int>;

// Stratified k-fold: each class's rows are shuffled (seeded) and dealt round-robin, so every
// fold holds about 1/k of every class. Throws std::invalid_argument when a class has fewer rows
// than folds.
FoldAssignment stratified_folds(const std::vector<int>& y, size_t n_classes, size_t k,
                                uint64_t seed);

// Group k-fold: all rows of a group (recording) land in the same fold. Groups are dealt per class
// of their first row, shuffled, round-robin, so folds stay roughly stratified. Throws when there
// are fewer groups than folds.
FoldAssignment group_folds(const std::vector<int>& y, const std::vector<int>& group,
                           size_t n_classes, size_t k, uint64_t seed);

struct ClassMetrics {
  double precision = 0, recall = 0, f1 = 0;
  size_t support = 0;
};

struct Metrics {
  std::vector<std::vector<size_t>> confusion;  // [true][predicted]
  double accuracy = 0;
  std::vector<ClassMetrics> per_class;
};

Metrics compute_metrics(const std::vector<int>& truth, const std::vector<int>& predicted,
                        size_t n_classes);

}  // namespace tl::train
