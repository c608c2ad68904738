#include "wire/lwm2m/text.hpp"

#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace tl::wire::lwm2m::text {
namespace {

std::string written(const Value& v, Error expect = Error::ok) {
  std::array<uint8_t, 256> buf{};
  ByteWriter w(buf);
  EXPECT_EQ(write(v, w), expect) << value_type_name(v.type);
  return std::string(as_text(w.written()));
}

Result<Value> parse(std::string_view s, ValueType t) { return read(as_bytes(s), t); }

uint64_t bits(double d) { return std::bit_cast<uint64_t>(d); }

TEST(TextPlain, WritesEveryType) {
  EXPECT_EQ(written(Value::string("Open Mobile Alliance")), "Open Mobile Alliance");
  EXPECT_EQ(written(Value::integer(-42)), "-42");
  EXPECT_EQ(written(Value::integer(INT64_MIN)), "-9223372036854775808");
  EXPECT_EQ(written(Value::unsigned_integer(UINT64_MAX)), "18446744073709551615");
  EXPECT_EQ(written(Value::floating_bits(bits(23.1))), "23.1");
  EXPECT_EQ(written(Value::floating_bits(bits(-3.0))), "-3");
  EXPECT_EQ(written(Value::boolean(true)), "1");
  EXPECT_EQ(written(Value::boolean(false)), "0");
  EXPECT_EQ(written(Value::time(1367491215)), "1367491215");
  EXPECT_EQ(written(Value::objlnk(3, 0)), "3:0");
  EXPECT_EQ(written(Value::objlnk(65535, 65535)), "65535:65535");
  EXPECT_EQ(written(Value::corelnk("</3/0>")), "</3/0>");
  EXPECT_EQ(written(Value{}), "");
}

TEST(TextPlain, OpaqueIsBase64) {
  const uint8_t data[] = {0x00, 0x01, 0xFE, 0xFF};
  EXPECT_EQ(written(Value::opaque(data)), "AAH+/w==");
  EXPECT_EQ(written(Value::opaque(as_bytes("Man"))), "TWFu");
  EXPECT_EQ(written(Value::opaque(as_bytes("Ma"))), "TWE=");
  EXPECT_EQ(written(Value::opaque({})), "");
  std::array<uint8_t, 16> out{};
  Result<Value> v = read(as_bytes("AAH+/w=="), ValueType::opaque, out);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, Value::opaque(data));
  EXPECT_EQ(v->bytes.data(), out.data());
}

TEST(TextPlain, Base64Rfc4648Vectors) {
  const char* plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  const char* coded[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
  for (size_t k = 0; k < 7; ++k) {
    std::array<uint8_t, 16> buf{};
    ByteWriter w(buf);
    ASSERT_EQ(base64_encode(as_bytes(plain[k]), w), Error::ok);
    EXPECT_EQ(as_text(w.written()), coded[k]);
    EXPECT_EQ(base64_encoded_size(std::string_view(plain[k]).size()), w.size());
    std::array<uint8_t, 16> back{};
    Result<size_t> n = base64_decode(coded[k], back);
    ASSERT_TRUE(n.ok()) << coded[k];
    EXPECT_EQ(std::string_view(reinterpret_cast<char*>(back.data()), *n), plain[k]);
  }
}

TEST(TextPlain, Base64RejectsNonCanonicalText) {
  std::array<uint8_t, 16> out{};
  for (std::string_view bad : {"Zg=", "Zg", "Zh==", "Zm9=", "Z===", "====", "Zg==Zg==", "Zm 9v",
                               "Zm9v\n", "Zm-v", "Zm9v=", "=Zm9"}) {
    EXPECT_EQ(base64_decode(bad, out).error(), Error::malformed) << bad;
  }
  std::array<uint8_t, 2> small{};
  EXPECT_EQ(base64_decode("Zm9v", small).error(), Error::buffer_too_small);
  EXPECT_EQ(read(as_bytes("Zm9v"), ValueType::opaque).error(), Error::buffer_too_small);
}

TEST(TextPlain, ReadsEveryType) {
  EXPECT_EQ(*parse("Open Mobile Alliance", ValueType::string), Value::string("Open Mobile Alliance"));
  EXPECT_EQ(*parse("-42", ValueType::integer), Value::integer(-42));
  EXPECT_EQ(*parse("007", ValueType::integer), Value::integer(7));
  EXPECT_EQ(*parse("18446744073709551615", ValueType::unsigned_integer),
            Value::unsigned_integer(UINT64_MAX));
  EXPECT_EQ(*parse("23.1", ValueType::floating), Value::floating_bits(bits(23.1)));
  EXPECT_EQ(*parse("-1.5e3", ValueType::floating), Value::floating_bits(bits(-1500.0)));
  EXPECT_EQ(*parse("1", ValueType::boolean), Value::boolean(true));
  EXPECT_EQ(*parse("0", ValueType::boolean), Value::boolean(false));
  EXPECT_EQ(*parse("1367491215", ValueType::time), Value::time(1367491215));
  EXPECT_EQ(*parse("3:0", ValueType::objlnk), Value::objlnk(3, 0));
  EXPECT_EQ(*parse("65535:65535", ValueType::objlnk), Value::objlnk(65535, 65535));
  EXPECT_EQ(*parse("</3/0>,</4/0>", ValueType::corelnk), Value::corelnk("</3/0>,</4/0>"));
  EXPECT_EQ(*parse("", ValueType::none), Value{});
  EXPECT_EQ(*parse("", ValueType::string), Value::string(""));
}

TEST(TextPlain, StringPointsIntoInput) {
  std::string_view in = "h\xC3\xA9llo";
  Result<Value> v = parse(in, ValueType::string);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->text().data(), in.data());
}

TEST(TextPlain, ReadErrors) {
  EXPECT_EQ(parse("\xC3", ValueType::string).error(), Error::invalid_utf8);
  EXPECT_EQ(parse("\xED\xA0\x80", ValueType::string).error(), Error::invalid_utf8);
  EXPECT_EQ(parse("\xFF", ValueType::corelnk).error(), Error::invalid_utf8);
  EXPECT_EQ(parse("", ValueType::integer).error(), Error::bad_number);
  EXPECT_EQ(parse("12a", ValueType::integer).error(), Error::bad_number);
  EXPECT_EQ(parse("+1", ValueType::integer).error(), Error::bad_number);
  EXPECT_EQ(parse("9223372036854775808", ValueType::integer).error(), Error::out_of_range);
  EXPECT_EQ(parse("-1", ValueType::unsigned_integer).error(), Error::bad_number);
  EXPECT_EQ(parse("18446744073709551616", ValueType::unsigned_integer).error(), Error::out_of_range);
  EXPECT_EQ(parse("1.5", ValueType::time).error(), Error::bad_number);
  EXPECT_EQ(parse("abc", ValueType::floating).error(), Error::bad_number);
  EXPECT_EQ(parse(".5", ValueType::floating).error(), Error::bad_number);
  for (std::string_view b : {"", "2", "true", "00", "01", " 1"}) {
    EXPECT_EQ(parse(b, ValueType::boolean).error(), Error::malformed) << b;
  }
  EXPECT_EQ(parse("3", ValueType::objlnk).error(), Error::malformed);
  EXPECT_EQ(parse("3:", ValueType::objlnk).error(), Error::bad_number);
  EXPECT_EQ(parse(":0", ValueType::objlnk).error(), Error::bad_number);
  EXPECT_EQ(parse("3:0:1", ValueType::objlnk).error(), Error::bad_number);
  EXPECT_EQ(parse("65536:0", ValueType::objlnk).error(), Error::out_of_range);
  EXPECT_EQ(parse("x", ValueType::none).error(), Error::malformed);
  std::array<uint8_t, 8> scratch{};
  EXPECT_EQ(read(as_bytes("@@@@"), ValueType::opaque, scratch).error(), Error::malformed);
}

TEST(TextPlain, WriteErrors) {
  written(Value::string("\xC0\x80"), Error::invalid_utf8);
  written(Value::floating_bits(0x7FF0000000000000ull), Error::out_of_range);
  std::array<uint8_t, 3> small{};
  ByteWriter w(small);
  EXPECT_EQ(write(Value::integer(12345), w), Error::buffer_too_small);
}

// Seeded random values of every type: write -> read gives back the same value.
TEST(TextPlain, RandomRoundTrip) {
  std::mt19937_64 rng(0x7e57);
  std::vector<uint8_t> blob(64);
  for (int round = 0; round < 2000; ++round) {
    for (uint8_t& b : blob) b = static_cast<uint8_t>(rng());
    Value v;
    switch (round % 8) {
      case 0: v = Value::integer(static_cast<int64_t>(rng()) >> (rng() % 64)); break;
      case 1: v = Value::unsigned_integer(rng() >> (rng() % 64)); break;
      case 2: {
        double d = std::bit_cast<double>(rng());
        if (d != d || d - d != 0) d = 0.25;  // NaN and infinities have no text form
        v = Value::floating_bits(std::bit_cast<uint64_t>(d));
        break;
      }
      case 3: v = Value::boolean((rng() & 1) != 0); break;
      case 4: v = Value::time(static_cast<int64_t>(rng() % 4000000000ull) - 1000000000); break;
      case 5: v = Value::objlnk(static_cast<uint16_t>(rng()), static_cast<uint16_t>(rng())); break;
      case 6: v = Value::opaque(Bytes(blob.data(), rng() % blob.size())); break;
      default: v = Value::string("caf\xC3\xA9 \xF0\x9F\x98\x80"); break;
    }
    std::array<uint8_t, 128> text{};
    ByteWriter w(text);
    ASSERT_EQ(write(v, w), Error::ok);
    std::array<uint8_t, 64> scratch{};
    Result<Value> back = read(w.written(), v.type, scratch);
    ASSERT_TRUE(back.ok()) << as_text(w.written());
    EXPECT_EQ(*back, v) << as_text(w.written());
  }
}

}  // namespace
}  // namespace tl::wire::lwm2m::text
