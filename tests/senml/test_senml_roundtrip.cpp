// Seeded random packs written by both writers and read back by both readers.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <random>
#include <string>

#include "test_support.hpp"

namespace tl::wire::senml {
namespace {

using lwm2m::Path;
using lwm2m::Value;
using lwm2m::ValueType;

struct Entry {
  Path path;
  Value value;
  bool has_time = false;
  int64_t time = 0;
};

struct Case {
  bool has_base = false;
  Path base;
  bool has_bt = false;
  int64_t bt = 0;
  std::vector<Entry> entries;
  std::vector<std::string> texts;  // storage for string values
  std::vector<std::vector<uint8_t>> blobs;
};

class Gen {
 public:
  explicit Gen(uint64_t seed) : rng_(seed) {}

  uint64_t bits() { return rng_(); }
  uint64_t below(uint64_t n) { return rng_() % n; }
  bool coin() { return (rng_() & 1) != 0; }

  uint16_t id() {
    static const uint16_t kIds[] = {0, 1, 9, 10, 99, 3303, 5700, 65534};
    return coin() ? kIds[below(8)] : static_cast<uint16_t>(below(65535));
  }

  Path extend(Path p, size_t depth) {
    while (p.depth < depth) p = p.child(id());
    return p;
  }

  std::string text() {
    static const char* kPieces[] = {"a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\x01", "\x1f",
                                    "\x7f", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "</3/0>;ct=110"};
    std::string s;
    const size_t n = below(12);
    for (size_t i = 0; i < n; ++i) s += kPieces[below(16)];
    return s;
  }

  uint64_t finite_double() {
    for (;;) {
      const uint64_t b = coin() ? bits() : std::bit_cast<uint64_t>(static_cast<double>(
                                               static_cast<int64_t>(bits()) >> below(64)) / 8.0);
      if (std::isfinite(std::bit_cast<double>(b))) return b;
    }
  }

  Value value(Case& c) {
    switch (below(10)) {
      case 0: return Value::integer(static_cast<int64_t>(bits()) >> below(64));
      case 1: return Value::unsigned_integer(bits() >> below(64));
      case 2: return Value::floating_bits(finite_double());
      case 3: c.texts.push_back(text()); return Value::string(c.texts.back());
      case 4: return Value::boolean(coin());
      case 5: {
        std::vector<uint8_t> blob(below(20));
        for (auto& b : blob) b = static_cast<uint8_t>(bits());
        c.blobs.push_back(blob);
        return Value::opaque(c.blobs.back());
      }
      case 6: return Value::time(static_cast<int64_t>(bits() % 4000000000));
      case 7: return Value::objlnk(id(), coin() ? 65535 : id());
      case 8: c.texts.push_back(text()); return Value::corelnk(c.texts.back());
      default: return Value{};
    }
  }

  Case make_case() {
    Case c;
    c.texts.reserve(16);
    c.blobs.reserve(16);
    c.has_base = coin();
    if (c.has_base) c.base = extend(Path::root(), below(4));
    c.has_bt = below(3) == 0;
    c.bt = static_cast<int64_t>(below(2000000000));
    const size_t n = 1 + below(8);
    for (size_t i = 0; i < n; ++i) {
      Entry e;
      e.path = extend(c.has_base ? c.base : Path::root(), c.has_base ? c.base.depth + below(5 - c.base.depth)
                                                                    : 1 + below(4));
      e.value = value(c);
      e.has_time = coin();
      e.time = c.bt + static_cast<int64_t>(below(1000)) - 500;
      c.entries.push_back(e);
    }
    return c;
  }

 private:
  std::mt19937_64 rng_;
};

template <class Writer>
Bytes write_case(const Case& c, Writer& w, ByteWriter& out) {
  if (c.has_base) w.set_base_name(c.base);
  if (c.has_bt) w.set_base_time(c.bt);
  for (const Entry& e : c.entries) {
    const Error err = e.has_time ? w.add(e.path, e.value, e.time) : w.add(e.path, e.value);
    EXPECT_EQ(err, Error::ok);
  }
  EXPECT_EQ(w.finish(), Error::ok);
  return out.written();
}

// Checks each record as soon as it is read: JSON values may live in the scratch buffer, which
// the next record reuses.
template <class Reader>
void check(const Case& c, Reader& reader, const char* format) {
  for (size_t i = 0; i < c.entries.size(); ++i) {
    const Entry& e = c.entries[i];
    Result<Record> r = reader.next();
    ASSERT_TRUE(r) << format << " " << i << " " << error_name(r.error());
    EXPECT_EQ(r->path, e.path) << format << " " << i;
    const bool timed = e.has_time || c.has_bt;
    EXPECT_EQ(r->has_time, timed) << format << " " << i;
    if (timed) {
      EXPECT_EQ(r->time_seconds(), e.has_time ? e.time : c.bt) << format << " " << i;
    }
    Result<Value> v = r->value_as(e.value.type);
    ASSERT_TRUE(v) << format << " " << i << " " << error_name(v.error());
    EXPECT_EQ(*v, e.value) << format << " " << i << " " << lwm2m::value_type_name(e.value.type);
  }
  EXPECT_EQ(reader.next().error(), Error::end) << format;
}

TEST(SenmlRoundTrip, RandomPacksThroughJsonAndCbor) {
  Gen gen(0x5E4D1);
  std::vector<uint8_t> json_buf(8192);
  std::vector<uint8_t> cbor_buf(8192);
  std::vector<uint8_t> scratch(512);
  for (int round = 0; round < 2000; ++round) {
    SCOPED_TRACE(round);
    const Case c = gen.make_case();
    ByteWriter jout(json_buf.data(), json_buf.size());
    JsonWriter jw(jout);
    const Bytes json = write_case(c, jw, jout);
    ByteWriter cout(cbor_buf.data(), cbor_buf.size());
    CborWriter cw(cout, round % 2 == 0 ? c.entries.size() : CborWriter::kUnknownCount);
    const Bytes cbor = write_case(c, cw, cout);

    JsonReader jr(json, scratch);
    check(c, jr, "json");
    CborReader cr(cbor);
    check(c, cr, "cbor");
  }
}

}  // namespace
}  // namespace tl::wire::senml
