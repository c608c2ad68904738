// Feature block definitions on hand-computed windows, and the FogML case-study CSVs' consistency
// with those definitions.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "ml/pipeline.hpp"

namespace {

using namespace tl::ml;

Pipeline one_block(BlockKind kind, std::uint16_t n, std::uint8_t axes, float param = 0.0f) {
  Pipeline p;
  p.sample_rate_hz = 10.0f;
  p.window = n;
  p.hop = n;
  p.axes = axes;
  p.block_count = 1;
  p.blocks[0] = FeatureBlock{kind, param};
  return p;
}

TEST(Features, PaperPipelineHasTwelveFeatures) {
  const Pipeline p = paper_pipeline();
  EXPECT_EQ(validate_pipeline(p), Error::ok);
  EXPECT_EQ(feature_count(p), 12u);
}

TEST(Features, PaperOrderIsBasePairsThenEnergyThenCrossings) {
  const Pipeline p = paper_pipeline();
  // x: 0,2,0,2,... (amp 2, mean 1); y: constant 5; z: 0..19 ramp.
  std::vector<float> w(60);
  for (int n = 0; n < 20; ++n) {
    w[static_cast<std::size_t>(n * 3)] = (n % 2) ? 2.0f : 0.0f;
    w[static_cast<std::size_t>(n * 3 + 1)] = 5.0f;
    w[static_cast<std::size_t>(n * 3 + 2)] = static_cast<float>(n);
  }
  float f[12];
  ASSERT_EQ(compute_features(p, w.data(), f), Error::ok);
  EXPECT_FLOAT_EQ(f[0], 2.0f);   // x amplitude
  EXPECT_FLOAT_EQ(f[1], 1.0f);   // x mean
  EXPECT_FLOAT_EQ(f[2], 0.0f);   // y amplitude
  EXPECT_FLOAT_EQ(f[3], 5.0f);   // y mean
  EXPECT_FLOAT_EQ(f[4], 19.0f);  // z amplitude
  EXPECT_FLOAT_EQ(f[5], 9.5f);   // z mean
  EXPECT_FLOAT_EQ(f[6], 20.0f);  // x energy: 20 * 1^2
  EXPECT_FLOAT_EQ(f[7], 0.0f);
  EXPECT_FLOAT_EQ(f[8], 665.0f);  // sum (n - 9.5)^2 = 20 * (20^2 - 1) / 12
  EXPECT_FLOAT_EQ(f[9], 19.0f);   // x alternates around its mean every sample
  EXPECT_FLOAT_EQ(f[10], 0.0f);   // constant: never leaves the mean
  EXPECT_FLOAT_EQ(f[11], 1.0f);   // ramp crosses once
}

TEST(Features, RmsVarianceMinMax) {
  const float w[4] = {1.0f, 3.0f, 5.0f, 7.0f};  // mean 4, energy 9+1+1+9 = 20
  float out[2];
  ASSERT_EQ(compute_features(one_block(BlockKind::variance, 4, 1), w, out), Error::ok);
  EXPECT_FLOAT_EQ(out[0], 5.0f);
  ASSERT_EQ(compute_features(one_block(BlockKind::rms, 4, 1), w, out), Error::ok);
  EXPECT_FLOAT_EQ(out[0], std::sqrt(5.0f));
  ASSERT_EQ(compute_features(one_block(BlockKind::minmax, 4, 1), w, out), Error::ok);
  EXPECT_FLOAT_EQ(out[0], 1.0f);
  EXPECT_FLOAT_EQ(out[1], 7.0f);
}

TEST(Features, CrossingsHysteresis) {
  // Mean exactly 0: big swings of +-2 with small wiggles of +-0.25 between them.
  const float w[10] = {2.0f, 0.25f, -0.25f, 0.25f, -2.0f, -0.25f, 0.25f, 2.0f, -0.25f, -2.0f};
  float out[1];
  ASSERT_EQ(compute_features(one_block(BlockKind::crossings, 10, 1, 0.0f), w, out), Error::ok);
  EXPECT_FLOAT_EQ(out[0], 5.0f);  // every sign change of x - mean
  ASSERT_EQ(compute_features(one_block(BlockKind::crossings, 10, 1, 0.5f), w, out), Error::ok);
  EXPECT_FLOAT_EQ(out[0], 3.0f);  // only the big swings: above -> below -> above -> below
}

TEST(Features, CrossingsIgnoresSamplesOnTheMean) {
  const float w[5] = {1.0f, 0.0f, 0.0f, 0.0f, -1.0f};  // mean 0
  float out[1];
  ASSERT_EQ(compute_features(one_block(BlockKind::crossings, 5, 1), w, out), Error::ok);
  EXPECT_FLOAT_EQ(out[0], 1.0f);
}

TEST(Features, NonFiniteSamplesAreRejected) {
  const Pipeline p = paper_pipeline();
  for (float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                    -std::numeric_limits<float>::infinity()}) {
    for (std::size_t at : {0u, 31u, 59u}) {
      std::vector<float> w(60, 1.0f);
      w[at] = bad;
      float out[12];
      EXPECT_EQ(compute_features(p, w.data(), out), Error::non_finite_input) << at;
    }
  }
}

TEST(Features, InvalidPipelines) {
  float w[4] = {};
  float out[8];
  Pipeline p = one_block(BlockKind::base, 4, 1);
  EXPECT_EQ(compute_features(p, nullptr, out), Error::bad_argument);
  Pipeline q = p;
  q.window = 0;
  EXPECT_EQ(compute_features(q, w, out), Error::bad_pipeline);
  q = p;
  q.window = kMaxWindow + 1;
  EXPECT_EQ(validate_pipeline(q), Error::bad_pipeline);
  q = p;
  q.axes = kMaxAxes + 1;
  EXPECT_EQ(validate_pipeline(q), Error::bad_pipeline);
  q = p;
  q.block_count = kMaxBlocks + 1;
  EXPECT_EQ(validate_pipeline(q), Error::bad_pipeline);
  q = p;
  q.blocks[0].kind = static_cast<BlockKind>(99);
  EXPECT_EQ(validate_pipeline(q), Error::bad_pipeline);
  q = p;
  q.blocks[0] = FeatureBlock{BlockKind::crossings, -1.0f};
  EXPECT_EQ(validate_pipeline(q), Error::bad_pipeline);
  q = p;
  q.sample_rate_hz = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(validate_pipeline(q), Error::bad_pipeline);
  q = p;
  q.scaler = static_cast<ScalerKind>(3);
  EXPECT_EQ(validate_pipeline(q), Error::bad_pipeline);
  EXPECT_EQ(feature_count(q), 0u);
  // 8 two-output blocks on 6 axes = 96 > kMaxFeatures.
  q = p;
  q.axes = 6;
  q.block_count = 8;
  for (auto& b : q.blocks) b = FeatureBlock{BlockKind::minmax, 0.0f};
  EXPECT_EQ(validate_pipeline(q), Error::bad_pipeline);
}

TEST(Features, ConvertSamples) {
  const std::int16_t raw[3] = {16384, -16384, 0};
  float out[3];
  convert_samples(raw, 3, 9.80665f / 16384.0f, out);
  EXPECT_FLOAT_EQ(out[0], 9.80665f);
  EXPECT_FLOAT_EQ(out[1], -9.80665f);
  EXPECT_EQ(out[2], 0.0f);
}

// The FogML CSVs hold no raw windows, but each row must satisfy the bounds that follow from the
// definitions for N = 20: with amplitude a and energy E = sum (x - mean)^2,
//   a^2 / 2 <= E <= N a^2 / 4   (min and max alone give a^2/2; Popoviciu bounds the variance),
// crossings <= N - 1, and |mean| is within the amplitude of... nothing else is known. An energy
// divided by N would break the lower bound on most moving rows.
std::vector<std::vector<double>> read_csv(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::vector<double>> rows;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream s(line);
    std::vector<double> row;
    double v;
    while (s >> v) row.push_back(v);
    if (!row.empty()) rows.push_back(row);
  }
  return rows;
}

TEST(Features, FogmlCsvRowsMatchDefinitions) {
  const std::string dir = std::string(TL_SHARED_DIR) + "/datasets/fogml-case-study/";
  std::size_t rows_seen = 0;
  std::size_t rows_below_if_divided = 0;
  for (const char* file : {"0_idle.csv", "1_circle.csv", "2_snake.csv", "3_up_down.csv"}) {
    const auto rows = read_csv(dir + file);
    ASSERT_FALSE(rows.empty()) << file;
    for (const auto& r : rows) {
      ASSERT_EQ(r.size(), 12u);
      ++rows_seen;
      for (int a = 0; a < 3; ++a) {
        const double amp = r[static_cast<std::size_t>(2 * a)];
        const double energy = r[static_cast<std::size_t>(6 + a)];
        const double cross = r[static_cast<std::size_t>(9 + a)];
        const double tol = 0.011 * amp + 0.01;  // two decimals in the CSV
        EXPECT_GE(amp, 0.0);
        EXPECT_LE(energy, 20.0 * (amp + 0.005) * (amp + 0.005) / 4.0 + 0.01) << file;
        EXPECT_GE(energy + tol, (amp - 0.005) * (amp - 0.005) / 2.0 - 0.01) << file;
        EXPECT_LE(cross, 19.0);
        EXPECT_EQ(cross, std::floor(cross));
        if (energy / 20.0 < (amp - 0.005) * (amp - 0.005) / 2.0 - 0.01) ++rows_below_if_divided;
      }
    }
  }
  EXPECT_EQ(rows_seen, 104u);
  EXPECT_GT(rows_below_if_divided, 100u);  // so the CSV energy is NOT divided by N
}

TEST(Features, FogmlCsvMeanColumnsAreGravityOnZ) {
  // Column 5 (z mean) of idle rows sits near -9.6 m/s^2: the BASE pairs are (amp, mean) per axis.
  const auto rows = read_csv(std::string(TL_SHARED_DIR) + "/datasets/fogml-case-study/0_idle.csv");
  ASSERT_GT(rows.size(), 2u);
  EXPECT_NEAR(rows[0][5], -9.59, 0.01);
  EXPECT_NEAR(rows[1][5], -9.61, 0.01);
}

}  // namespace
