#include "wire/hex.hpp"

#include <gtest/gtest.h>

#include <array>

namespace tl::wire {
namespace {

TEST(Hex, DecodesEitherCaseAndEncodesLowerCase) {
  std::array<uint8_t, 4> bytes{};
  ASSERT_EQ(decode_hex("00fFa17E", bytes), Error::ok);
  EXPECT_EQ(bytes, (std::array<uint8_t, 4>{0x00, 0xFF, 0xA1, 0x7E}));
  std::array<char, 8> text{};
  ASSERT_EQ(encode_hex(bytes, text), Error::ok);
  EXPECT_EQ(std::string_view(text.data(), text.size()), "00ffa17e");
}

TEST(Hex, RefusesOddLengthsStrangersAndSmallBuffers) {
  std::array<uint8_t, 2> bytes{};
  EXPECT_EQ(decode_hex("abc", bytes), Error::malformed);
  EXPECT_EQ(decode_hex("0g", bytes), Error::malformed);
  EXPECT_EQ(decode_hex(" 0", bytes), Error::malformed);
  EXPECT_EQ(decode_hex("001122", bytes), Error::buffer_too_small);
  std::array<char, 3> text{};
  EXPECT_EQ(encode_hex(bytes, text), Error::buffer_too_small);
  EXPECT_EQ(decode_hex("", {}), Error::ok);  // nothing is nothing
}

}  // namespace
}  // namespace tl::wire
