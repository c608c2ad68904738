// Floating-point text of wire/numtext.hpp against the host's exact std::to_chars (shortest
// digits) and std::from_chars (correct rounding): fixed cases, halfway cases built with exact
// long double midpoints, and ~200k random bit patterns per format.
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <random>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "wire/numtext.hpp"

namespace tl::wire {
namespace {

uint64_t bits_of(double x) { return std::bit_cast<uint64_t>(x); }
double double_of(uint64_t b) { return std::bit_cast<double>(b); }

std::string format_bits(uint64_t bits) {
  std::array<uint8_t, kMaxNumberText> buf{};
  ByteWriter w(buf);
  const Error e = format_double_bits(bits, w);
  EXPECT_EQ(e, Error::ok) << std::hex << bits;
  return std::string(as_text(w.written()));
}

std::string format_f32(float x) {
  std::array<uint8_t, kMaxNumberText> buf{};
  ByteWriter w(buf);
  const Error e = format_float(x, w);
  EXPECT_EQ(e, Error::ok) << std::bit_cast<uint32_t>(x);
  return std::string(as_text(w.written()));
}

// Scientific format: plain std::to_chars prints integral values in fixed notation with all
// their exact digits (36028797018963968, not the shortest 36028797018963970).
template <class T>
std::string std_shortest(T x) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
  return std::string(buf, r.ptr);
}

// A decimal reduced to sign, significant digits and point: value = 0.digits * 10^point.
// Lets outputs in different notations ("1e+21" vs "1000000000000000000000") be compared.
struct Decimal {
  bool negative = false;
  std::string digits;
  long point = 0;
  bool operator==(const Decimal&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Decimal& d) {
  return os << (d.negative ? "-" : "") << "0." << d.digits << "e" << d.point;
}

Decimal normalise(std::string_view s) {
  Decimal d;
  size_t i = 0;
  if (i < s.size() && s[i] == '-') {
    d.negative = true;
    ++i;
  }
  bool after_point = false;
  for (; i < s.size() && s[i] != 'e' && s[i] != 'E'; ++i) {
    if (s[i] == '.') {
      after_point = true;
      continue;
    }
    if (d.digits.empty() && s[i] == '0') {
      if (after_point) --d.point;  // leading zero after the point
      continue;
    }
    d.digits += s[i];
    if (!after_point) ++d.point;
  }
  if (i < s.size()) d.point += std::stol(std::string(s.substr(i + 1)));
  while (!d.digits.empty() && d.digits.back() == '0') d.digits.pop_back();
  if (d.digits.empty()) d.point = 0;
  return d;
}

// What a correct parser returns for a string that std::from_chars consumes entirely: the bits,
// or out_of_range for overflow. libstdc++ reports underflow as out_of_range too (without a
// value); that case is a signed zero here.
Result<uint64_t> reference_parse(const std::string& s) {
  double v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  EXPECT_EQ(r.ptr, s.data() + s.size()) << s;
  if (r.ec == std::errc::result_out_of_range) {
    const Decimal d = normalise(s);
    if (d.point > 0) return Error::out_of_range;
    return d.negative ? uint64_t{1} << 63 : uint64_t{0};
  }
  EXPECT_EQ(r.ec, std::errc()) << s;
  return bits_of(v);
}

void expect_parse(const std::string& s, Result<uint64_t> want) {
  const Result<uint64_t> got = parse_double_bits(s);
  ASSERT_EQ(got.error(), want.error()) << s;
  if (want) {
    ASSERT_EQ(*got, *want) << s << " -> " << double_of(*got);
  }
}

void expect_parse_like_std(const std::string& s) { expect_parse(s, reference_parse(s)); }

// The layout rule of ECMA-262 Number::toString, checked on any output.
void expect_js_layout(const std::string& text, double x) {
  const double a = std::fabs(x);
  const bool plain = a == 0 || (a >= 1e-6 && a < 1e21);
  ASSERT_EQ(text.find('e') == std::string::npos, plain) << text;
  if (!plain) {
    // d[.ddd]e(+|-)N: one digit before the point, no trailing zeros, signed exponent.
    const size_t e = text.find('e');
    ASSERT_TRUE(text[e + 1] == '+' || text[e + 1] == '-') << text;
    ASSERT_NE(text[e - 1], '0') << text;
    ASSERT_NE(text[e - 1], '.') << text;
    const size_t first = text[0] == '-' ? 1 : 0;
    ASSERT_TRUE(e == first + 1 || text[first + 1] == '.') << text;
  }
}

// Format x, then check digits against std::to_chars and the round trip through both parsers.
void check_double(uint64_t bits) {
  const double x = double_of(bits);
  const std::string text = format_bits(bits);
  ASSERT_LE(text.size(), kMaxNumberText);
  ASSERT_EQ(normalise(text), normalise(std_shortest(x))) << text << " vs " << std_shortest(x);
  expect_js_layout(text, x);
  const Result<uint64_t> back = parse_double_bits(text);
  ASSERT_TRUE(back) << text;
  ASSERT_EQ(*back, bits) << text;
  ASSERT_EQ(*reference_parse(text), bits) << text;
  ASSERT_EQ(*parse_double_bits(std_shortest(x)), bits) << std_shortest(x);
}

void check_float(uint32_t u) {
  const float x = std::bit_cast<float>(u);
  const std::string text = format_f32(x);
  ASSERT_LE(text.size(), kMaxNumberText);
  ASSERT_EQ(normalise(text), normalise(std_shortest(x))) << text << " vs " << std_shortest(x);
  expect_js_layout(text, static_cast<double>(x));
  float back = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), back);
  ASSERT_EQ(r.ec, std::errc()) << text;
  ASSERT_EQ(std::bit_cast<uint32_t>(back), u) << text;
}

// ---- Formatting ---------------------------------------------------------------------------

TEST(FormatDouble, ExactOutputStyle) {
  const struct {
    double x;
    const char* text;
  } cases[] = {
      {0.0, "0"},
      {-0.0, "-0"},
      {1.0, "1"},
      {100.0, "100"},
      {-3.0, "-3"},
      {-3.5, "-3.5"},
      {23.1, "23.1"},
      {0.1, "0.1"},
      {0.3, "0.3"},
      {1.0 / 3, "0.3333333333333333"},
      {9007199254740992.0, "9007199254740992"},
      {1e20, "100000000000000000000"},
      {123456789012345680000.0, "123456789012345680000"},
      {1e21, "1e+21"},
      {-1.5e300, "-1.5e+300"},
      {1e-6, "0.000001"},
      {-1.25e-6, "-0.00000125"},
      {1e-7, "1e-7"},
      {1.5e-7, "1.5e-7"},
      {5e-324, "5e-324"},
      {std::numeric_limits<double>::max(), "1.7976931348623157e+308"},
      {std::numeric_limits<double>::min(), "2.2250738585072014e-308"},
      {2.225073858507201e-308, "2.225073858507201e-308"},  // largest subnormal
      {-1.2345678901234566e-7, "-1.2345678901234566e-7"},
      {1.2345678901234567e-6, "0.0000012345678901234567"},
  };
  for (const auto& c : cases) EXPECT_EQ(format_bits(bits_of(c.x)), c.text);
}

TEST(FormatDouble, EdgeCasesAgreeWithStd) {
  for (const uint64_t b :
       {uint64_t{0}, uint64_t{1}, uint64_t{2}, uint64_t{3}, uint64_t{0x000FFFFFFFFFFFFF},
        uint64_t{0x0010000000000000}, uint64_t{0x0010000000000001}, uint64_t{0x0020000000000000},
        uint64_t{0x7FEFFFFFFFFFFFFF}, uint64_t{0x7FE0000000000000}, uint64_t{0x3FF0000000000000},
        uint64_t{0x3FEFFFFFFFFFFFFF}, uint64_t{0x3FF0000000000001}, uint64_t{0x4340000000000000},
        uint64_t{0x4330000000000000}, uint64_t{0x8000000000000001}}) {
    check_double(b);
  }
  // Every power of two and its neighbours: the asymmetric intervals at binade edges.
  for (uint64_t exp = 0; exp < 0x7FF; ++exp) {
    for (const uint64_t frac : {uint64_t{0}, uint64_t{1}, uint64_t{0xFFFFFFFFFFFFF}}) {
      check_double(exp << 52 | frac);
    }
  }
  // Every power of ten in range, and values one ulp either side.
  for (int p = -323; p <= 308; ++p) {
    const std::string s = "1e" + std::to_string(p);
    const uint64_t b = *reference_parse(s);
    check_double(b);
    check_double(b + 1);
    if (b > 1) check_double(b - 1);
  }
}

TEST(FormatDouble, RejectsNanAndInfinity) {
  std::array<uint8_t, 64> buf{};
  ByteWriter w(buf);
  for (const double x : {std::numeric_limits<double>::infinity(),
                         -std::numeric_limits<double>::infinity(),
                         std::numeric_limits<double>::quiet_NaN()}) {
    EXPECT_EQ(format_double_bits(bits_of(x), w), Error::out_of_range);
  }
  EXPECT_EQ(format_double_bits(0x7FF0000000000001, w), Error::out_of_range);
  EXPECT_EQ(format_float(std::numeric_limits<float>::infinity(), w), Error::out_of_range);
  EXPECT_EQ(format_float(-std::numeric_limits<float>::quiet_NaN(), w), Error::out_of_range);
  EXPECT_EQ(w.size(), 0u);
  EXPECT_EQ(w.status(), Error::ok);
}

TEST(FormatDouble, AllOrNothingWhenTooSmall) {
  std::array<uint8_t, 8> buf{};
  ByteWriter w(buf);
  EXPECT_EQ(format_double_bits(bits_of(0.125), w), Error::ok);  // "0.125": 5 bytes
  EXPECT_EQ(format_double_bits(bits_of(-0.125), w), Error::buffer_too_small);
  EXPECT_EQ(as_text(w.written()), "0.125");
  EXPECT_EQ(format_double_bits(bits_of(-0.0), w), Error::ok);
  EXPECT_EQ(as_text(w.written()), "0.125-0");
  EXPECT_EQ(format_float(12.0f, w), Error::buffer_too_small);
  EXPECT_EQ(w.status(), Error::buffer_too_small);
}

TEST(FormatDouble, RandomBitPatterns) {
  std::mt19937_64 rng(20240601);
  int nonfinite = 0;
  for (int i = 0; i < 200'000; ++i) {
    const uint64_t b = rng();
    if (((b >> 52) & 0x7FF) == 0x7FF) {
      std::array<uint8_t, 64> buf{};
      ByteWriter w(buf);
      ASSERT_EQ(format_double_bits(b, w), Error::out_of_range);
      ++nonfinite;
      continue;
    }
    ASSERT_NO_FATAL_FAILURE(check_double(b));
  }
  EXPECT_LT(nonfinite, 1000);
}

TEST(FormatDouble, RandomShortDecimals) {
  // Values with few digits (what sensors report) stress the digit-termination conditions
  // differently from random bit patterns.
  std::mt19937_64 rng(7);
  for (int i = 0; i < 50'000; ++i) {
    const int exp = static_cast<int>(rng() % 40) - 20;
    const std::string s = std::to_string(rng() % 100000) + "e" + std::to_string(exp);
    ASSERT_NO_FATAL_FAILURE(check_double(*reference_parse(s)));
    const Decimal d = normalise(format_bits(*reference_parse(s)));
    ASSERT_EQ(d, normalise(s)) << s;
  }
}

TEST(FormatFloat, ExactOutputStyle) {
  const struct {
    float x;
    const char* text;
  } cases[] = {
      {0.0f, "0"},
      {-0.0f, "-0"},
      {0.1f, "0.1"},
      {23.1f, "23.1"},
      {-3.5f, "-3.5"},
      {16777216.0f, "16777216"},
      {1e10f, "10000000000"},
      {1e21f, "1e+21"},
      {1e-7f, "1e-7"},
      {std::numeric_limits<float>::max(), "3.4028235e+38"},
      {std::numeric_limits<float>::min(), "1.1754944e-38"},
      {std::numeric_limits<float>::denorm_min(), "1e-45"},
  };
  for (const auto& c : cases) EXPECT_EQ(format_f32(c.x), c.text);
}

TEST(FormatFloat, EveryExponentAndRandomBitPatterns) {
  for (uint32_t exp = 0; exp < 0xFF; ++exp) {
    for (const uint32_t frac : {0u, 1u, 2u, 0x7FFFFFu, 0x400000u}) {
      ASSERT_NO_FATAL_FAILURE(check_float(exp << 23 | frac));
      ASSERT_NO_FATAL_FAILURE(check_float(0x80000000u | exp << 23 | frac));
    }
  }
  std::mt19937 rng(99);
  for (int i = 0; i < 200'000; ++i) {
    const auto u = static_cast<uint32_t>(rng());
    if (((u >> 23) & 0xFF) == 0xFF) continue;
    ASSERT_NO_FATAL_FAILURE(check_float(u));
  }
}

// ---- Parsing ------------------------------------------------------------------------------

TEST(ParseDouble, Syntax) {
  for (const char* bad : {"", "-", "+1", ".5", "-.5", "5.", "5.e3", "1e", "1e+", "1e-", "--1",
                          " 1", "1 ", "1.5.5", "0x10", "inf", "-inf", "nan", "NaN", "1e1.5",
                          "1_0", "1,5", "e5", "1ee5", "1e5e5", "\xD9\xA1"}) {
    EXPECT_EQ(parse_double_bits(bad).error(), Error::bad_number) << bad;
  }
  EXPECT_EQ(parse_double_bits(std::string_view("1\0", 2)).error(), Error::bad_number);
  EXPECT_EQ(*parse_double_bits("000.500"), bits_of(0.5));
  EXPECT_EQ(*parse_double_bits("-00"), bits_of(-0.0));
  EXPECT_EQ(*parse_double_bits("1E+2"), bits_of(100.0));
  EXPECT_EQ(*parse_double_bits("1e-2"), bits_of(0.01));
  EXPECT_EQ(*parse_double_bits("12e0"), bits_of(12.0));
  EXPECT_EQ(*parse_double_bits("1.000e0003"), bits_of(1000.0));
}

TEST(ParseDouble, FixedCases) {
  const double max = std::numeric_limits<double>::max();
  expect_parse("0", uint64_t{0});
  expect_parse("-0", bits_of(-0.0));
  expect_parse("-0.0e-5", bits_of(-0.0));
  expect_parse("0e99999999999999999999999", uint64_t{0});
  expect_parse("23.1", bits_of(23.1));
  expect_parse("0.1", bits_of(0.1));
  expect_parse("1e21", bits_of(1e21));
  expect_parse("1e-7", bits_of(1e-7));
  expect_parse("5e-324", uint64_t{1});
  expect_parse("4.9406564584124654e-324", uint64_t{1});
  expect_parse("2.4703282292062327e-324", uint64_t{0});  // just below half of 2^-1074
  expect_parse("2.4703282292062328e-324", uint64_t{1});  // just above
  expect_parse("-2.4703282292062328e-324", bits_of(-5e-324));
  expect_parse("1e-400", uint64_t{0});
  expect_parse("-1e-99999999999999999999", bits_of(-0.0));
  expect_parse("2.2250738585072011e-308", 0x000FFFFFFFFFFFFF);
  expect_parse("2.2250738585072012e-308", 0x0010000000000000);
  expect_parse("1.7976931348623157e308", bits_of(max));
  expect_parse("1.7976931348623158e308", bits_of(max));
  expect_parse("-1.7976931348623158e308", bits_of(-max));
  expect_parse("1.7976931348623159e308", Error::out_of_range);
  expect_parse("-1.7976931348623159e308", Error::out_of_range);
  expect_parse("1e309", Error::out_of_range);
  expect_parse("1e99999999999999999999", Error::out_of_range);
  expect_parse("9007199254740993", bits_of(9007199254740992.0));  // tie: to even
  expect_parse("9007199254740993.0000000000000000000001", bits_of(9007199254740994.0));
  expect_parse("9007199254740995", bits_of(9007199254740996.0));  // tie: to even, upwards
  expect_parse("18446744073709551616", bits_of(18446744073709551616.0));
  expect_parse("123456789012345678901234567890", bits_of(123456789012345678901234567890.0));
}

TEST(ParseDouble, LongDigitStrings) {
  const std::string zeros400(400, '0');
  const std::string zeros1000(1000, '0');
  expect_parse("1" + zeros1000 + "e-1000", bits_of(1.0));
  expect_parse("0." + zeros400 + "1e401", bits_of(1.0));
  expect_parse("0." + zeros1000, uint64_t{0});
  expect_parse("-" + zeros1000 + ".0", bits_of(-0.0));
  expect_parse(std::string(1000, '9') + "e-1000", bits_of(1.0));
  expect_parse("0." + std::string(2000, '9'), bits_of(1.0));
  expect_parse(std::string(400, '9'), Error::out_of_range);
  expect_parse("1" + std::string(308, '0'), bits_of(1e308));
  expect_parse("1" + zeros400 + "e-400", bits_of(1.0));
  std::string digits;
  for (int i = 0; i < 5000; ++i) digits += static_cast<char>('0' + (i * 7 + 3) % 10);
  expect_parse_like_std(digits + "e-4990");
  expect_parse_like_std("0." + digits);
  expect_parse_like_std(digits.substr(0, 300));
  expect_parse_like_std("-" + digits.substr(0, 800) + "e-1120");
}

// Exact decimal expansion of a long double (64-bit significand: binary64 midpoints are exact).
std::string exact_decimal(long double x) {
  std::string buf(1200, '\0');
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), x,
                               std::chars_format::scientific, 1100);
  EXPECT_EQ(r.ec, std::errc());
  buf.resize(static_cast<size_t>(r.ptr - buf.data()));
  // Drop the trailing zeros of the mantissa so the significant digit count is honest.
  const size_t e = buf.find('e');
  size_t end = e;
  while (buf[end - 1] == '0') --end;
  if (buf[end - 1] == '.') --end;
  return buf.substr(0, end) + buf.substr(e);
}

// Decimal strings just below, at and just above the midpoint between b and the next double up.
void check_midpoint(uint64_t b) {
  const bool hi_finite = ((b + 1) >> 52) != 0x7FF;
  const long double lo = static_cast<long double>(double_of(b));
  // Above the largest double, the next "value" is 2^1024 (long double has the range for it).
  const long double hi = hi_finite ? static_cast<long double>(double_of(b + 1)) : 0x1p1024L;
  const long double mid = lo + (hi - lo) / 2;
  const uint64_t even = (b & 1) == 0 ? b : b + 1;
  const std::string at = exact_decimal(mid);
  if (hi_finite) {
    expect_parse(at, even);
  } else {
    expect_parse(at, Error::out_of_range);  // ties to even: the even neighbour is 2^1024
  }
  expect_parse(exact_decimal(std::nextafter(mid, 0.0L)), b);
  if (hi_finite) expect_parse(exact_decimal(std::nextafter(mid, hi)), b + 1);
  // Appending a non-zero digit far beyond the 768 kept ones must still break the tie upwards.
  const size_t e = at.find('e');
  const std::string mantissa = at.substr(0, e);
  const std::string exponent = at.substr(e);
  const std::string tail(900, '0');
  if (hi_finite) {
    expect_parse(mantissa + tail + "1" + exponent, b + 1);
  } else {
    expect_parse(mantissa + tail + "1" + exponent, Error::out_of_range);
  }
  expect_parse(mantissa + tail + exponent,
               hi_finite ? Result<uint64_t>(even) : Result<uint64_t>(Error::out_of_range));
}

TEST(ParseDouble, HalfwayCases) {
  for (const uint64_t b : {uint64_t{0}, uint64_t{1}, uint64_t{2}, uint64_t{0x000FFFFFFFFFFFFF},
                           uint64_t{0x0010000000000000}, uint64_t{0x3FF0000000000000},
                           uint64_t{0x433FFFFFFFFFFFFF}, uint64_t{0x4340000000000000},
                           uint64_t{0x7FEFFFFFFFFFFFFE}, uint64_t{0x7FEFFFFFFFFFFFFF}}) {
    ASSERT_NO_FATAL_FAILURE(check_midpoint(b));
  }
  std::mt19937_64 rng(5);
  for (int i = 0; i < 3'000; ++i) {
    const uint64_t b = rng() % 0x7FF0000000000000;
    ASSERT_NO_FATAL_FAILURE(check_midpoint(b));
  }
}

TEST(ParseDouble, RandomDecimalsAgreeWithStd) {
  std::mt19937_64 rng(11);
  for (int i = 0; i < 100'000; ++i) {
    std::string s = rng() % 4 == 0 ? "-" : "";
    const int int_digits = 1 + static_cast<int>(rng() % 25);
    for (int j = 0; j < int_digits; ++j) s += static_cast<char>('0' + rng() % 10);
    if (rng() % 2 != 0) {
      s += '.';
      const int frac_digits = 1 + static_cast<int>(rng() % 25);
      for (int j = 0; j < frac_digits; ++j) s += static_cast<char>('0' + rng() % 10);
    }
    if (rng() % 4 != 0) s += "e" + std::to_string(static_cast<int>(rng() % 700) - 350);
    ASSERT_NO_FATAL_FAILURE(expect_parse_like_std(s));
  }
}

}  // namespace
}  // namespace tl::wire
