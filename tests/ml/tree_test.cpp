// General and packed forests: hand-built decisions, thresholds hit exactly, validation errors,
// and packed == general on random forests.
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "fixtures.hpp"
#include "ml/tree.hpp"

namespace {

using namespace tl::ml;
using namespace tl::ml::test;

// Tree 0: x0 <= 0.5 ? (x1 <= -1 ? c0 : c1) : c2.   Tree 1: x1 <= 2 ? c1 : c0.   Tree 2: leaf c2.
OwnedForest hand_forest() {
  OwnedForest f;
  f.classes = 3;
  f.features = 2;
  f.nodes = {split(0, 0.5f, 4), split(1, -1.0f, 3), leaf(0), leaf(1), leaf(2),
             split(1, 2.0f, 7), leaf(1), leaf(0),
             leaf(2)};
  f.roots = {0, 5, 8};
  return f;
}

TEST(Tree, HandBuiltDecisionsIncludingExactThresholds) {
  const OwnedForest o = hand_forest();
  const Forest f = o.view();
  ASSERT_EQ(validate_forest(f), Error::ok);
  const float on_both[2] = {0.5f, -1.0f};  // exactly on thresholds: <= goes left
  EXPECT_EQ(predict_tree(f, 0, on_both), 0);
  const float above[2] = {std::nextafter(0.5f, 1.0f), 0.0f};
  EXPECT_EQ(predict_tree(f, 0, above), 2);
  const float right_of_1[2] = {0.0f, std::nextafter(-1.0f, 0.0f)};
  EXPECT_EQ(predict_tree(f, 0, right_of_1), 1);
  const float at2[2] = {0.0f, 2.0f};
  EXPECT_EQ(predict_tree(f, 1, at2), 1);
  const float over2[2] = {0.0f, 2.5f};
  EXPECT_EQ(predict_tree(f, 1, over2), 0);
  EXPECT_EQ(predict_tree(f, 2, over2), 2);
}

TEST(Tree, VotesAndTieBreak) {
  const OwnedForest o = hand_forest();
  const Forest f = o.view();
  std::uint16_t votes[3];
  const float x[2] = {0.0f, 2.5f};  // trees: c1, c0, c2 -> one vote each, tie -> class 0
  forest_votes(f, x, votes);
  EXPECT_EQ(votes[0], 1);
  EXPECT_EQ(votes[1], 1);
  EXPECT_EQ(votes[2], 1);
  EXPECT_EQ(forest_predict(f, x), 0);
  const float y[2] = {1.0f, 0.0f};  // c2, c1, c2
  EXPECT_EQ(forest_predict(f, y), 2);
  const std::uint16_t v[4] = {1, 3, 3, 0};
  EXPECT_EQ(argmax_votes(v, 4), 1);
  EXPECT_EQ(argmax_votes(v, 0), -1);
}

TEST(Tree, ValidationErrors) {
  auto check = [](void (*edit)(OwnedForest&), Error want) {
    OwnedForest o = hand_forest();
    edit(o);
    EXPECT_EQ(validate_forest(o.view()), want);
  };
  check([](OwnedForest& o) { o.nodes[0].feature = 2; }, Error::bad_index);   // feature >= F
  check([](OwnedForest& o) { o.nodes[2].label = 3; }, Error::bad_index);     // class >= C
  check([](OwnedForest& o) { o.nodes[0].right = 0; }, Error::bad_index);     // backward
  check([](OwnedForest& o) { o.nodes[0].right = 1; }, Error::bad_index);     // == left child
  check([](OwnedForest& o) { o.nodes[1].right = 5; }, Error::bad_index);     // into next tree
  check([](OwnedForest& o) { o.nodes[5].right = 9; }, Error::bad_index);     // past the end
  check([](OwnedForest& o) { o.nodes[4] = split(0, 1.0f, 5); }, Error::bad_index);  // no left
  check([](OwnedForest& o) { o.roots = {1, 5, 8}; }, Error::bad_index);
  check([](OwnedForest& o) { o.roots = {0, 8, 5}; }, Error::bad_index);
  check([](OwnedForest& o) { o.nodes[0].threshold = NAN; }, Error::bad_model);
  check([](OwnedForest& o) { o.classes = 17; }, Error::too_large);
  check([](OwnedForest& o) { o.classes = 0; }, Error::bad_argument);
}

TEST(Packed, HandForestPacksExactly) {
  const OwnedForest o = hand_forest();
  const auto bytes = pack(o.view());
  ASSERT_FALSE(bytes.empty());
  PackedForest p;
  ASSERT_EQ(open_packed_forest(bytes.data(), bytes.size(), &p), Error::ok);
  EXPECT_EQ(p.depth, 2);
  EXPECT_EQ(p.tree_count, 3);
  EXPECT_EQ(p.threshold_count, 3);
  for (float a : {0.0f, 0.5f, std::nextafter(0.5f, 1.0f), -0.0f}) {
    for (float b : {-1.0f, std::nextafter(-1.0f, 0.0f), 2.0f, 2.5f, -3.0f}) {
      const float x[2] = {a, b};
      std::uint16_t gv[3], pv[3];
      forest_votes(o.view(), x, gv);
      packed_forest_votes(p, x, pv);
      for (int c = 0; c < 3; ++c) EXPECT_EQ(gv[c], pv[c]) << a << " " << b;
      EXPECT_EQ(forest_predict(o.view(), x), packed_forest_predict(p, x));
    }
  }
}

struct RandomCase {
  std::size_t trees;
  int depth;
  std::uint8_t classes;
  std::uint8_t features;
};

class PackedRandom : public ::testing::TestWithParam<RandomCase> {};

TEST_P(PackedRandom, EqualsGeneralOnGridAndRandomInputs) {
  const RandomCase c = GetParam();
  for (std::uint32_t seed = 1; seed <= 5; ++seed) {
    const OwnedForest o = random_forest(seed, c.trees, c.depth, c.classes, c.features);
    ASSERT_EQ(validate_forest(o.view()), Error::ok);
    const auto bytes = pack(o.view());
    ASSERT_FALSE(bytes.empty());
    PackedForest p;
    ASSERT_EQ(open_packed_forest(bytes.data(), bytes.size(), &p), Error::ok);
    std::mt19937 rng(seed);
    std::vector<float> x(c.features);
    std::vector<std::uint16_t> gv(c.classes), pv(c.classes);
    for (int i = 0; i < 300; ++i) {
      for (auto& v : x) {
        // Half the inputs on the threshold grid (exact hits), half just off it.
        const float g = static_cast<float>(static_cast<int>(rng() % 25) - 12) * 0.125f;
        v = (rng() & 1) ? g : std::nextafter(g, (rng() & 1) ? 10.0f : -10.0f);
      }
      forest_votes(o.view(), x.data(), gv.data());
      packed_forest_votes(p, x.data(), pv.data());
      ASSERT_EQ(gv, pv) << "seed " << seed << " input " << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Ml, PackedRandom,
                         ::testing::Values(RandomCase{100, 3, 3, 12}, RandomCase{100, 3, 4, 12},
                                           RandomCase{20, 5, 2, 3}, RandomCase{10, 8, 16, 8},
                                           RandomCase{1, 0, 5, 1}));

TEST(Packed, SizeOfPaperForest) {
  const OwnedForest o = random_forest(7, 100, 3, 4, 12);
  const auto bytes = pack(o.view());
  PackedForest p;
  ASSERT_EQ(open_packed_forest(bytes.data(), bytes.size(), &p), Error::ok);
  // 8 header + 12 counts + 4 per threshold + 100 trees of 15 bytes (7 nodes, 8 leaves).
  EXPECT_EQ(bytes.size(), 8u + 12u + 4u * p.threshold_count + 1500u);
}

TEST(Packed, RejectsTooDeepAndSmallBuffer) {
  OwnedForest deep;
  deep.classes = 2;
  deep.features = 1;
  deep.roots = {0};
  for (std::uint16_t i = 0; i < 9; ++i) deep.nodes.push_back(split(0, 1.0f, 0));
  deep.nodes.push_back(leaf(0));
  for (std::uint16_t i = 0; i < 9; ++i) {
    deep.nodes[i].right = static_cast<std::uint16_t>(deep.nodes.size());
    deep.nodes.push_back(leaf(1));
  }
  ASSERT_EQ(validate_forest(deep.view()), Error::ok);
  std::vector<std::uint8_t> buf(4096);
  std::size_t written = 0;
  EXPECT_EQ(pack_forest(deep.view(), buf.data(), buf.size(), &written), Error::too_large);
  const OwnedForest o = hand_forest();
  EXPECT_EQ(pack_forest(o.view(), buf.data(), 10, &written), Error::buffer_too_small);
  // 256 distinct thresholds in one feature: more than a node byte can index.
  OwnedForest wide = random_forest(1, 0, 1, 2, 1);
  for (int t = 0; t < 256; ++t) {
    wide.roots.push_back(static_cast<std::uint16_t>(wide.nodes.size()));
    const auto me = static_cast<std::uint16_t>(wide.nodes.size());
    wide.nodes.push_back(split(0, static_cast<float>(t), static_cast<std::uint16_t>(me + 2)));
    wide.nodes.push_back(leaf(0));
    wide.nodes.push_back(leaf(1));
  }
  ASSERT_EQ(validate_forest(wide.view()), Error::ok);
  EXPECT_EQ(packed_forest_size(wide.view()), 0u);
  EXPECT_EQ(pack_forest(wide.view(), buf.data(), buf.size(), &written), Error::too_large);
}

TEST(Packed, OpenRejectsCorruption) {
  const OwnedForest o = hand_forest();
  const auto good = pack(o.view());
  PackedForest p;
  for (std::size_t n = 0; n < good.size(); ++n) {
    EXPECT_EQ(open_packed_forest(good.data(), n, &p), Error::truncated) << n;
  }
  auto edit = [&](std::size_t at, std::uint8_t v) {
    auto b = good;
    b[at] = v;
    return open_packed_forest(b.data(), b.size(), &p);
  };
  EXPECT_EQ(edit(0, 9), Error::too_large);   // depth
  EXPECT_EQ(edit(1, 17), Error::too_large);  // classes
  EXPECT_EQ(edit(3, 4), Error::bad_model);   // reserved byte
  // Layout: 8 header + 4 counts (2 features, padded) + 3 threshold keys * 4 = the heap of the
  // 3 trees (depth 2) at 24: 3 roots, 6 nodes, then 12 leaves at 33 (8 * class each).
  EXPECT_EQ(edit(25, 4), Error::bad_index);  // threshold index 4 > 3 (3 = always left)
  EXPECT_EQ(edit(30, 4), Error::bad_index);  // the same on the second level
  EXPECT_EQ(edit(33, 1), Error::bad_index);  // a leaf not a multiple of 8
  EXPECT_EQ(edit(33, 24), Error::bad_index);  // class 3 >= 3
  EXPECT_EQ(edit(33, 16), Error::ok);         // class 2
  auto key = [&](std::uint32_t k) {  // feature 0's only threshold key, at 12
    auto b = good;
    std::memcpy(b.data() + 12, &k, 4);
    return open_packed_forest(b.data(), b.size(), &p);
  };
  EXPECT_EQ(key(0xFFFFFFFFu), Error::bad_model);  // key -1: a -0 threshold
  EXPECT_EQ(key(0x7FC00000u), Error::bad_model);  // NaN
  EXPECT_EQ(key(0x7F800000u), Error::bad_model);  // +inf
  EXPECT_EQ(key(0x807FFFFFu), Error::bad_model);  // -inf
  EXPECT_EQ(key(0x00000000u), Error::ok);         // +0
  EXPECT_EQ(edit(7, 1), Error::too_large);   // 256 + 3 thresholds
  EXPECT_EQ(edit(8, 2), Error::bad_model);   // counts no longer sum to threshold_count
  auto swapped = good;  // feature 1's table {-1, 2} -> {2, -1}: not ascending
  std::swap_ranges(swapped.begin() + 16, swapped.begin() + 20, swapped.begin() + 20);
  EXPECT_EQ(open_packed_forest(swapped.data(), swapped.size(), &p), Error::bad_model);
  auto leaves = good;
  leaves.back() = 0xFF;  // class 3 >= 3
  EXPECT_EQ(open_packed_forest(leaves.data(), leaves.size(), &p), Error::bad_index);
  auto longer = good;
  longer.push_back(0);
  EXPECT_EQ(open_packed_forest(longer.data(), longer.size(), &p), Error::bad_model);
}

}  // namespace
