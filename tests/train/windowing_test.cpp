#include <gtest/gtest.h>

#include "train/windowing.hpp"

using namespace tl::train;

TEST(Windowing, StartsWithOverlap) {
  EXPECT_EQ(window_starts(10, 4, 2), (std::vector<size_t>{0, 2, 4, 6}));
  EXPECT_EQ(window_starts(10, 4, 4), (std::vector<size_t>{0, 4}));
  EXPECT_TRUE(window_starts(3, 4, 1).empty());
  EXPECT_EQ(window_starts(4, 4, 1), (std::vector<size_t>{0}));
}

TEST(Resampling, LinearInterpolationDown) {
  Recording r;
  r.axes = 2;
  r.rate_hz = 100;
  for (int i = 0; i < 41; ++i) {
    r.samples.push_back(float(i));       // a ramp: interpolation is exact
    r.samples.push_back(float(2 * i));
  }
  Recording d = resample(r, 10);
  EXPECT_EQ(d.rate_hz, 10.0f);
  ASSERT_EQ(d.rows(), 5u);  // t = 0, 0.1, 0.2, 0.3, 0.4 s
  EXPECT_EQ(d.samples[2 * 3], 30.0f);
  EXPECT_EQ(d.samples[2 * 3 + 1], 60.0f);
}

TEST(Resampling, InterpolatesBetweenSamples) {
  Recording r;
  r.axes = 1;
  r.rate_hz = 10;
  r.samples = {0, 10, 20};
  Recording u = resample(r, 40);  // t = 0, .025, ... .2
  EXPECT_EQ(u.samples, (std::vector<float>{0, 2.5f, 5, 7.5f, 10, 12.5f, 15, 17.5f, 20}));
}
