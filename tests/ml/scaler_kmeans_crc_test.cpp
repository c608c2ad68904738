#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "ml/crc32.hpp"
#include "ml/kmeans.hpp"
#include "ml/scaler.hpp"

namespace {

using namespace tl::ml;

TEST(Crc32, KnownVectors) {
  const char* s = "123456789";
  EXPECT_EQ(crc32(reinterpret_cast<const std::uint8_t*>(s), 9), 0xCBF43926u);
  EXPECT_EQ(crc32(nullptr, 0), 0u);
  const std::uint8_t zeros[4] = {};
  EXPECT_EQ(crc32(zeros, 4), 0x2144DF1Cu);
  // Incremental == one shot.
  const auto* b = reinterpret_cast<const std::uint8_t*>(s);
  EXPECT_EQ(crc32_update(crc32(b, 4), b + 4, 5), 0xCBF43926u);
}

TEST(Scaler, AppliesOffsetAndScale) {
  const float offset[3] = {1.0f, -2.0f, 0.0f};
  const float scale[3] = {0.5f, 2.0f, 1.0f};
  float x[3] = {3.0f, -1.0f, 7.0f};
  apply_scaler(Scaler{offset, scale, 3}, x);
  EXPECT_EQ(x[0], 1.0f);
  EXPECT_EQ(x[1], 2.0f);
  EXPECT_EQ(x[2], 7.0f);
}

TEST(Scaler, UnalignedParameters) {
  alignas(4) std::uint8_t bytes[1 + 8];
  const float o = 1.0f, s = 4.0f;
  std::memcpy(bytes + 1, &o, 4);
  std::memcpy(bytes + 5, &s, 4);
  float x[1] = {2.0f};
  apply_scaler(Scaler{bytes + 1, bytes + 5, 1}, x);
  EXPECT_EQ(x[0], 4.0f);
}

TEST(Scaler, ParameterHelpersHandleDegenerateFeatures) {
  float off, sc;
  minmax_params(2.0f, 6.0f, &off, &sc);
  EXPECT_EQ(off, 2.0f);
  EXPECT_EQ(sc, 0.25f);
  minmax_params(3.0f, 3.0f, &off, &sc);
  EXPECT_EQ(sc, 1.0f);
  standard_params(5.0f, 0.5f, &off, &sc);
  EXPECT_EQ(off, 5.0f);
  EXPECT_EQ(sc, 2.0f);
  standard_params(5.0f, 0.0f, &off, &sc);
  EXPECT_EQ(sc, 1.0f);
}

TEST(KMeans, ScoreIsMinimumOfDistanceOverRadius) {
  // Two clusters in 2-D: (0,0) radius 1, (10,0) radius 4.
  const float c[4] = {0.0f, 0.0f, 10.0f, 0.0f};
  const float r[2] = {1.0f, 4.0f};
  const KMeans m{c, r, 2, 2, 1.5f};
  ASSERT_EQ(validate_kmeans(m), Error::ok);
  const float a[2] = {3.0f, 4.0f};  // 5 / 1 = 5 vs sqrt(49+16)/4 = 2.0156
  EXPECT_FLOAT_EQ(kmeans_score(m, a), std::sqrt(65.0f) / 4.0f);
  EXPECT_TRUE(kmeans_is_anomaly(m, kmeans_score(m, a)));
  const float b[2] = {0.6f, 0.8f};  // exactly 1 from cluster 0
  EXPECT_FLOAT_EQ(kmeans_score(m, b), 1.0f);
  EXPECT_FALSE(kmeans_is_anomaly(m, kmeans_score(m, b)));
  const float on_threshold[2] = {0.0f, 1.5f};
  EXPECT_FALSE(kmeans_is_anomaly(m, kmeans_score(m, on_threshold)));  // > threshold, not >=
}

TEST(KMeans, SingletonClusterWithFlooredRadius) {
  // A singleton cluster: the trainer floors its radius (here to 0.5) instead of FogML's 0 spread;
  // a point at its centre scores 0 and a point 0.25 away scores 0.5, not infinity.
  const float c[2] = {1.0f, 5.0f};
  const float r[2] = {2.0f, 0.5f};
  const KMeans m{c, r, 2, 1, 1.0f};
  const float at[1] = {5.0f};
  EXPECT_EQ(kmeans_score(m, at), 0.0f);
  const float near[1] = {5.25f};
  EXPECT_FLOAT_EQ(kmeans_score(m, near), 0.5f);
  EXPECT_FALSE(kmeans_is_anomaly(m, kmeans_score(m, near)));
}

TEST(KMeans, Validation) {
  const float c[2] = {1.0f, 5.0f};
  float r[2] = {2.0f, 0.0f};
  EXPECT_EQ(validate_kmeans(KMeans{c, r, 2, 1, 1.0f}), Error::bad_model);  // radius 0
  r[1] = -1.0f;
  EXPECT_EQ(validate_kmeans(KMeans{c, r, 2, 1, 1.0f}), Error::bad_model);
  r[1] = 1.0f;
  EXPECT_EQ(validate_kmeans(KMeans{c, r, 2, 1, NAN}), Error::bad_model);
  const float nan_c[2] = {1.0f, INFINITY};
  EXPECT_EQ(validate_kmeans(KMeans{nan_c, r, 2, 1, 1.0f}), Error::bad_model);
  EXPECT_EQ(validate_kmeans(KMeans{c, r, 0, 1, 1.0f}), Error::bad_argument);
  EXPECT_EQ(validate_kmeans(KMeans{c, r, 256, 1, 1.0f}), Error::too_large);
}

}  // namespace
