// binary32 <-> binary64 by bits, checked against the host FPU's conversions (round to nearest
// even, no flush-to-zero on x86-64 / AArch64 hosts).
#include <bit>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <random>

#include <gtest/gtest.h>

#include "wire/ieee754.hpp"

namespace tl::wire {
namespace {

uint32_t f32_bits(float x) { return std::bit_cast<uint32_t>(x); }
uint64_t f64_bits(double x) { return std::bit_cast<uint64_t>(x); }

void check_widen(uint32_t u) {
  const float x = std::bit_cast<float>(u);
  ASSERT_EQ(f64_bits_from_f32(x), f64_bits(static_cast<double>(x))) << std::hex << u;
}

void check_narrow(uint64_t bits) {
  const float want = static_cast<float>(std::bit_cast<double>(bits));
  const float got = f32_from_f64_bits(bits);
  ASSERT_EQ(f32_bits(got), f32_bits(want)) << std::hex << bits;
  const bool fits = f64_bits(static_cast<double>(want)) == bits;
  ASSERT_EQ(f64_bits_fit_f32(bits), fits) << std::hex << bits;
}

TEST(Ieee754, WidenSpecialValues) {
  for (const uint32_t u : {0x00000000u, 0x80000000u, 0x00000001u, 0x80000001u, 0x007FFFFFu,
                           0x00400000u, 0x00800000u, 0x3F800000u, 0x7F7FFFFFu, 0xFF7FFFFFu,
                           0x7F800000u, 0xFF800000u, 0x7FC00000u, 0xFFC00001u}) {
    check_widen(u);
  }
  EXPECT_EQ(f64_bits_from_f32(1.0f), 0x3FF0000000000000u);
  EXPECT_EQ(f64_bits_from_f32(-0.0f), 0x8000000000000000u);
  EXPECT_EQ(f64_bits_from_f32(std::numeric_limits<float>::denorm_min()), f64_bits(0x1p-149));
}

TEST(Ieee754, WidenNanKeepsPayloadAndIsQuiet) {
  const uint64_t b = f64_bits_from_f32(std::bit_cast<float>(0x7F800001u));  // signalling NaN
  EXPECT_TRUE(std::isnan(std::bit_cast<double>(b)));
  EXPECT_EQ(b, 0x7FF8000020000000u);
}

TEST(Ieee754, WidenEveryExponentAndSubnormalBit) {
  for (uint32_t sign = 0; sign < 2; ++sign) {
    for (uint32_t exp = 0; exp < 256; ++exp) {
      for (const uint32_t frac : {0u, 1u, 2u, 0x3FFFFFu, 0x400000u, 0x7FFFFEu, 0x7FFFFFu}) {
        check_widen(sign << 31 | exp << 23 | frac);
      }
    }
    for (uint32_t bit = 0; bit < 23; ++bit) {
      check_widen(sign << 31 | 1u << bit);
      check_widen(sign << 31 | ((1u << bit) - 1));
    }
  }
}

TEST(Ieee754, WidenRandom) {
  std::mt19937 rng(12345);
  for (int i = 0; i < 1'000'000; ++i) check_widen(static_cast<uint32_t>(rng()));
}

TEST(Ieee754, NarrowSpecialValues) {
  const double dmax = std::numeric_limits<double>::max();
  const double fmax = std::numeric_limits<float>::max();
  for (const double x : {0.0, -0.0, 1.0, -1.0, 0.1, 23.1, 1e-40, 1e-45, 7e-46, 1e-300, dmax,
                         -dmax, fmax, 3.4028235677973366e38 /* just below the rounding edge */,
                         3.4028235677973367e38 /* the edge itself: rounds to infinity */,
                         std::numeric_limits<double>::denorm_min(),
                         std::numeric_limits<double>::infinity(),
                         -std::numeric_limits<double>::infinity(), 0x1p-149, 0x1p-150, 0x1.8p-150,
                         0x1.000001p-150, 0x1p-126, 0x1.fffffep-127, 0x1.ffffffp-127}) {
    check_narrow(f64_bits(x));
  }
  EXPECT_TRUE(std::isnan(f32_from_f64_bits(f64_bits(std::numeric_limits<double>::quiet_NaN()))));
  // A NaN whose payload sits only in the low bits must not become infinity.
  EXPECT_TRUE(std::isnan(f32_from_f64_bits(0x7FF0000000000001u)));
  EXPECT_EQ(f32_bits(f32_from_f64_bits(0xFFF0000000000001u)), 0xFFC00000u);
  EXPECT_FALSE(f64_bits_fit_f32(0x7FF0000000000001u));
  EXPECT_TRUE(f64_bits_fit_f32(0x7FF8000020000000u));
}

TEST(Ieee754, NarrowTiesGoToEven) {
  // 1 + 2^-24 is halfway between 1 and 1 + 2^-23: ties to the even 1.
  EXPECT_EQ(f32_from_f64_bits(f64_bits(1.0 + 0x1p-24)), 1.0f);
  EXPECT_EQ(f32_from_f64_bits(f64_bits(1.0 + 0x1.8p-23)), 1.0f + 0x1p-22f);
  EXPECT_EQ(f32_from_f64_bits(f64_bits(1.0 + 0x1p-24 + 0x1p-52)), 1.0f + 0x1p-23f);
  // Subnormal halfway: 1.5 and 2.5 times the smallest subnormal.
  EXPECT_EQ(f32_bits(f32_from_f64_bits(f64_bits(0x1.8p-149))), 2u);
  EXPECT_EQ(f32_bits(f32_from_f64_bits(f64_bits(0x1.4p-148))), 2u);
  EXPECT_EQ(f32_bits(f32_from_f64_bits(f64_bits(0x1p-150))), 0u);
}

TEST(Ieee754, NarrowEveryExponent) {
  // Every binary64 exponent with fractions around each binary32 rounding position.
  for (uint64_t sign = 0; sign < 2; ++sign) {
    for (uint64_t exp = 0; exp < 2048; ++exp) {
      for (int pos = 0; pos < 53; ++pos) {
        const uint64_t half = uint64_t{1} << pos;
        for (const uint64_t frac : {uint64_t{0}, half, half - 1, half + 1, half | (half << 1),
                                    (uint64_t{1} << 52) - 1}) {
          check_narrow(sign << 63 | exp << 52 | (frac & ((uint64_t{1} << 52) - 1)));
        }
      }
    }
  }
}

TEST(Ieee754, NarrowRandom) {
  std::mt19937_64 rng(6789);
  for (int i = 0; i < 1'000'000; ++i) check_narrow(rng());
  // Random values in and near binary32's range, where all the interesting rounding happens.
  for (int i = 0; i < 1'000'000; ++i) {
    const uint64_t exp = 1023 - 160 + rng() % 300;
    check_narrow((rng() & 0x800FFFFFFFFFFFFFu) | exp << 52);
  }
}

TEST(Ieee754, WidenThenNarrowIsIdentity) {
  std::mt19937 rng(42);
  for (int i = 0; i < 1'000'000; ++i) {
    const uint32_t u = static_cast<uint32_t>(rng());
    const float x = std::bit_cast<float>(u);
    const uint64_t wide = f64_bits_from_f32(x);
    if (std::isnan(x)) {
      EXPECT_EQ(f32_bits(f32_from_f64_bits(wide)), u | 0x00400000u);
      continue;
    }
    ASSERT_EQ(f32_bits(f32_from_f64_bits(wide)), u);
    ASSERT_TRUE(f64_bits_fit_f32(wide));
  }
}

}  // namespace
}  // namespace tl::wire
