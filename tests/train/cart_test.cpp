#include <gtest/gtest.h>

#include <cmath>

#include "train/cart.hpp"
#include "train/forest.hpp"

using namespace tl::train;

namespace {

struct Data {
  std::vector<float> x;
  std::vector<int> y;
  size_t nf;
  TrainView view(size_t classes) const { return {x.data(), y.data(), y.size(), nf, classes}; }
};

Tree fit(const Data& d, size_t classes, TreeParams p = {}) {
  Rng rng(1);
  std::vector<double> imp(d.nf, 0.0), w(d.y.size(), 1.0);
  return fit_tree(d.view(classes), w, p, rng, imp);
}

}  // namespace

TEST(SplitThreshold, LiesBetweenInFloat) {
  EXPECT_EQ(split_threshold(1.0f, 2.0f), 1.5f);
  float a = 1.0f, b = std::nextafter(a, 2.0f);  // midpoint rounds to b (ties to even): step down
  float t = split_threshold(a, b);
  EXPECT_EQ(t, a);
  EXPECT_TRUE(a <= t && t < b);
  float big = 3.0e38f;
  t = split_threshold(-big, big);
  EXPECT_TRUE(-big <= t && t < big);
}

TEST(Cart, OneFeatureStump) {
  Data d{{1, 2, 3, 10, 11, 12}, {0, 0, 0, 1, 1, 1}, 1};
  Tree t = fit(d, 2);
  ASSERT_EQ(t.nodes.size(), 3u);
  EXPECT_EQ(t.nodes[0].feature, 0);
  EXPECT_EQ(t.nodes[0].threshold, 6.5f);
  EXPECT_EQ(t.nodes[0].left, 1);
  EXPECT_EQ(t.nodes[1].label, 0);
  EXPECT_EQ(t.nodes[2].label, 1);
}

TEST(Cart, PicksTheInformativeFeature) {
  // Feature 0 is noise, feature 1 separates perfectly.
  Data d{{5, 0, 1, 0, 4, 1, 2, 9, 3, 9, 0, 8}, {0, 0, 0, 1, 1, 1}, 2};
  Tree t = fit(d, 2);
  EXPECT_EQ(t.nodes[0].feature, 1);
  EXPECT_EQ(t.nodes[0].threshold, 4.5f);
  for (size_t i = 0; i < d.y.size(); ++i) EXPECT_EQ(t.predict(&d.x[i * 2]), d.y[i]);
}

TEST(Cart, XorNeedsDepthTwoAndMaxDepthStops) {
  Data d{{0, 0, 0, 1, 1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 1, 1}, {0, 1, 1, 0, 0, 1, 1, 0}, 2};
  Tree deep = fit(d, 2);
  EXPECT_EQ(deep.depth(), 2);
  for (size_t i = 0; i < d.y.size(); ++i) EXPECT_EQ(deep.predict(&d.x[i * 2]), d.y[i]);
  TreeParams p;
  p.max_depth = 1;
  EXPECT_EQ(fit(d, 2, p).depth(), 1);
}

TEST(Cart, MinSamplesLeafAndEntropy) {
  Data d{{1, 2, 3, 4, 5, 6}, {0, 1, 1, 1, 1, 1}, 1};
  TreeParams p;
  p.min_samples_leaf = 2;
  p.criterion = Criterion::entropy;
  Tree t = fit(d, 2, p);
  ASSERT_GT(t.nodes.size(), 1u);
  EXPECT_EQ(t.nodes[0].threshold, 2.5f);  // the best split allowed leaves 2 rows on the left
}

TEST(Cart, LeafTieGoesToLowestClass) {
  Data d{{1, 1}, {1, 0}, 1};  // constant feature: no split, one leaf with a 1:1 tie
  Tree t = fit(d, 2);
  ASSERT_EQ(t.nodes.size(), 1u);
  EXPECT_EQ(t.nodes[0].label, 0);
}

TEST(Cart, ZeroWeightRowsAreIgnored) {
  Data d{{1, 2, 3, 4}, {0, 0, 1, 1}, 1};
  Rng rng(1);
  std::vector<double> imp(1, 0.0), w{1, 1, 0, 0};
  Tree t = fit_tree(d.view(2), w, {}, rng, imp);
  EXPECT_EQ(t.nodes.size(), 1u);
  EXPECT_EQ(t.nodes[0].label, 0);
}

namespace {

Data noisy_blobs(size_t n) {
  Data d{{}, {}, 4};
  Rng rng(7);
  for (size_t i = 0; i < n; ++i) {
    int c = int(i % 3);
    d.y.push_back(c);
    for (size_t f = 0; f < 4; ++f) d.x.push_back(float(rng.unit() * 2.0 + (f == 1 ? c : 0)));
  }
  return d;
}

}  // namespace

TEST(Forest, SameSeedSameForestWhateverTheThreads) {
  Data d = noisy_blobs(90);
  ForestParams p;
  p.n_trees = 20;
  p.tree.max_depth = 3;
  p.tree.max_features = 2;
  p.seed = 42;
  p.threads = 1;
  Forest a = fit_forest(d.view(3), p);
  p.threads = 4;
  Forest b = fit_forest(d.view(3), p);
  ASSERT_EQ(a.trees.size(), b.trees.size());
  for (size_t t = 0; t < a.trees.size(); ++t) {
    ASSERT_EQ(a.trees[t].nodes.size(), b.trees[t].nodes.size());
    for (size_t i = 0; i < a.trees[t].nodes.size(); ++i) {
      EXPECT_EQ(a.trees[t].nodes[i].feature, b.trees[t].nodes[i].feature);
      EXPECT_EQ(a.trees[t].nodes[i].threshold, b.trees[t].nodes[i].threshold);
      EXPECT_EQ(a.trees[t].nodes[i].label, b.trees[t].nodes[i].label);
    }
  }
  EXPECT_EQ(a.importance, b.importance);
  p.seed = 43;
  Forest c = fit_forest(d.view(3), p);
  bool differs = false;
  for (size_t t = 0; t < a.trees.size(); ++t) {
    differs |= a.trees[t].nodes[0].threshold != c.trees[t].nodes[0].threshold;
  }
  EXPECT_TRUE(differs);
}

TEST(Forest, ImportanceFindsTheSignalAndVotesPredict) {
  Data d = noisy_blobs(300);
  ForestParams p;
  p.n_trees = 30;
  p.tree.max_depth = 3;
  p.tree.max_features = max_features_from("sqrt", 4);
  p.balanced = true;
  Forest f = fit_forest(d.view(3), p);
  size_t top = size_t(std::max_element(f.importance.begin(), f.importance.end()) -
                      f.importance.begin());
  EXPECT_EQ(top, 1u);
  size_t correct = 0;
  for (size_t i = 0; i < d.y.size(); ++i) correct += f.predict(&d.x[i * 4]) == d.y[i];
  EXPECT_GT(correct, d.y.size() * 6 / 10);
}

TEST(Forest, MaxFeaturesSpec) {
  EXPECT_EQ(max_features_from("sqrt", 12), 3u);
  EXPECT_EQ(max_features_from("sqrt", 1), 1u);
  EXPECT_EQ(max_features_from("all", 12), 0u);
  EXPECT_EQ(max_features_from("5", 12), 5u);
  EXPECT_THROW(max_features_from("half", 12), std::invalid_argument);
}

TEST(Forest, MajorityVoteTieToLowestClass) {
  Forest f;
  f.n_classes = 3;
  Tree a, b;
  a.nodes.push_back({-1, 0, 0, 0, 2});
  b.nodes.push_back({-1, 0, 0, 0, 1});
  f.trees = {a, b};
  float x = 0;
  EXPECT_EQ(f.predict(&x), 1);
}
