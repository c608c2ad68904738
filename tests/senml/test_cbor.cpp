// CBOR writer and pull reader: RFC 8949 Appendix A vectors, float widths, and every error.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <random>

#include "test_support.hpp"
#include "wire/senml/cbor.hpp"

namespace tl::wire::cbor {
namespace {

using senml::test::hex;
using senml::test::to_hex;

template <class F>
std::string written(F&& write) {
  uint8_t buf[64];
  ByteWriter out(buf, sizeof buf);
  Writer w(out);
  write(w);
  EXPECT_EQ(w.status(), Error::ok);
  return to_hex(out.written());
}

uint64_t bits(double d) { return std::bit_cast<uint64_t>(d); }

TEST(CborWriter, IntegersUseTheShortestHead) {
  const std::pair<int64_t, const char*> cases[] = {
      {0, "00"},           {1, "01"},           {10, "0a"},           {23, "17"},
      {24, "1818"},        {25, "1819"},        {100, "1864"},        {1000, "1903e8"},
      {1000000, "1a000f4240"}, {1000000000000, "1b000000e8d4a51000"}, {-1, "20"},
      {-10, "29"},         {-100, "3863"},      {-1000, "3903e7"},
      {std::numeric_limits<int64_t>::min(), "3b7fffffffffffffff"},
  };
  for (const auto& c : cases) {
    const int64_t v = c.first;
    EXPECT_EQ(written([&](Writer& w) { w.integer(v); }), c.second) << v;
  }
  EXPECT_EQ(written([](Writer& w) { w.unsigned_integer(18446744073709551615u); }), "1bffffffffffffffff");
}

TEST(CborWriter, FloatsTakeTheShortestExactWidth) {
  const std::pair<double, const char*> cases[] = {
      {0.0, "f90000"},
      {-0.0, "f98000"},
      {1.0, "f93c00"},
      {1.1, "fb3ff199999999999a"},
      {1.5, "f93e00"},
      {65504.0, "f97bff"},
      {100000.0, "fa47c35000"},
      {3.4028234663852886e+38, "fa7f7fffff"},
      {1.0e+300, "fb7e37e43c8800759c"},
      {5.960464477539063e-8, "f90001"},
      {0.00006103515625, "f90400"},
      {-4.0, "f9c400"},
      {-4.1, "fbc010666666666666"},
      {std::numeric_limits<double>::infinity(), "f97c00"},
      {-std::numeric_limits<double>::infinity(), "f9fc00"},
      {std::numeric_limits<double>::quiet_NaN(), "f97e00"},
      {std::numeric_limits<double>::denorm_min(), "fb0000000000000001"},
      {1.401298464324817e-45, "fa00000001"},  // smallest binary32 subnormal
  };
  for (const auto& c : cases) {
    const double v = c.first;
    EXPECT_EQ(written([&](Writer& w) { w.float_bits(bits(v)); }), c.second) << v;
  }
  // A NaN payload that half precision cannot hold keeps single precision.
  EXPECT_EQ(written([](Writer& w) { w.float_bits(0x7FF8000020000000); }), "fa7fc00001");
}

TEST(CborWriter, StringsContainersAndSimpleValues) {
  EXPECT_EQ(written([](Writer& w) { w.text(""); }), "60");
  EXPECT_EQ(written([](Writer& w) { w.text("IETF"); }), "6449455446");
  EXPECT_EQ(written([](Writer& w) { w.text("\xc3\xbc"); }), "62c3bc");
  const uint8_t data[] = {1, 2, 3, 4};
  EXPECT_EQ(written([&](Writer& w) { w.bytes(data); }), "4401020304");
  EXPECT_EQ(written([](Writer& w) { w.array(0); }), "80");
  EXPECT_EQ(written([](Writer& w) {
              w.array(3);
              w.integer(1);
              w.integer(2);
              w.integer(3);
            }),
            "83010203");
  EXPECT_EQ(written([](Writer& w) {
              w.map_start();
              w.text("a");
              w.integer(1);
              w.text("b");
              w.array_start();
              w.integer(2);
              w.integer(3);
              w.end();
              w.end();
            }),
            "bf61610161629f0203ffff");
  EXPECT_EQ(written([](Writer& w) {
              w.boolean(false);
              w.boolean(true);
              w.null();
            }),
            "f4f5f6");
}

TEST(CborWriter, ReportsAFullBuffer) {
  uint8_t buf[2];
  ByteWriter out(buf, sizeof buf);
  Writer w(out);
  w.text("abc");
  EXPECT_EQ(w.status(), Error::buffer_too_small);
}

// Reads every token of `data`; the last entry is the error that ended the walk.
struct Walk {
  std::vector<Token> tokens;
  Error end;
};
Walk walk(const std::vector<uint8_t>& data) {
  Reader r(data);
  Walk w;
  for (;;) {
    Result<Token> t = r.next();
    if (!t) {
      w.end = t.error();
      return w;
    }
    w.tokens.push_back(*t);
  }
}

TEST(CborReader, ReadsIntegersOfEveryWidth) {
  Walk w = walk(hex("00 17 1818 1903e8 1a000f4240 1bffffffffffffffff 20 3903e7 3bffffffffffffffff"));
  ASSERT_EQ(w.end, Error::end);
  ASSERT_EQ(w.tokens.size(), 9u);
  const uint64_t u[] = {0, 23, 24, 1000, 1000000, 0xFFFFFFFFFFFFFFFF, 0, 999, 0xFFFFFFFFFFFFFFFF};
  for (size_t i = 0; i < 9; ++i) {
    EXPECT_EQ(w.tokens[i].type, i < 6 ? Type::unsigned_integer : Type::negative_integer) << i;
    EXPECT_EQ(w.tokens[i].u, u[i]) << i;
  }
}

TEST(CborReader, WidensHalfAndSingleFloats) {
  const std::pair<const char*, double> cases[] = {
      {"f90000", 0.0},      {"f98000", -0.0},   {"f93c00", 1.0},          {"f97bff", 65504.0},
      {"f90001", 5.960464477539063e-8}, {"f903ff", 0.000060975551605224609375},
      {"fa47c35000", 100000.0}, {"fa7f7fffff", 3.4028234663852886e+38},
      {"fb3ff199999999999a", 1.1}, {"f9c400", -4.0}, {"fa00000001", 1.401298464324817e-45},
  };
  for (const auto& [h, v] : cases) {
    Walk w = walk(hex(h));
    ASSERT_EQ(w.tokens.size(), 1u) << h;
    EXPECT_EQ(w.tokens[0].type, Type::floating);
    EXPECT_EQ(w.tokens[0].u, bits(v)) << h;
  }
  EXPECT_EQ(walk(hex("f97c00")).tokens[0].u, bits(std::numeric_limits<double>::infinity()));
  EXPECT_EQ(walk(hex("f97e00")).tokens[0].u, 0x7FF8000000000000u);
}

TEST(CborReader, EveryHalfRoundTripsAndMatchesTheHostConversion) {
  for (uint32_t h = 0; h <= 0xFFFF; ++h) {
    const uint64_t wide = f64_from_f16(static_cast<uint16_t>(h));
    uint16_t back = 0;
    ASSERT_TRUE(f16_from_f64(wide, back)) << h;
    EXPECT_EQ(back, h);
    const int exp = static_cast<int>((h >> 10) & 0x1F);
    if (exp == 0x1F) continue;
    const double mag = exp == 0 ? std::ldexp(h & 0x3FF, -24) : std::ldexp((h & 0x3FF) | 0x400, exp - 25);
    EXPECT_EQ(wide, bits((h & 0x8000) ? -mag : mag)) << h;
  }
}

TEST(CborReader, SinglesMatchTheHostConversion) {
  std::mt19937 rng(8949);
  for (int i = 0; i < 200000; ++i) {
    const auto s = static_cast<uint32_t>(rng());
    const float f = std::bit_cast<float>(s);
    if (std::isnan(f)) continue;
    EXPECT_EQ(f64_from_f32(s), bits(static_cast<double>(f))) << s;
    uint32_t back = 0;
    ASSERT_TRUE(f32_from_f64(f64_from_f32(s), back));
    EXPECT_EQ(back, s);
    // A double that is not exactly a float never narrows.
    const uint64_t d = rng() | (uint64_t{rng()} << 32);
    const double dv = std::bit_cast<double>(d);
    if (std::isnan(dv)) continue;
    uint32_t narrow = 0;
    const bool exact = static_cast<double>(static_cast<float>(dv)) == dv;
    EXPECT_EQ(f32_from_f64(d, narrow), exact) << d;
  }
}

TEST(CborReader, ReadsStringsAndContainers) {
  const std::vector<uint8_t> data = hex("6449455446 4401020304 bf61610161629f0203ffff a201020304 80 f4f5f6f7 f0 f820");
  Walk w = walk(data);
  ASSERT_EQ(w.end, Error::end);
  ASSERT_EQ(w.tokens.size(), 23u);
  EXPECT_EQ(w.tokens[0].type, Type::text);
  EXPECT_EQ(as_text(w.tokens[0].bytes), "IETF");
  EXPECT_EQ(w.tokens[1].type, Type::bytes);
  EXPECT_EQ(w.tokens[1].bytes.size(), 4u);
  EXPECT_EQ(w.tokens[2].type, Type::map);
  EXPECT_TRUE(w.tokens[2].indefinite);
  EXPECT_EQ(w.tokens[5].type, Type::text);
  EXPECT_EQ(w.tokens[6].type, Type::array);
  EXPECT_EQ(w.tokens[9].type, Type::break_mark);
  EXPECT_EQ(w.tokens[10].type, Type::break_mark);
  EXPECT_EQ(w.tokens[11].type, Type::map);
  EXPECT_EQ(w.tokens[11].u, 2u);
  EXPECT_EQ(w.tokens[16].type, Type::array);
  EXPECT_EQ(w.tokens[16].u, 0u);
  EXPECT_EQ(w.tokens[17].type, Type::boolean);
  EXPECT_FALSE(w.tokens[17].b);
  EXPECT_TRUE(w.tokens[18].b);
  EXPECT_EQ(w.tokens[19].type, Type::null);
  EXPECT_EQ(w.tokens[20].type, Type::undefined);
  EXPECT_EQ(w.tokens[21].type, Type::simple);
  EXPECT_EQ(w.tokens[21].u, 16u);
  EXPECT_EQ(w.tokens[22].u, 32u);
}

TEST(CborReader, TracksDepth) {
  const std::vector<uint8_t> data = hex("82 01 81 02 03");
  Reader r(data);
  EXPECT_EQ(r.depth(), 0u);
  ASSERT_TRUE(r.next());  // [
  EXPECT_EQ(r.depth(), 1u);
  ASSERT_TRUE(r.next());  // 1
  ASSERT_TRUE(r.next());  // [
  EXPECT_EQ(r.depth(), 2u);
  ASSERT_TRUE(r.next());  // 2, closing both arrays
  EXPECT_EQ(r.depth(), 0u);
  EXPECT_FALSE(r.at_end());
  ASSERT_TRUE(r.next());  // 3
  EXPECT_TRUE(r.at_end());
  EXPECT_EQ(r.next().error(), Error::end);
}

TEST(CborReader, SkipsTagsAndWholeItems) {
  // 1(1363896240), then a tagged array skipped whole, then 7.
  const std::vector<uint8_t> data = hex("c11a514b67b0 d8208302a1010203 07");
  Reader r(data);
  Result<Token> t = r.next();
  ASSERT_TRUE(t);
  EXPECT_EQ(t->type, Type::unsigned_integer);
  EXPECT_EQ(t->u, 1363896240u);
  EXPECT_EQ(r.skip(), Error::ok);
  t = r.next();
  ASSERT_TRUE(t);
  EXPECT_EQ(t->u, 7u);
  EXPECT_EQ(r.next().error(), Error::end);
}

TEST(CborReader, NestingLimit) {
  std::vector<uint8_t> ok(Reader::kMaxDepth, 0x81);
  ok.push_back(0x00);
  EXPECT_EQ(walk(ok).end, Error::end);
  std::vector<uint8_t> deep(Reader::kMaxDepth + 1, 0x9f);
  EXPECT_EQ(walk(deep).end, Error::nesting_too_deep);
}

TEST(CborReader, ReportsEachError) {
  const std::pair<const char*, Error> cases[] = {
      {"1c", Error::malformed},          // reserved additional info 28..30
      {"3d", Error::malformed},
      {"5e", Error::malformed},
      {"7c", Error::malformed},
      {"9d", Error::malformed},
      {"be", Error::malformed},
      {"dc00", Error::malformed},
      {"fc", Error::malformed},
      {"1f", Error::malformed},          // indefinite is no integer
      {"3f", Error::malformed},
      {"df", Error::malformed},
      {"ff", Error::malformed},          // break outside a container
      {"8201ff", Error::malformed},      // break in a definite array
      {"bf01ff", Error::malformed},      // break between a key and its value
      {"c1ff", Error::malformed},        // a tag on a break
      {"9fc1ff", Error::malformed},
      {"f81f", Error::malformed},        // two-byte simple value below 32
      {"18", Error::truncated},
      {"1a0001", Error::truncated},
      {"6261", Error::truncated},        // string longer than the input
      {"5b0000000100000000", Error::truncated},
      {"83 01 02", Error::truncated},    // fewer items than the count
      {"9b ffffffffffffffff", Error::truncated},
      {"bb 7fffffffffffffff 00", Error::truncated},
      {"9f 01", Error::truncated},       // no break
      {"c1", Error::truncated},          // a tag on nothing
      {"f9 00", Error::truncated},
      {"5f 41 00 ff", Error::unsupported},  // chunked strings
      {"7f 61 61 ff", Error::unsupported},
      {"62 c3 28", Error::invalid_utf8},
      {"63 ed a0 80", Error::invalid_utf8},  // a surrogate
  };
  for (const auto& [h, e] : cases) EXPECT_EQ(walk(hex(h)).end, e) << h;
}

TEST(CborReader, ErrorsAreFinal) {
  const std::vector<uint8_t> data = hex("01 ff 02");
  Reader r(data);
  EXPECT_TRUE(r.next());
  EXPECT_EQ(r.next().error(), Error::malformed);
  EXPECT_EQ(r.next().error(), Error::malformed);
  EXPECT_EQ(r.skip(), Error::malformed);
}

TEST(CborReader, SkipRejectsABreak) {
  const std::vector<uint8_t> data = hex("9f ff");
  Reader r(data);
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r.skip(), Error::malformed);
}

}  // namespace
}  // namespace tl::wire::cbor
