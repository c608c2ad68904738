// fft_peak against a naive DFT computed in double.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <vector>

#include "ml/fft.hpp"
#include "ml/pipeline.hpp"

namespace {

using namespace tl::ml;

std::vector<std::complex<double>> naive_dft(const std::vector<double>& x) {
  const std::size_t m = x.size();
  std::vector<std::complex<double>> out(m);
  for (std::size_t k = 0; k < m; ++k) {
    for (std::size_t n = 0; n < m; ++n) {
      const double ang = -2.0 * M_PI * static_cast<double>(k * n) / static_cast<double>(m);
      out[k] += x[n] * std::complex<double>(std::cos(ang), std::sin(ang));
    }
  }
  return out;
}

class FftSizes : public ::testing::TestWithParam<std::size_t> {};

TEST_P(FftSizes, MatchesNaiveDft) {
  const std::size_t m = GetParam();
  std::vector<double> x(m);
  std::uint32_t s = 12345;
  for (auto& v : x) {
    s = s * 1664525u + 1013904223u;
    v = static_cast<double>(s >> 8) / 16777216.0 - 0.5;
  }
  std::vector<float> re(m), im(m, 0.0f);
  for (std::size_t i = 0; i < m; ++i) re[i] = static_cast<float>(x[i]);
  detail::fft(re.data(), im.data(), m);
  const auto ref = naive_dft(x);
  const double tol = 1e-5 * static_cast<double>(m);
  for (std::size_t k = 0; k < m; ++k) {
    EXPECT_NEAR(re[k], ref[k].real(), tol) << "m=" << m << " k=" << k;
    EXPECT_NEAR(im[k], ref[k].imag(), tol) << "m=" << m << " k=" << k;
  }
}

INSTANTIATE_TEST_SUITE_P(Ml, FftSizes, ::testing::Values(1u, 2u, 4u, 8u, 32u, 128u, 512u));

Pipeline fft_pipeline(std::uint16_t n, std::uint8_t axes, float rate) {
  Pipeline p;
  p.sample_rate_hz = rate;
  p.window = n;
  p.hop = n;
  p.axes = axes;
  p.block_count = 1;
  p.blocks[0] = FeatureBlock{BlockKind::fft_peak, 0.0f};
  return p;
}

TEST(FftPeak, FindsBinAlignedSinusoid) {
  // 64 samples at 100 Hz, axis 0: 3 * sin at bin 5 (7.8125 Hz) + offset; axis 1: bin 12, amp 0.5.
  const Pipeline p = fft_pipeline(64, 2, 100.0f);
  std::vector<float> w(128);
  for (std::size_t n = 0; n < 64; ++n) {
    const double t = static_cast<double>(n) / 64.0;
    w[2 * n] = static_cast<float>(1.0 + 3.0 * std::sin(2.0 * M_PI * 5.0 * t));
    w[2 * n + 1] = static_cast<float>(0.5 * std::cos(2.0 * M_PI * 12.0 * t));
  }
  float f[4];
  ASSERT_EQ(compute_features(p, w.data(), f), Error::ok);
  EXPECT_FLOAT_EQ(f[0], 5.0f * 100.0f / 64.0f);
  EXPECT_NEAR(f[1], 3.0f, 1e-4f);
  EXPECT_FLOAT_EQ(f[2], 12.0f * 100.0f / 64.0f);
  EXPECT_NEAR(f[3], 0.5f, 1e-4f);
}

TEST(FftPeak, ZeroPadsToPowerOfTwo) {
  // N = 20 at 10 Hz -> M = 32; a 2.5 Hz cosine lands exactly on... bin 8 of 32 (2.5 Hz).
  const Pipeline p = fft_pipeline(20, 1, 10.0f);
  std::vector<float> w(20);
  for (std::size_t n = 0; n < 20; ++n) {
    w[n] = static_cast<float>(std::cos(2.0 * M_PI * 2.5 * static_cast<double>(n) / 10.0));
  }
  float f[2];
  ASSERT_EQ(compute_features(p, w.data(), f), Error::ok);
  EXPECT_FLOAT_EQ(f[0], 2.5f);
  // Reference amplitude from a double DFT of the zero-padded, mean-removed window.
  double mean = 0;
  for (float v : w) mean += v;
  mean /= 20.0;
  std::vector<double> x(32, 0.0);
  for (std::size_t n = 0; n < 20; ++n) x[n] = w[n] - mean;
  const double ref = std::abs(naive_dft(x)[8]) * 2.0 / 20.0;
  EXPECT_NEAR(f[1], ref, 1e-5);
}

TEST(FftPeak, NeedsTwoSamples) {
  EXPECT_EQ(validate_pipeline(fft_pipeline(1, 1, 10.0f)), Error::bad_pipeline);
  EXPECT_EQ(validate_pipeline(fft_pipeline(512, 6, 10.0f)), Error::ok);
}

}  // namespace
