#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "train/evaluation.hpp"
#include "train/kmeans.hpp"

using namespace tl::train;

TEST(KMeans, FindsSeparatedClustersAndFloorsSingletons) {
  std::vector<float> x;
  for (int c = 0; c < 3; ++c) {
    for (int i = 0; i < 10; ++i) {
      x.push_back(float(c * 10) + float(i % 3) * 0.1f);
      x.push_back(float(i % 2) * 0.1f);
    }
  }
  x.push_back(100.0f);  // a singleton cluster: radius 0 without the floor
  x.push_back(100.0f);
  KMeansParams p;
  p.clusters = 4;
  p.quantile = 1.0;
  Warnings w;
  KMeansDetector det = fit_kmeans(x, 2, p, w);
  ASSERT_EQ(det.k(), 4u);
  std::vector<float> sorted = det.radius;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_GT(sorted[0], 0.0f);
  EXPECT_EQ(sorted[0], sorted[1]);  // the singleton got the median of the populated radii
  // The threshold is the largest training score: no training row is an anomaly.
  for (size_t i = 0; i < x.size() / 2; ++i) EXPECT_LE(det.score(&x[i * 2]), det.threshold);
  float far[] = {50.0f, 50.0f};
  EXPECT_GT(det.score(far), det.threshold);
  EXPECT_TRUE(w.empty());
}

TEST(KMeans, FewerDistinctPointsThanClusters) {
  std::vector<float> x{1, 1, 1, 1, 2, 2};
  KMeansParams p;
  p.clusters = 16;
  Warnings w;
  KMeansDetector det = fit_kmeans(x, 2, p, w);
  EXPECT_EQ(det.k(), 2u);
  EXPECT_EQ(w.size(), 1u);
  for (float r : det.radius) EXPECT_TRUE(std::isfinite(r) && r > 0);
}

TEST(KMeans, QuantileInterpolates) {
  EXPECT_DOUBLE_EQ(quantile({4, 1, 3, 2}, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(quantile({4, 1, 3, 2}, 1.0), 4.0);
  EXPECT_DOUBLE_EQ(quantile({4, 1, 3, 2}, 0.0), 1.0);
}

TEST(Folds, StratifiedKeepsClassProportions) {
  std::vector<int> y;
  for (int i = 0; i < 27; ++i) y.push_back(0);
  for (int i = 0; i < 30; ++i) y.push_back(1);
  for (int i = 0; i < 23; ++i) y.push_back(2);
  FoldAssignment f = stratified_folds(y, 3, 5, 1);
  for (int k = 0; k < 5; ++k) {
    size_t per_class[3] = {0, 0, 0};
    for (size_t i = 0; i < y.size(); ++i) per_class[y[i]] += f[i] == k;
    EXPECT_GE(per_class[0], 5u);
    EXPECT_LE(per_class[0], 6u);
    EXPECT_EQ(per_class[1], 6u);
    EXPECT_GE(per_class[2], 4u);
    EXPECT_LE(per_class[2], 5u);
  }
  EXPECT_EQ(f, stratified_folds(y, 3, 5, 1));
  EXPECT_NE(f, stratified_folds(y, 3, 5, 2));
  EXPECT_THROW(stratified_folds({0, 0, 1}, 2, 2, 1), std::invalid_argument);
}

TEST(Folds, GroupSplitNeverSharesARecording) {
  std::vector<int> y, g;
  for (int rec = 0; rec < 12; ++rec) {
    for (int w = 0; w < 3 + rec % 4; ++w) {
      y.push_back(rec % 3);
      g.push_back(rec);
    }
  }
  FoldAssignment f = group_folds(y, g, 3, 4, 9);
  std::vector<std::set<int>> folds_of(12);
  for (size_t i = 0; i < y.size(); ++i) folds_of[size_t(g[i])].insert(f[i]);
  for (const auto& s : folds_of) EXPECT_EQ(s.size(), 1u);
  for (int k = 0; k < 4; ++k) {
    std::set<int> classes;
    for (size_t i = 0; i < y.size(); ++i) {
      if (f[i] == k) classes.insert(y[i]);
    }
    EXPECT_EQ(classes.size(), 3u);  // 4 recordings per class dealt over 4 folds
  }
  EXPECT_THROW(group_folds(y, g, 3, 13, 1), std::invalid_argument);
}

TEST(Metrics, ConfusionPrecisionRecall) {
  Metrics m = compute_metrics({0, 0, 1, 1, 2}, {0, 1, 1, 1, 0}, 3);
  EXPECT_DOUBLE_EQ(m.accuracy, 0.6);
  EXPECT_EQ(m.confusion[0][1], 1u);
  EXPECT_DOUBLE_EQ(m.per_class[1].precision, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(m.per_class[1].recall, 1.0);
  EXPECT_DOUBLE_EQ(m.per_class[1].f1, 0.8);
  EXPECT_DOUBLE_EQ(m.per_class[2].f1, 0.0);
}
