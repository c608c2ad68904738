// ByteWriter, ByteReader, Result and error_name: the base types every wire encoder builds on.
#include <array>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "wire/bytes.hpp"

namespace tl::wire {
namespace {

std::string text(const ByteWriter& w) { return std::string(as_text(w.written())); }

TEST(ByteWriter, WritesInOrderAndReportsOk) {
  std::array<uint8_t, 16> buf{};
  ByteWriter w(buf);
  w.put(uint8_t{'a'});
  w.put(std::string_view("bc"));
  w.put(as_bytes("de"));
  EXPECT_EQ(text(w), "abcde");
  EXPECT_EQ(w.size(), 5u);
  EXPECT_EQ(w.capacity(), 16u);
  EXPECT_EQ(w.remaining(), 11u);
  EXPECT_FALSE(w.overflowed());
  EXPECT_EQ(w.status(), Error::ok);
}

TEST(ByteWriter, BigEndian) {
  std::array<uint8_t, 8> buf{};
  ByteWriter w(buf.data(), buf.size());
  w.put_be(0x0102, 2);
  w.put_be(0xAABBCCDD, 4);
  w.put_be(0x7F, 0);  // zero bytes: nothing
  const std::array<uint8_t, 6> want = {1, 2, 0xAA, 0xBB, 0xCC, 0xDD};
  ASSERT_EQ(w.size(), want.size());
  EXPECT_TRUE(std::equal(want.begin(), want.end(), buf.begin()));
}

TEST(ByteWriter, OverflowWritesNothingAndSticks) {
  std::array<uint8_t, 4> buf{};
  ByteWriter w(buf);
  w.put(std::string_view("abc"));
  w.put(std::string_view("de"));  // does not fit: nothing of it is written
  EXPECT_EQ(text(w), "abc");
  EXPECT_TRUE(w.overflowed());
  EXPECT_EQ(w.status(), Error::buffer_too_small);
  w.put(uint8_t{'x'});  // still fits, but the overflow is remembered
  EXPECT_EQ(text(w), "abcx");
  EXPECT_EQ(w.status(), Error::buffer_too_small);
  w.put(uint8_t{'y'});
  EXPECT_EQ(w.size(), 4u);
}

TEST(ByteWriter, ZeroCapacity) {
  ByteWriter w(nullptr, 0);
  w.put(std::string_view(""));
  EXPECT_EQ(w.status(), Error::ok);
  w.put(uint8_t{1});
  EXPECT_EQ(w.status(), Error::buffer_too_small);
  EXPECT_EQ(w.size(), 0u);
}

TEST(ByteWriter, ReserveThenFill) {
  std::array<uint8_t, 6> buf{};
  ByteWriter w(buf);
  w.put(uint8_t{'<'});
  const size_t at = w.reserve(2);
  w.put(std::string_view("xyz"));
  *w.at(at) = 'L';
  *w.at(at + 1) = 'N';
  EXPECT_EQ(text(w), "<LNxyz");
  EXPECT_EQ(w.status(), Error::ok);
  const size_t end = w.reserve(1);
  EXPECT_EQ(end, 6u);
  EXPECT_EQ(w.size(), 6u);
  EXPECT_EQ(w.status(), Error::buffer_too_small);
}

TEST(ByteWriter, TruncateUndoesPartialItem) {
  std::array<uint8_t, 8> buf{};
  ByteWriter w(buf);
  w.put(std::string_view("keep"));
  const size_t mark = w.size();
  w.put(std::string_view("drop"));
  w.truncate(mark);
  EXPECT_EQ(text(w), "keep");
  w.truncate(100);  // beyond the end: no effect
  EXPECT_EQ(w.size(), 4u);
}

TEST(ByteReader, ReadsAndStopsAtEnd) {
  const std::array<uint8_t, 7> in = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07};
  ByteReader r(in);
  EXPECT_EQ(r.remaining(), 7u);
  EXPECT_FALSE(r.empty());
  ASSERT_TRUE(r.peek());
  EXPECT_EQ(*r.peek(), 0x01);
  ASSERT_TRUE(r.byte());
  EXPECT_EQ(r.position(), in.data() + 1);
  const Result<uint64_t> be = r.be(3);
  ASSERT_TRUE(be);
  EXPECT_EQ(*be, 0x020304u);
  const Result<Bytes> two = r.take(2);
  ASSERT_TRUE(two);
  EXPECT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[0], 0x05);
  EXPECT_EQ(r.rest().size(), 1u);
  EXPECT_EQ(r.take(2).error(), Error::truncated);  // failed reads consume nothing
  EXPECT_EQ(r.be(2).error(), Error::truncated);
  EXPECT_EQ(r.remaining(), 1u);
  EXPECT_EQ(*r.byte(), 0x07);
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(r.byte().error(), Error::truncated);
  EXPECT_EQ(r.peek().error(), Error::truncated);
  EXPECT_TRUE(r.take(0));
  EXPECT_EQ(*r.be(0), 0u);
}

TEST(ByteReader, EightByteBigEndian) {
  const std::array<uint8_t, 8> in = {0xFF, 0xEE, 0xDD, 0xCC, 0xBB, 0xAA, 0x99, 0x88};
  ByteReader r(in);
  EXPECT_EQ(*r.be(8), 0xFFEEDDCCBBAA9988u);
}

TEST(Bytes, TextConversions) {
  const std::string_view s = "h\xC3\xA9";
  const Bytes b = as_bytes(s);
  EXPECT_EQ(b.size(), 3u);
  EXPECT_EQ(b[1], 0xC3);
  EXPECT_EQ(as_text(b), s);
}

TEST(Result, ValueOrError) {
  Result<int> good = 5;
  EXPECT_TRUE(good.ok());
  EXPECT_TRUE(static_cast<bool>(good));
  EXPECT_EQ(good.error(), Error::ok);
  EXPECT_EQ(*good, 5);
  *good = 6;
  EXPECT_EQ(*good, 6);
  const Result<int> bad = Error::malformed;
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.error(), Error::malformed);
  EXPECT_EQ(*bad, 0);  // default value
  struct Pair {
    int a = 1;
  };
  Result<Pair> p = Pair{};
  EXPECT_EQ(p->a, 1);
}

TEST(ErrorName, EveryCodeHasADistinctName) {
  std::set<std::string> names;
  for (int i = 0; i <= static_cast<int>(Error::end); ++i) {
    const std::string name = error_name(static_cast<Error>(i));
    EXPECT_NE(name, "?") << i;
    EXPECT_FALSE(name.empty()) << i;
    names.insert(name);
  }
  EXPECT_EQ(names.size(), static_cast<size_t>(Error::end) + 1);
  EXPECT_STREQ(error_name(Error::ok), "ok");
  EXPECT_STREQ(error_name(Error::bad_number), "bad_number");
  EXPECT_STREQ(error_name(Error::end), "end");
  EXPECT_STREQ(error_name(static_cast<Error>(200)), "?");
}

}  // namespace
}  // namespace tl::wire
