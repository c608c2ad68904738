#include "wire/lwm2m/value.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cstring>

namespace tl::wire::lwm2m {
namespace {

TEST(Value, TypeNames) {
  EXPECT_STREQ(value_type_name(ValueType::none), "none");
  EXPECT_STREQ(value_type_name(ValueType::string), "string");
  EXPECT_STREQ(value_type_name(ValueType::integer), "integer");
  EXPECT_STREQ(value_type_name(ValueType::unsigned_integer), "unsigned");
  EXPECT_STREQ(value_type_name(ValueType::floating), "float");
  EXPECT_STREQ(value_type_name(ValueType::boolean), "boolean");
  EXPECT_STREQ(value_type_name(ValueType::opaque), "opaque");
  EXPECT_STREQ(value_type_name(ValueType::time), "time");
  EXPECT_STREQ(value_type_name(ValueType::objlnk), "objlnk");
  EXPECT_STREQ(value_type_name(ValueType::corelnk), "corelnk");
}

TEST(Value, EqualityNeedsSameType) {
  EXPECT_EQ(Value{}, Value{});
  EXPECT_EQ(Value::integer(5), Value::integer(5));
  EXPECT_NE(Value::integer(5), Value::integer(6));
  EXPECT_NE(Value::integer(5), Value::time(5));
  EXPECT_NE(Value::integer(5), Value::unsigned_integer(5));
  EXPECT_EQ(Value::boolean(true), Value::boolean(true));
  EXPECT_NE(Value::boolean(true), Value::boolean(false));
  EXPECT_EQ(Value::objlnk(3, 0), Value::objlnk(3, 0));
  EXPECT_NE(Value::objlnk(3, 0), Value::objlnk(3, 1));
  EXPECT_EQ(Value::unsigned_integer(~0ull), Value::unsigned_integer(~0ull));
}

TEST(Value, BytesCompareByContent) {
  char a[] = "hello";
  char b[] = "hello";
  EXPECT_EQ(Value::string(a), Value::string(b));
  EXPECT_NE(Value::string("hello"), Value::string("hell"));
  EXPECT_NE(Value::string("hello"), Value::corelnk("hello"));
  EXPECT_NE(Value::string("hello"), Value::opaque(as_bytes("hello")));
  EXPECT_EQ(Value::opaque({}), Value::opaque({}));
}

TEST(Value, FloatsCompareByBits) {
  uint64_t pz = std::bit_cast<uint64_t>(0.0);
  uint64_t nz = std::bit_cast<uint64_t>(-0.0);
  uint64_t nan = 0x7FF8000000000001ull;
  EXPECT_NE(Value::floating_bits(pz), Value::floating_bits(nz));
  EXPECT_EQ(Value::floating_bits(nan), Value::floating_bits(nan));
  EXPECT_EQ(Value::floating_bits(std::bit_cast<uint64_t>(1.5)), Value::floating(1.5f));
}

}  // namespace
}  // namespace tl::wire::lwm2m
