// Reservoir sampling statistics and LOF against a brute-force double-precision reference.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>
#include <vector>

#include "ml/lof.hpp"

namespace {

using namespace tl::ml;

TEST(Reservoir, FillsThenKeepsCapacity) {
  auto lof = std::make_unique<StaticLof<10, 2>>();
  ASSERT_EQ(lof->init(2, 3, 1), Error::ok);
  for (int i = 0; i < 10; ++i) {
    const float x[2] = {static_cast<float>(i), 0.0f};
    EXPECT_TRUE(lof->learn(x));
  }
  EXPECT_EQ(lof->size(), 10u);
  for (int i = 10; i < 1000; ++i) {
    const float x[2] = {static_cast<float>(i), 0.0f};
    lof->learn(x);
  }
  EXPECT_EQ(lof->size(), 10u);
  EXPECT_EQ(lof->seen(), 1000u);
  const float nan[2] = {NAN, 0.0f};
  EXPECT_FALSE(lof->learn(nan));
  EXPECT_EQ(lof->seen(), 1000u);
}

TEST(Reservoir, InitRejectsBadParameters) {
  auto lof = std::make_unique<StaticLof<10, 4>>();
  EXPECT_EQ(lof->init(5, 3, 1), Error::bad_argument);   // features > MaxFeatures
  EXPECT_EQ(lof->init(4, 0, 1), Error::bad_argument);   // k = 0
  EXPECT_EQ(lof->init(4, 9, 1), Error::bad_argument);   // k > kMaxLofK
  EXPECT_EQ(lof->init(4, 3, 0), Error::ok);             // seed 0 is replaced
}

// Algorithm R keeps each of n items with probability capacity / n. Over R runs with distinct seeds
// the keep count of each item is Binomial(R, p); the chi-square statistic over the 1000 items
// (999 degrees of freedom) must stay well inside its distribution.
TEST(Reservoir, EveryItemKeptWithEqualProbability) {
  constexpr int kItems = 1000;
  constexpr int kRuns = 2000;
  constexpr std::size_t kCap = 100;
  std::vector<int> kept(kItems, 0);
  auto lof = std::make_unique<StaticLof<kCap, 1>>();
  for (int run = 0; run < kRuns; ++run) {
    ASSERT_EQ(lof->init(1, 3, static_cast<std::uint32_t>(run + 1) * 2654435761u), Error::ok);
    for (int i = 0; i < kItems; ++i) {
      const float x[1] = {static_cast<float>(i)};
      lof->learn(x);
    }
    for (std::size_t s = 0; s < lof->size(); ++s) ++kept[static_cast<std::size_t>(lof->vector(s)[0])];
  }
  const double p = static_cast<double>(kCap) / kItems;
  const double expect = kRuns * p;
  const double var = kRuns * p * (1.0 - p);
  double chi2 = 0.0;
  for (int k : kept) chi2 += (k - expect) * (k - expect) / var;
  // Mean 999, sd sqrt(2 * 999) ~ 44.7: accept within 5 sd.
  EXPECT_LT(std::abs(chi2 - 999.0), 5.0 * 44.7) << chi2;
  // The first and the last items are not favoured.
  double first = 0, last = 0;
  for (int i = 0; i < 100; ++i) first += kept[static_cast<std::size_t>(i)];
  for (int i = 900; i < 1000; ++i) last += kept[static_cast<std::size_t>(i)];
  EXPECT_NEAR(first / (100 * expect), 1.0, 0.05);
  EXPECT_NEAR(last / (100 * expect), 1.0, 0.05);
}

// Brute-force LOF in double, same neighbour rule (k nearest, ties to the lower index).
struct RefLof {
  std::vector<std::vector<double>> s;
  std::size_t k;

  static double dist(const std::vector<double>& a, const std::vector<double>& b) {
    double sum = 0;
    for (std::size_t i = 0; i < a.size(); ++i) sum += (a[i] - b[i]) * (a[i] - b[i]);
    return std::sqrt(sum);
  }
  std::vector<std::size_t> knn(const std::vector<double>& x, std::size_t skip) const {
    std::vector<std::size_t> idx;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (i != skip) idx.push_back(i);
    }
    std::stable_sort(idx.begin(), idx.end(),
                     [&](std::size_t a, std::size_t b) { return dist(x, s[a]) < dist(x, s[b]); });
    idx.resize(k);
    return idx;
  }
  double kdist(std::size_t p) const { return dist(s[p], s[knn(s[p], p).back()]); }
  double lrd_of(const std::vector<double>& x, std::size_t skip) const {
    double sum = 0;
    for (std::size_t o : knn(x, skip)) sum += std::max(kdist(o), dist(x, s[o]));
    return 1.0 / std::max(sum / static_cast<double>(k), 1e-6);
  }
  double lof(const std::vector<double>& x) const {
    double sum = 0;
    for (std::size_t o : knn(x, s.size())) sum += lrd_of(s[o], o);
    return sum / static_cast<double>(k) / lrd_of(x, s.size());
  }
};

TEST(Lof, MatchesBruteForceReference) {
  auto lof = std::make_unique<StaticLof<100, 32>>();
  ASSERT_EQ(lof->init(12, 3, 42), Error::ok);
  std::mt19937 rng(3);
  std::normal_distribution<float> g(0.0f, 1.0f);
  float x[12];
  const float probe0[12] = {};
  float out = 0;
  EXPECT_EQ(lof->score(probe0, &out), Error::not_ready);
  for (int i = 0; i < 300; ++i) {  // 300 > capacity: replacements happen
    for (float& v : x) v = g(rng);
    lof->learn(x);
  }
  RefLof ref;
  ref.k = 3;
  for (std::size_t s = 0; s < lof->size(); ++s) {
    ref.s.emplace_back(lof->vector(s), lof->vector(s) + 12);
  }
  for (int q = 0; q < 20; ++q) {
    for (float& v : x) v = g(rng) * (q < 10 ? 1.0f : 4.0f);  // 10 inliers, 10 outliers
    ASSERT_EQ(lof->score(x, &out), Error::ok);
    const double want = ref.lof(std::vector<double>(x, x + 12));
    EXPECT_NEAR(out, want, 1e-4 * want) << q;
  }
  const float far[12] = {50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50};
  ASSERT_EQ(lof->score(far, &out), Error::ok);
  EXPECT_GT(out, 5.0f);
  const float nan[12] = {NAN};
  EXPECT_EQ(lof->score(nan, &out), Error::non_finite_input);
}

TEST(Lof, DuplicatesDoNotDivideByZero) {
  auto lof = std::make_unique<StaticLof<8, 2>>();
  ASSERT_EQ(lof->init(2, 2, 5), Error::ok);
  const float same[2] = {1.0f, 1.0f};
  for (int i = 0; i < 8; ++i) lof->learn(same);
  float out = 0;
  ASSERT_EQ(lof->score(same, &out), Error::ok);
  EXPECT_FLOAT_EQ(out, 1.0f);
  const float other[2] = {2.0f, 1.0f};
  ASSERT_EQ(lof->score(other, &out), Error::ok);
  EXPECT_TRUE(std::isfinite(out));
  EXPECT_GT(out, 1.0f);
}

}  // namespace
