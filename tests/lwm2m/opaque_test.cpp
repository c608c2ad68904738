#include "wire/lwm2m/opaque.hpp"

#include <gtest/gtest.h>

#include <array>

namespace tl::wire::lwm2m::opaque {
namespace {

TEST(Opaque, PassesBytesThrough) {
  const uint8_t data[] = {0x00, 0xFF, 0x10, 0x80};
  std::array<uint8_t, 8> buf{};
  ByteWriter w(buf);
  ASSERT_EQ(write(Value::opaque(data), w), Error::ok);
  ASSERT_EQ(w.size(), sizeof data);
  Result<Value> v = read(w.written(), ValueType::opaque);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, Value::opaque(data));
  EXPECT_EQ(v->bytes.data(), buf.data());
}

TEST(Opaque, EmptyValue) {
  std::array<uint8_t, 1> buf{};
  ByteWriter w(buf);
  ASSERT_EQ(write(Value::opaque({}), w), Error::ok);
  EXPECT_EQ(w.size(), 0u);
  EXPECT_EQ(*read({}, ValueType::opaque), Value::opaque({}));
}

TEST(Opaque, OnlyOpaqueType) {
  std::array<uint8_t, 8> buf{};
  ByteWriter w(buf);
  EXPECT_EQ(write(Value::string("x"), w), Error::wrong_type);
  EXPECT_EQ(write(Value::integer(1), w), Error::wrong_type);
  EXPECT_EQ(read(as_bytes("x"), ValueType::string).error(), Error::wrong_type);
}

TEST(Opaque, ReportsSmallBuffer) {
  const uint8_t data[4] = {};
  std::array<uint8_t, 3> buf{};
  ByteWriter w(buf);
  EXPECT_EQ(write(Value::opaque(data), w), Error::buffer_too_small);
}

}  // namespace
}  // namespace tl::wire::lwm2m::opaque
