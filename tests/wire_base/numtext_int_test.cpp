// Decimal integers and UTF-8 validation of wire/numtext.hpp.
#include <array>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "wire/numtext.hpp"

namespace tl::wire {
namespace {

template <class T>
std::string format_with(Error (*fn)(T, ByteWriter&), T v) {
  std::array<uint8_t, 32> buf{};
  ByteWriter w(buf);
  EXPECT_EQ(fn(v, w), Error::ok);
  return std::string(as_text(w.written()));
}

TEST(FormatInt, MatchesStdToString) {
  const int64_t lo = std::numeric_limits<int64_t>::min();
  const int64_t hi = std::numeric_limits<int64_t>::max();
  for (const int64_t v : {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{9}, int64_t{10},
                          int64_t{-10}, int64_t{1234567890}, lo, lo + 1, hi, hi - 1}) {
    EXPECT_EQ(format_with(format_int, v), std::to_string(v));
  }
  std::mt19937_64 rng(1);
  for (int i = 0; i < 100'000; ++i) {
    const auto v = static_cast<int64_t>(rng() >> (rng() % 64));
    ASSERT_EQ(format_with(format_int, v), std::to_string(v));
    ASSERT_EQ(format_with(format_int, -v), std::to_string(-v));
  }
}

TEST(FormatUint, MatchesStdToString) {
  for (const uint64_t v : {uint64_t{0}, uint64_t{7}, uint64_t{10}, uint64_t{99}, uint64_t{100},
                           std::numeric_limits<uint64_t>::max()}) {
    EXPECT_EQ(format_with(format_uint, v), std::to_string(v));
  }
  std::mt19937_64 rng(2);
  for (int i = 0; i < 100'000; ++i) {
    const uint64_t v = rng() >> (rng() % 64);
    ASSERT_EQ(format_with(format_uint, v), std::to_string(v));
  }
}

TEST(FormatInt, AllOrNothingWhenTooSmall) {
  std::array<uint8_t, 4> buf{};
  ByteWriter w(buf);
  EXPECT_EQ(format_int(-1234, w), Error::buffer_too_small);
  EXPECT_EQ(w.size(), 0u);
  EXPECT_EQ(format_uint(12345, w), Error::buffer_too_small);
  EXPECT_EQ(format_uint(1234, w), Error::ok);
  EXPECT_EQ(as_text(w.written()), "1234");
  // The writer remembers the earlier overflow for the caller's final check.
  EXPECT_EQ(w.status(), Error::buffer_too_small);
}

TEST(ParseUint, AcceptsDigitsOnly) {
  EXPECT_EQ(*parse_uint("0"), 0u);
  EXPECT_EQ(*parse_uint("000123"), 123u);
  EXPECT_EQ(*parse_uint("18446744073709551615"), std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(*parse_uint("00000000000000000000018446744073709551615"),
            std::numeric_limits<uint64_t>::max());
  for (const char* bad : {"", "+1", "-1", " 1", "1 ", "1a", "a", "1.0", "1e3", "0x10", "-"}) {
    EXPECT_EQ(parse_uint(bad).error(), Error::bad_number) << bad;
  }
  EXPECT_EQ(parse_uint("18446744073709551616").error(), Error::out_of_range);
  EXPECT_EQ(parse_uint("99999999999999999999999").error(), Error::out_of_range);
  EXPECT_EQ(parse_uint("99999999999999999999999x").error(), Error::bad_number);
}

TEST(ParseInt, RangeAndSyntax) {
  EXPECT_EQ(*parse_int("0"), 0);
  EXPECT_EQ(*parse_int("-0"), 0);
  EXPECT_EQ(*parse_int("-007"), -7);
  EXPECT_EQ(*parse_int("9223372036854775807"), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(*parse_int("-9223372036854775808"), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(parse_int("9223372036854775808").error(), Error::out_of_range);
  EXPECT_EQ(parse_int("-9223372036854775809").error(), Error::out_of_range);
  EXPECT_EQ(parse_int("-18446744073709551616").error(), Error::out_of_range);
  for (const char* bad : {"", "-", "+1", "--1", "- 1", " 1", "1-", "1.5", "1e2", "\xEF\xBC\x91"}) {
    EXPECT_EQ(parse_int(bad).error(), Error::bad_number) << bad;
  }
}

TEST(ParseInt, RoundTripsRandomValues) {
  std::mt19937_64 rng(3);
  for (int i = 0; i < 100'000; ++i) {
    const auto v = static_cast<int64_t>(rng() >> (rng() % 64));
    const std::string s = std::to_string(v);
    ASSERT_EQ(*parse_int(s), v) << s;
    const uint64_t u = rng() >> (rng() % 64);
    ASSERT_EQ(*parse_uint(std::to_string(u)), u);
  }
}

// Reference validator written the other way round: decode the code point from the bit pattern,
// then reject overlongs, surrogates and values above U+10FFFF.
bool reference_utf8(const uint8_t* p, size_t n) {
  size_t i = 0;
  while (i < n) {
    const uint8_t b = p[i];
    size_t len = 0;
    uint32_t cp = 0;
    if (b < 0x80) {
      len = 1;
      cp = b;
    } else if ((b & 0xE0) == 0xC0) {
      len = 2;
      cp = b & 0x1Fu;
    } else if ((b & 0xF0) == 0xE0) {
      len = 3;
      cp = b & 0x0Fu;
    } else if ((b & 0xF8) == 0xF0) {
      len = 4;
      cp = b & 0x07u;
    } else {
      return false;
    }
    if (n - i < len) return false;
    for (size_t j = 1; j < len; ++j) {
      if ((p[i + j] & 0xC0) != 0x80) return false;
      cp = cp << 6 | (p[i + j] & 0x3Fu);
    }
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

TEST(Utf8, KnownCases) {
  EXPECT_TRUE(is_valid_utf8(as_bytes("")));
  EXPECT_TRUE(is_valid_utf8(as_bytes("plain ascii\x7F")));
  EXPECT_TRUE(is_valid_utf8(as_bytes("\xC3\xA9t\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80")));
  EXPECT_TRUE(is_valid_utf8(as_bytes("\xEF\xBF\xBF\xF4\x8F\xBF\xBF")));  // U+FFFF, U+10FFFF
  EXPECT_TRUE(is_valid_utf8(as_bytes("\xED\x9F\xBF\xEE\x80\x80")));      // U+D7FF, U+E000
  const std::vector<std::string> bad = {
      "\x80",              // lone continuation
      "\xC0\x80",          // overlong NUL
      "\xC1\xBF",          // overlong
      "\xE0\x9F\xBF",      // overlong 3-byte
      "\xF0\x8F\xBF\xBF",  // overlong 4-byte
      "\xED\xA0\x80",      // U+D800
      "\xED\xBF\xBF",      // U+DFFF
      "\xF4\x90\x80\x80",  // U+110000
      "\xF5\x80\x80\x80",  // lead beyond range
      "\xFF",
      "\xC3",              // truncated
      "\xE2\x82",          // truncated
      "\xF0\x9F\x98",      // truncated
      "a\xC3(",            // bad continuation
      "\xE2\x28\xA1",
  };
  for (const std::string& s : bad) EXPECT_FALSE(is_valid_utf8(as_bytes(s))) << s;
  const std::string nul("a\0b", 3);
  EXPECT_TRUE(is_valid_utf8(as_bytes(nul)));
}

TEST(Utf8, ExhaustiveUpToThreeBytes) {
  std::array<uint8_t, 3> s{};
  for (uint32_t v = 0; v < (1u << 24); ++v) {
    s = {static_cast<uint8_t>(v >> 16), static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
    // The value's significant bytes: every 1-, 2- and 3-byte string whose first byte is not 0.
    const size_t n = v < 0x100 ? 1 : (v < 0x10000 ? 2 : 3);
    const uint8_t* p = s.data() + 3 - n;
    ASSERT_EQ(is_valid_utf8(Bytes{p, n}), reference_utf8(p, n)) << std::hex << v;
  }
}

TEST(Utf8, FourByteLeadsAgainstEverySecondByte) {
  const std::array<uint8_t, 6> tails = {0x00, 0x7F, 0x80, 0xBF, 0xC0, 0xFF};
  std::array<uint8_t, 4> s{};
  for (uint32_t lead = 0xE0; lead < 0x100; ++lead) {
    for (uint32_t second = 0; second < 0x100; ++second) {
      for (const uint8_t third : tails) {
        for (const uint8_t fourth : tails) {
          s = {static_cast<uint8_t>(lead), static_cast<uint8_t>(second), third, fourth};
          ASSERT_EQ(is_valid_utf8(s), reference_utf8(s.data(), s.size()))
              << std::hex << lead << ' ' << second << ' ' << int{third} << ' ' << int{fourth};
        }
      }
    }
  }
}

}  // namespace
}  // namespace tl::wire
