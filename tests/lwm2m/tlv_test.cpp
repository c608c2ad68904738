// TLV against the examples of LwM2M TS 1.1 section 7.4.3 and every malformed case.
#include "wire/lwm2m/tlv.hpp"

#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cstdint>
#include <vector>

namespace tl::wire::lwm2m::tlv {
namespace {

using Bytes8 = std::vector<uint8_t>;

// TS 1.1 7.4.3, "Single Object Instance Request Example": Read /3/0 of the Device object, 121
// bytes, resources at the top level (the instance is named by the request path).
const Bytes8 kDevice = {
    0xC8, 0x00, 0x14, 'O',  'p',  'e',  'n',  ' ',  'M',  'o',  'b',  'i',  'l',  'e',  ' ',
    'A',  'l',  'l',  'i',  'a',  'n',  'c',  'e',  0xC8, 0x01, 0x16, 'L',  'i',  'g',  'h',
    't',  'w',  'e',  'i',  'g',  'h',  't',  ' ',  'M',  '2',  'M',  ' ',  'C',  'l',  'i',
    'e',  'n',  't',  0xC8, 0x02, 0x09, '3',  '4',  '5',  '0',  '0',  '0',  '1',  '2',  '3',
    0xC3, 0x03, '1',  '.',  '0',  0x86, 0x06, 0x41, 0x00, 0x01, 0x41, 0x01, 0x05, 0x88, 0x07,
    0x08, 0x42, 0x00, 0x0E, 0xD8, 0x42, 0x01, 0x13, 0x88, 0x87, 0x08, 0x41, 0x00, 0x7D, 0x42,
    0x01, 0x03, 0x84, 0xC1, 0x09, 0x64, 0xC1, 0x0A, 0x0F, 0x83, 0x0B, 0x41, 0x00, 0x00, 0xC4,
    0x0D, 0x51, 0x82, 0x42, 0x8F, 0xC6, 0x0E, '+',  '0',  '2',  ':',  '0',  '0',  0xC1, 0x10,
    'U'};

// TS 1.1 7.4.3, "Multiple Object Instance Request Example": Read /2 of Access Control, 38 bytes.
const Bytes8 kAccessControl = {0x08, 0x00, 0x0E, 0xC1, 0x00, 0x01, 0xC1, 0x01, 0x00, 0x83,
                               0x02, 0x41, 0x7F, 0x07, 0xC1, 0x03, 0x7F, 0x08, 0x02, 0x12,
                               0xC1, 0x00, 0x03, 0xC1, 0x01, 0x00, 0x87, 0x02, 0x41, 0x7F,
                               0x07, 0x61, 0x01, 0x36, 0x01, 0xC1, 0x03, 0x7F};

struct Leaf {
  Path path;
  Value value;
};

// The Device example as the data model holds it, in payload order.
std::vector<Leaf> device_leaves() {
  auto r = [](uint16_t id) { return Path::resource(3, 0, id); };
  auto ri = [](uint16_t id, uint16_t i) { return Path::resource_instance(3, 0, id, i); };
  return {{r(0), Value::string("Open Mobile Alliance")},
          {r(1), Value::string("Lightweight M2M Client")},
          {r(2), Value::string("345000123")},
          {r(3), Value::string("1.0")},
          {ri(6, 0), Value::integer(1)},
          {ri(6, 1), Value::integer(5)},
          {ri(7, 0), Value::integer(3800)},
          {ri(7, 1), Value::integer(5000)},
          {ri(8, 0), Value::integer(125)},
          {ri(8, 1), Value::integer(900)},
          {r(9), Value::integer(100)},
          {r(10), Value::integer(15)},
          {ri(11, 0), Value::integer(0)},
          {r(13), Value::time(1367491215)},
          {r(14), Value::string("+02:00")},
          {r(16), Value::string("U")}};
}

// Writes the Device example's resources; multiple resources from consecutive leaves.
void write_device(Writer& w) {
  std::vector<Leaf> leaves = device_leaves();
  for (size_t k = 0; k < leaves.size();) {
    const Path& p = leaves[k].path;
    if (p.depth == 3) {
      w.resource(p.resource_id(), leaves[k++].value);
      continue;
    }
    w.begin_multiple_resource(p.resource_id());
    for (; k < leaves.size() && leaves[k].path.depth == 4 &&
           leaves[k].path.resource_id() == p.resource_id();
         ++k) {
      w.resource_instance(leaves[k].path.resource_instance_id(), leaves[k].value);
    }
    w.end();
  }
}

Bytes8 encode(void (*fill)(Writer&), size_t cap = 512) {
  Bytes8 buf(cap);
  ByteWriter out(buf);
  Writer w(out);
  fill(w);
  EXPECT_EQ(w.finish(), Error::ok);
  buf.resize(out.size());
  return buf;
}

// Every leaf of `payload` read at `base`, decoded with the type of the matching expected leaf.
void expect_leaves(const Bytes8& payload, const Path& base, const std::vector<Leaf>& expected) {
  Reader r(payload, base);
  for (const Leaf& want : expected) {
    Result<Record> rec = r.next();
    ASSERT_TRUE(rec.ok()) << error_name(rec.error());
    EXPECT_EQ(rec->path, want.path);
    Result<Value> v = decode(rec->value, want.value.type);
    ASSERT_TRUE(v.ok()) << error_name(v.error());
    EXPECT_EQ(*v, want.value);
  }
  EXPECT_EQ(r.next().error(), Error::end);
  EXPECT_EQ(r.next().error(), Error::end);
}

Error first_error(const Bytes8& payload, const Path& base) {
  Reader r(payload, base);
  while (true) {
    Result<Record> rec = r.next();
    if (!rec) return rec.error();
  }
}

TEST(Tlv, WritesDeviceExampleExactly) {
  Bytes8 out = encode(write_device);
  EXPECT_EQ(out.size(), 121u);
  EXPECT_EQ(out, kDevice);
}

TEST(Tlv, ReadsDeviceExample) { expect_leaves(kDevice, Path::instance(3, 0), device_leaves()); }

TEST(Tlv, ObjectInstanceWrapsTheSameResources) {
  // Read /3 answers with an object instance record around the same 121 bytes: "08 00 79".
  Bytes8 out = encode([](Writer& w) {
    w.begin_object_instance(0);
    write_device(w);
    w.end();
  });
  Bytes8 want = {0x08, 0x00, 0x79};
  want.insert(want.end(), kDevice.begin(), kDevice.end());
  EXPECT_EQ(out, want);
  expect_leaves(out, Path::object(3), device_leaves());
  // Some clients repeat the instance record even for a request on /3/0.
  expect_leaves(out, Path::instance(3, 0), device_leaves());
}

TEST(Tlv, AccessControlExampleBothWays) {
  Bytes8 out = encode([](Writer& w) {
    w.begin_object_instance(0);
    w.resource(0, Value::integer(1));
    w.resource(1, Value::integer(0));
    w.begin_multiple_resource(2);
    w.resource_instance(127, Value::integer(7));
    w.end();
    w.resource(3, Value::integer(127));
    w.end();
    w.begin_object_instance(2);
    w.resource(0, Value::integer(3));
    w.resource(1, Value::integer(0));
    w.begin_multiple_resource(2);
    w.resource_instance(127, Value::integer(7));
    w.resource_instance(310, Value::integer(1));
    w.end();
    w.resource(3, Value::integer(127));
    w.end();
  });
  EXPECT_EQ(out, kAccessControl);
  expect_leaves(kAccessControl, Path::object(2),
                {{Path::resource(2, 0, 0), Value::integer(1)},
                 {Path::resource(2, 0, 1), Value::integer(0)},
                 {Path::resource_instance(2, 0, 2, 127), Value::integer(7)},
                 {Path::resource(2, 0, 3), Value::integer(127)},
                 {Path::resource(2, 2, 0), Value::integer(3)},
                 {Path::resource(2, 2, 1), Value::integer(0)},
                 {Path::resource_instance(2, 2, 2, 127), Value::integer(7)},
                 {Path::resource_instance(2, 2, 2, 310), Value::integer(1)},
                 {Path::resource(2, 2, 3), Value::integer(127)}});
}

TEST(Tlv, MultipleResourceExample) {
  // Read /3/0/6 (Available Power Sources): the multiple resource record and its instances.
  const Bytes8 payload = {0x86, 0x06, 0x41, 0x00, 0x01, 0x41, 0x01, 0x05};
  Bytes8 out = encode([](Writer& w) {
    w.begin_multiple_resource(6);
    w.resource_instance(0, Value::integer(1));
    w.resource_instance(1, Value::integer(5));
    w.end();
  });
  EXPECT_EQ(out, payload);
  std::vector<Leaf> leaves = {{Path::resource_instance(3, 0, 6, 0), Value::integer(1)},
                              {Path::resource_instance(3, 0, 6, 1), Value::integer(5)}};
  expect_leaves(payload, Path::resource(3, 0, 6), leaves);
  expect_leaves(payload, Path::instance(3, 0), leaves);
}

TEST(Tlv, SingleResourceAndResourceInstanceAtTheirOwnPath) {
  const Bytes8 battery = {0xC1, 0x09, 0x64};
  expect_leaves(battery, Path::resource(3, 0, 9), {{Path::resource(3, 0, 9), Value::integer(100)}});
  const Bytes8 instance = {0x41, 0x01, 0x05};
  expect_leaves(instance, Path::resource_instance(3, 0, 6, 1),
                {{Path::resource_instance(3, 0, 6, 1), Value::integer(5)}});
  expect_leaves(instance, Path::resource(3, 0, 6),
                {{Path::resource_instance(3, 0, 6, 1), Value::integer(5)}});
}

TEST(Tlv, NextRecordYieldsContainersFirst) {
  Reader r(kAccessControl, Path::object(2));
  Result<Record> oi = r.next_record();
  ASSERT_TRUE(oi.ok());
  EXPECT_EQ(oi->kind, Kind::object_instance);
  EXPECT_EQ(oi->path, Path::instance(2, 0));
  EXPECT_EQ(oi->value.size(), 14u);
  EXPECT_EQ(r.next_record()->kind, Kind::resource);
  EXPECT_EQ(r.next_record()->kind, Kind::resource);
  Result<Record> mr = r.next_record();
  EXPECT_EQ(mr->kind, Kind::multiple_resource);
  EXPECT_EQ(mr->path, Path::resource(2, 0, 2));
  EXPECT_EQ(r.next_record()->kind, Kind::resource_instance);
}

TEST(Tlv, EmptyContainersAndPayload) {
  const Bytes8 empty_mr = {0xC3, 0x05, 'a', 'b', 'c', 0x80, 0x07};
  expect_leaves(empty_mr, Path::instance(3, 0), {{Path::resource(3, 0, 5), Value::string("abc")}});
  Reader r(empty_mr, Path::instance(3, 0));
  r.next_record();
  Result<Record> mr = r.next_record();
  EXPECT_EQ(mr->kind, Kind::multiple_resource);
  EXPECT_TRUE(mr->value.empty());
  expect_leaves({}, Path::object(3), {});
  Bytes8 out = encode([](Writer& w) {
    w.begin_multiple_resource(7);
    w.end();
  });
  EXPECT_EQ(out, (Bytes8{0x80, 0x07}));
}

// ---- value encodings ----

Bytes8 leaf_bytes(const Value& v, uint16_t id = 1) {
  Bytes8 buf(80000);
  ByteWriter out(buf);
  Writer w(out);
  w.resource(id, v);
  EXPECT_EQ(w.finish(), Error::ok);
  buf.resize(out.size());
  return buf;
}

TEST(Tlv, IntegersUseTheShortestWidth) {
  EXPECT_EQ(leaf_bytes(Value::integer(0)), (Bytes8{0xC1, 1, 0x00}));
  EXPECT_EQ(leaf_bytes(Value::integer(-128)), (Bytes8{0xC1, 1, 0x80}));
  EXPECT_EQ(leaf_bytes(Value::integer(127)), (Bytes8{0xC1, 1, 0x7F}));
  EXPECT_EQ(leaf_bytes(Value::integer(128)), (Bytes8{0xC2, 1, 0x00, 0x80}));
  EXPECT_EQ(leaf_bytes(Value::integer(-32769)), (Bytes8{0xC4, 1, 0xFF, 0xFF, 0x7F, 0xFF}));
  EXPECT_EQ(leaf_bytes(Value::integer(INT64_C(1) << 31)),
            (Bytes8{0xC8, 1, 8, 0, 0, 0, 0, 0x80, 0, 0, 0}));
  EXPECT_EQ(leaf_bytes(Value::unsigned_integer(255)), (Bytes8{0xC1, 1, 0xFF}));
  EXPECT_EQ(leaf_bytes(Value::unsigned_integer(256)), (Bytes8{0xC2, 1, 0x01, 0x00}));
  EXPECT_EQ(leaf_bytes(Value::unsigned_integer(UINT64_MAX)),
            (Bytes8{0xC8, 1, 8, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}));
  EXPECT_EQ(leaf_bytes(Value::time(1367491215)), (Bytes8{0xC4, 1, 0x51, 0x82, 0x42, 0x8F}));
}

TEST(Tlv, FloatsUseFourBytesWhenExact) {
  EXPECT_EQ(leaf_bytes(Value::floating(1.5f)), (Bytes8{0xC4, 1, 0x3F, 0xC0, 0x00, 0x00}));
  EXPECT_EQ(leaf_bytes(Value::floating_bits(std::bit_cast<uint64_t>(0.1))),
            (Bytes8{0xC8, 1, 8, 0x3F, 0xB9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9A}));
  Result<Value> f = decode(Bytes8{0x3F, 0xC0, 0x00, 0x00}, ValueType::floating);
  EXPECT_EQ(*f, Value::floating_bits(std::bit_cast<uint64_t>(1.5)));
}

TEST(Tlv, OtherValueEncodings) {
  EXPECT_EQ(leaf_bytes(Value::boolean(true)), (Bytes8{0xC1, 1, 1}));
  EXPECT_EQ(leaf_bytes(Value::objlnk(3, 0x0102)), (Bytes8{0xC4, 1, 0, 3, 1, 2}));
  EXPECT_EQ(leaf_bytes(Value{}), (Bytes8{0xC0, 1}));
  EXPECT_EQ(leaf_bytes(Value::opaque(Bytes8{0xFF})), (Bytes8{0xC1, 1, 0xFF}));
  EXPECT_EQ(leaf_bytes(Value::integer(1), 300), (Bytes8{0xE1, 0x01, 0x2C, 1}));
}

TEST(Tlv, LengthFieldGrowsWithTheValue) {
  Bytes8 data(70000, 0xAB);
  auto header_of = [&](size_t n) {
    Bytes8 b = leaf_bytes(Value::opaque(Bytes(data.data(), n)));
    EXPECT_EQ(b.size() >= n, true);
    return Bytes8(b.begin(), b.begin() + static_cast<long>(b.size() - n));
  };
  EXPECT_EQ(header_of(7), (Bytes8{0xC7, 1}));
  EXPECT_EQ(header_of(8), (Bytes8{0xC8, 1, 8}));
  EXPECT_EQ(header_of(255), (Bytes8{0xC8, 1, 0xFF}));
  EXPECT_EQ(header_of(256), (Bytes8{0xD0, 1, 0x01, 0x00}));
  EXPECT_EQ(header_of(65535), (Bytes8{0xD0, 1, 0xFF, 0xFF}));
  EXPECT_EQ(header_of(65536), (Bytes8{0xD8, 1, 0x01, 0x00, 0x00}));
}

TEST(Tlv, ContainerLengthsAreMinimal) {
  // Contents of 7, 8, 256 and 65536 bytes exercise every length field size of end().
  for (size_t n : {size_t{0}, size_t{5}, size_t{6}, size_t{254}, size_t{65533}}) {
    Bytes8 data(n, 0x11);
    Bytes8 buf(70000);
    ByteWriter out(buf);
    Writer w(out);
    w.begin_object_instance(1);
    w.resource(2, Value::opaque(Bytes(data.data(), n)));
    w.end();
    ASSERT_EQ(w.finish(), Error::ok);
    buf.resize(out.size());
    size_t inner = leaf_bytes(Value::opaque(Bytes(data.data(), n)), 2).size();
    size_t field = inner <= 7 ? 0 : inner <= 255 ? 1 : inner <= 65535 ? 2 : 3;
    EXPECT_EQ(buf.size(), 2 + field + inner) << n;
    expect_leaves(buf, Path::object(9),
                  {{Path::resource(9, 1, 2), Value::opaque(Bytes(data.data(), n))}});
  }
}

// ---- reader errors ----

TEST(Tlv, TruncatedInput) {
  for (size_t cut = 1; cut < kDevice.size(); ++cut) {
    Bytes8 part(kDevice.begin(), kDevice.begin() + static_cast<long>(cut));
    Error e = first_error(part, Path::instance(3, 0));
    // A cut at a record boundary leaves a shorter valid payload; any other cut is truncated.
    EXPECT_TRUE(e == Error::truncated || e == Error::end) << cut;
  }
  EXPECT_EQ(first_error({0xC8}, Path::instance(3, 0)), Error::truncated);
  EXPECT_EQ(first_error({0xE1, 0x01}, Path::instance(3, 0)), Error::truncated);
  EXPECT_EQ(first_error({0xD1, 0x01, 0x00}, Path::instance(3, 0)), Error::truncated);
  EXPECT_EQ(first_error({0xC8, 0x00, 0x14, 'O'}, Path::instance(3, 0)), Error::truncated);
  EXPECT_EQ(first_error({0x08, 0x00, 0x79}, Path::object(3)), Error::truncated);
}

TEST(Tlv, ChildOverflowingParent) {
  // Object instance of 3 bytes whose resource claims 2 value bytes after its 2-byte header.
  EXPECT_EQ(first_error({0x03, 0x00, 0xC2, 0x01, 0x05, 0x06}, Path::object(3)),
            Error::inconsistent_length);
  // Header cut by the parent's end.
  EXPECT_EQ(first_error({0x01, 0x00, 0xC1, 0x01, 0x05}, Path::object(3)),
            Error::inconsistent_length);
  EXPECT_EQ(first_error({0x82, 0x06, 0x41, 0x00, 0x01}, Path::instance(3, 0)),
            Error::inconsistent_length);
}

TEST(Tlv, NestingBeyondTheModel) {
  EXPECT_EQ(first_error({0x02, 0x00, 0x00, 0x01}, Path::object(3)), Error::nesting_too_deep);
  EXPECT_EQ(first_error({0x82, 0x06, 0x80, 0x07}, Path::instance(3, 0)), Error::nesting_too_deep);
  EXPECT_EQ(first_error({0x04, 0x00, 0x82, 0x06, 0x00, 0x01}, Path::object(3)),
            Error::nesting_too_deep);
}

TEST(Tlv, KindNotAllowedWhereItIs) {
  EXPECT_EQ(first_error({0x83, 0x06, 0xC1, 0x00, 0x01}, Path::instance(3, 0)), Error::malformed);
  EXPECT_EQ(first_error({0x03, 0x00, 0x41, 0x00, 0x01}, Path::object(3)), Error::malformed);
  EXPECT_EQ(first_error({0xC1, 0x09, 0x64}, Path::object(3)), Error::malformed);
  EXPECT_EQ(first_error({0xC1, 0x09, 0x64}, Path::resource(3, 0, 8)), Error::malformed);
  EXPECT_EQ(first_error({0x00, 0x00}, Path::resource(3, 0, 8)), Error::malformed);
  EXPECT_EQ(first_error({0x00, 0x01}, Path::instance(3, 0)), Error::malformed);
  EXPECT_EQ(first_error({0x41, 0x00, 0x01}, Path::instance(3, 0)), Error::malformed);
  EXPECT_EQ(first_error({0xC1, 0x09, 0x64}, Path::root()), Error::malformed);
}

TEST(Tlv, ReservedIdentifier) {
  EXPECT_EQ(first_error({0xE1, 0xFF, 0xFF, 0x00}, Path::instance(3, 0)), Error::bad_path);
}

TEST(Tlv, ErrorsAreSticky) {
  const Bytes8 input{0xC8};  // the reader keeps pointers into it
  Reader r(input, Path::instance(3, 0));
  EXPECT_EQ(r.next().error(), Error::truncated);
  EXPECT_EQ(r.next_record().error(), Error::truncated);
}

TEST(Tlv, DecodeRejectsSizesThatDoNotFitTheType) {
  Bytes8 three = {1, 2, 3};
  EXPECT_EQ(decode(three, ValueType::integer).error(), Error::malformed);
  EXPECT_EQ(decode(three, ValueType::unsigned_integer).error(), Error::malformed);
  EXPECT_EQ(decode(three, ValueType::time).error(), Error::malformed);
  EXPECT_EQ(decode(three, ValueType::floating).error(), Error::malformed);
  EXPECT_EQ(decode(three, ValueType::objlnk).error(), Error::malformed);
  EXPECT_EQ(decode(three, ValueType::boolean).error(), Error::malformed);
  EXPECT_EQ(decode(three, ValueType::none).error(), Error::malformed);
  EXPECT_EQ(decode({}, ValueType::integer).error(), Error::malformed);
  EXPECT_EQ(decode(Bytes8{2}, ValueType::boolean).error(), Error::malformed);
  EXPECT_EQ(decode(Bytes8{0xC0, 0x80}, ValueType::string).error(), Error::invalid_utf8);
  EXPECT_EQ(*decode(Bytes8{0xFF, 0xFE}, ValueType::integer), Value::integer(-2));
  EXPECT_EQ(*decode(Bytes8{0xFF, 0xFE}, ValueType::unsigned_integer), Value::unsigned_integer(65534));
  EXPECT_EQ(*decode(Bytes8{0xFF, 0xFF, 0xFF, 0xFF}, ValueType::objlnk), Value::objlnk(65535, 65535));
  EXPECT_EQ(*decode(three, ValueType::opaque), Value::opaque(three));
}

// ---- writer errors ----

Error write_error(void (*fill)(Writer&)) {
  std::array<uint8_t, 64> buf{};
  ByteWriter out(buf);
  Writer w(out);
  fill(w);
  return w.finish();
}

TEST(Tlv, WriterRejectsWrongContexts) {
  EXPECT_EQ(write_error([](Writer& w) {
              w.begin_multiple_resource(1);
              w.resource(2, Value::integer(1));
            }),
            Error::malformed);
  EXPECT_EQ(write_error([](Writer& w) {
              w.begin_object_instance(1);
              w.resource_instance(2, Value::integer(1));
            }),
            Error::malformed);
  EXPECT_EQ(write_error([](Writer& w) {
              w.begin_object_instance(1);
              w.begin_object_instance(2);
            }),
            Error::nesting_too_deep);
  EXPECT_EQ(write_error([](Writer& w) {
              w.begin_multiple_resource(1);
              w.begin_multiple_resource(2);
            }),
            Error::nesting_too_deep);
  EXPECT_EQ(write_error([](Writer& w) { w.end(); }), Error::malformed);
  EXPECT_EQ(write_error([](Writer& w) { w.begin_object_instance(1); }), Error::malformed);
  EXPECT_EQ(write_error([](Writer& w) { w.resource(65535, Value::integer(1)); }), Error::bad_path);
  EXPECT_EQ(write_error([](Writer& w) { w.resource(1, Value::string("\xFF")); }),
            Error::invalid_utf8);
}

TEST(Tlv, WriterReportsSmallBufferAtAnyCut) {
  Bytes8 full = encode([](Writer& w) {
    w.begin_object_instance(0);
    write_device(w);
    w.end();
  });
  for (size_t cap = 0; cap < full.size(); ++cap) {
    Bytes8 buf(cap);
    ByteWriter out(buf);
    Writer w(out);
    w.begin_object_instance(0);
    write_device(w);
    w.end();
    EXPECT_EQ(w.finish(), Error::buffer_too_small) << cap;
  }
}

}  // namespace
}  // namespace tl::wire::lwm2m::tlv
