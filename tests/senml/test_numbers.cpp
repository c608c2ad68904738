// Integer <-> binary64 conversions on bit patterns, checked against the host's double arithmetic.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <random>

#include "test_support.hpp"
#include "wire/senml/numbers.hpp"

namespace tl::wire::senml {
namespace {

uint64_t bits(double d) { return std::bit_cast<uint64_t>(d); }

TEST(Numbers, IntegersRoundToNearestEvenLikeTheHost) {
  std::mt19937_64 rng(2024);
  for (int i = 0; i < 200000; ++i) {
    const uint64_t m = rng() >> (rng() % 64);
    EXPECT_EQ(f64_from_integer(false, m), bits(static_cast<double>(m))) << m;
    if (m != 0 && m <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {  // integer 0 has no sign
      EXPECT_EQ(f64_from_integer(true, m), bits(-static_cast<double>(m))) << m;
    }
  }
  // Ties: 2^53 + 1 rounds down to even, 2^53 + 3 rounds up; carry into a new exponent.
  EXPECT_EQ(f64_from_integer(false, (uint64_t{1} << 53) + 1), bits(9007199254740992.0));
  EXPECT_EQ(f64_from_integer(false, (uint64_t{1} << 53) + 3), bits(9007199254740996.0));
  EXPECT_EQ(f64_from_integer(false, UINT64_MAX), bits(18446744073709551616.0));
  EXPECT_EQ(f64_from_integer(false, 0), 0u);
}

TEST(Numbers, IntegralDoublesConvertBack) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 100000; ++i) {
    const auto v = static_cast<int64_t>(rng()) >> (rng() % 64);
    const double d = static_cast<double>(v);
    if (d >= 9223372036854775808.0) continue;  // rounded up past INT64_MAX
    EXPECT_EQ(*int64_from_f64(bits(d)), static_cast<int64_t>(d)) << v;
  }
  EXPECT_EQ(*int64_from_f64(bits(-9223372036854775808.0)), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(int64_from_f64(bits(9223372036854775808.0)).error(), Error::out_of_range);
  EXPECT_EQ(int64_from_f64(bits(0.5)).error(), Error::wrong_type);
  EXPECT_EQ(int64_from_f64(bits(1e-310)).error(), Error::wrong_type);
  EXPECT_EQ(int64_from_f64(bits(NAN)).error(), Error::wrong_type);
  EXPECT_EQ(int64_from_f64(bits(INFINITY)).error(), Error::out_of_range);
  EXPECT_EQ(*int64_from_f64(bits(-0.0)), 0);
  EXPECT_EQ(*uint64_from_f64(bits(18446744073709549568.0)), 18446744073709549568u);
  EXPECT_EQ(uint64_from_f64(bits(18446744073709551616.0)).error(), Error::out_of_range);
  EXPECT_EQ(uint64_from_f64(bits(-1.0)).error(), Error::out_of_range);
  EXPECT_EQ(*uint64_from_f64(bits(-0.0)), 0u);
}

TEST(Numbers, SecondsToMillisecondsRoundToNearest) {
  EXPECT_EQ(*ms_from_f64(bits(1.276020076001e+09)), 1276020076001);
  EXPECT_EQ(*ms_from_f64(bits(-5.0)), -5000);
  EXPECT_EQ(*ms_from_f64(bits(0.0005)), 1);  // 0.0005 is a little above 0.5 ms in binary
  EXPECT_EQ(*ms_from_f64(bits(0.0004)), 0);
  EXPECT_EQ(*ms_from_f64(bits(-0.0015)), -2);
  EXPECT_EQ(*ms_from_f64(bits(1e-300)), 0);
  EXPECT_EQ(*ms_from_f64(bits(9.2e15)), 9200000000000000000);
  EXPECT_EQ(ms_from_f64(bits(9.3e15)).error(), Error::out_of_range);
  EXPECT_EQ(ms_from_f64(bits(INFINITY)).error(), Error::out_of_range);
  EXPECT_EQ(ms_from_f64(bits(NAN)).error(), Error::out_of_range);
  std::mt19937_64 rng(11);
  for (int i = 0; i < 100000; ++i) {
    const double s = static_cast<double>(static_cast<int64_t>(rng() % 8000000000000) - 4000000000000) / 1024.0;
    EXPECT_EQ(*ms_from_f64(bits(s)), std::llround(s * 1000.0)) << s;
  }
}

}  // namespace
}  // namespace tl::wire::senml
