// SenML-CBOR reader and writer: LwM2M 1.1 (TS Core 7.4.5) content, equivalence with JSON, errors.
#include <gtest/gtest.h>

#include <bit>

#include "test_support.hpp"

namespace tl::wire::senml {
namespace {

using lwm2m::Value;
using lwm2m::ValueType;
using test::hex;
using test::path;
using test::read_cbor;
using test::read_json;
using test::to_hex;

// The Device object instance /3/0 Read (TS Core 7.4.5), RFC 8949 preferred serialization:
// [{-2: "/3/0/", 0: "0", 3: "Open Mobile Alliance"}, {0: "1", 3: "Lightweight M2M Client"}, ...]
constexpr std::string_view kDeviceCbor =
    "90a321652f332f302f00613003744f70656e204d6f62696c6520416c6c69616e6365a200613103764c696768747765"
    "69676874204d324d20436c69656e74a20061320369333435303030313233a20061330363312e30a20063362f300201"
    "a20063362f310205a20063372f3002190ed8a20063372f3102191388a20063382f3002187da20063382f3102190384"
    "a2006139021864a200623130020fa2006431312f300200a200623133021a5182428fa20062313403662b30323a3030"
    "a200623136036155";

constexpr std::string_view kDeviceJson =
    R"([{"bn":"/3/0/","n":"0","vs":"Open Mobile Alliance"},{"n":"1","vs":"Lightweight M2M Client"},)"
    R"({"n":"2","vs":"345000123"},{"n":"3","vs":"1.0"},{"n":"6/0","v":1},{"n":"6/1","v":5},)"
    R"({"n":"7/0","v":3800},{"n":"7/1","v":5000},{"n":"8/0","v":125},{"n":"8/1","v":900},)"
    R"({"n":"9","v":100},{"n":"10","v":15},{"n":"11/0","v":0},{"n":"13","v":1367491215},)"
    R"({"n":"14","vs":"+02:00"},{"n":"16","vs":"U"}])";

// Same records, same order, same values as each type.
void expect_same(const test::Pack& a, const test::Pack& b) {
  ASSERT_EQ(a.end, b.end);
  ASSERT_EQ(a.records.size(), b.records.size());
  for (size_t i = 0; i < a.records.size(); ++i) {
    const Record& x = a.records[i];
    const Record& y = b.records[i];
    EXPECT_EQ(x.path, y.path) << i;
    EXPECT_EQ(x.has_time, y.has_time) << i;
    EXPECT_EQ(x.time_ms, y.time_ms) << i;
    EXPECT_EQ(x.kind, y.kind) << i;
    for (auto t : {ValueType::none, ValueType::string, ValueType::integer, ValueType::unsigned_integer,
                   ValueType::floating, ValueType::boolean, ValueType::opaque, ValueType::time,
                   ValueType::objlnk, ValueType::corelnk}) {
      Result<Value> vx = x.value_as(t);
      Result<Value> vy = y.value_as(t);
      EXPECT_EQ(vx.error(), vy.error()) << i << " " << lwm2m::value_type_name(t);
      if (vx && vy) {
        EXPECT_EQ(*vx, *vy) << i << " " << lwm2m::value_type_name(t);
      }
    }
  }
}

TEST(SenmlCbor, DeviceObjectReadsLikeItsJson) {
  const std::vector<uint8_t> data = hex(kDeviceCbor);
  test::Pack c = read_cbor(data);
  ASSERT_EQ(c.end, Error::end);
  ASSERT_EQ(c.records.size(), 16u);
  EXPECT_EQ(c.records[13].path, path("/3/0/13"));
  EXPECT_EQ(*c.records[13].value_as(ValueType::time), Value::time(1367491215));
  expect_same(c, read_json(kDeviceJson));
}

TEST(SenmlCbor, WriterMatchesTheDeviceExample) {
  test::Pack json = read_json(kDeviceJson);
  const ValueType types[] = {ValueType::string, ValueType::string, ValueType::string, ValueType::string,
                             ValueType::integer, ValueType::integer, ValueType::integer, ValueType::integer,
                             ValueType::integer, ValueType::integer, ValueType::integer, ValueType::integer,
                             ValueType::integer, ValueType::time, ValueType::string, ValueType::string};
  uint8_t buf[512];
  ByteWriter out(buf, sizeof buf);
  CborWriter w(out, json.records.size());
  w.set_base_name(path("/3/0"));
  for (size_t i = 0; i < json.records.size(); ++i) {
    ASSERT_EQ(w.add(json.records[i].path, *json.records[i].value_as(types[i])), Error::ok);
  }
  ASSERT_EQ(w.finish(), Error::ok);
  EXPECT_EQ(to_hex(out.written()), kDeviceCbor);
}

// The shape of a Send (/dp): full names, base time, objlnk under the text key "vlo".
TEST(SenmlCbor, SendWithBaseTimeAndObjectLink) {
  uint8_t buf[256];
  ByteWriter out(buf, sizeof buf);
  CborWriter w(out, 5);
  w.set_base_time(1700000000);
  ASSERT_EQ(w.add(path("/3303/0/5700"), Value::floating_bits(std::bit_cast<uint64_t>(22.5)), 1700000000),
            Error::ok);
  ASSERT_EQ(w.add(path("/3303/0/5700"), Value::floating_bits(std::bit_cast<uint64_t>(23.0)), 1700000060),
            Error::ok);
  ASSERT_EQ(w.add(path("/3/0/9"), Value::integer(88)), Error::ok);
  ASSERT_EQ(w.add(path("/5/0/3"), Value::integer(2)), Error::ok);
  ASSERT_EQ(w.add(path("/33650/0/1"), Value::objlnk(33651, 0)), Error::ok);
  ASSERT_EQ(w.finish(), Error::ok);
  EXPECT_EQ(to_hex(out.written()),
            "85a3221a6553f100006c2f333330332f302f3537303002f94da0a3006c2f333330332f302f3537303006183c02"
            "f94dc0a200662f332f302f39021858a200662f352f302f330202a2006a2f33333635302f302f3163766c6f6733"
            "333635313a30");
  test::Pack p = read_cbor(out.written());
  ASSERT_EQ(p.end, Error::end);
  ASSERT_EQ(p.records.size(), 5u);
  EXPECT_EQ(p.records[1].time_seconds(), 1700000060);
  EXPECT_EQ(*p.records[4].value(), Value::objlnk(33651, 0));
  EXPECT_EQ(*p.records[0].value(), Value::floating_bits(std::bit_cast<uint64_t>(22.5)));
}

TEST(SenmlCbor, IndefiniteArraysAndMapsTextKeysAndUnknownKeys) {
  // [_ {_ "bn": "/1/0/", 0: "1", 99: [1, {2: 3}], "x": h'00', 2: 1.5 (half)},
  //    {0: "2", -1: 10, 4: true, 1: "s", 7: 60}, {0: "3", 8: h'0102', 6: -5}]
  const std::vector<uint8_t> data = hex(
      "9f bf 62626e 652f312f302f 00 6131 1863 8201a10203 6178 4100 02 f93e00 ff"
      "a5 00 6132 20 0a 04 f5 01 6173 07 183c"
      "a3 00 6133 08 420102 06 24 ff");
  test::Pack p = read_cbor(data);
  ASSERT_EQ(p.end, Error::end);
  ASSERT_EQ(p.records.size(), 3u);
  EXPECT_EQ(p.records[0].path, path("/1/0/1"));
  EXPECT_EQ(*p.records[0].value(), Value::floating_bits(std::bit_cast<uint64_t>(1.5)));
  EXPECT_EQ(p.records[1].path, path("/1/0/2"));
  EXPECT_EQ(*p.records[1].value(), Value::boolean(true));
  EXPECT_EQ(p.records[2].bytes.size(), 2u);
  EXPECT_EQ(p.records[2].time_ms, -5000);
  EXPECT_EQ(p.records[2].value_as(ValueType::opaque)->bytes.data(), data.data() + data.size() - 5);
}

TEST(SenmlCbor, NumbersConvertToTheTypeAsked) {
  // v as double 5.5, single 5.5, -100, -2^63, 2^64-1, -2^64 and half 5.0.
  const std::vector<uint8_t> data = hex(
      "87 a200622f3002fb4016000000000000 a200622f3102fa40b00000 a200622f32023863"
      "a200622f33023b7fffffffffffffff a200622f34021bffffffffffffffff a200622f35023bffffffffffffffff"
      "a200622f3602f94500");
  test::Pack p = read_cbor(data);
  ASSERT_EQ(p.end, Error::end);
  ASSERT_EQ(p.records.size(), 7u);
  const auto f = [](double d) { return Value::floating_bits(std::bit_cast<uint64_t>(d)); };
  EXPECT_EQ(p.records[0].value_as(ValueType::integer).error(), Error::wrong_type);
  EXPECT_EQ(*p.records[0].value(), f(5.5));
  EXPECT_EQ(*p.records[1].value(), f(5.5));
  EXPECT_EQ(*p.records[2].value_as(ValueType::integer), Value::integer(-100));
  EXPECT_EQ(p.records[2].value_as(ValueType::unsigned_integer).error(), Error::out_of_range);
  EXPECT_EQ(*p.records[2].value(), f(-100.0));
  EXPECT_EQ(*p.records[3].value_as(ValueType::integer), Value::integer(INT64_MIN));
  EXPECT_EQ(*p.records[4].value_as(ValueType::unsigned_integer), Value::unsigned_integer(UINT64_MAX));
  EXPECT_EQ(p.records[4].value_as(ValueType::integer).error(), Error::out_of_range);
  EXPECT_EQ(*p.records[4].value(), f(18446744073709551616.0));
  EXPECT_EQ(*p.records[5].value(), f(-18446744073709551616.0));
  EXPECT_EQ(p.records[5].value_as(ValueType::time).error(), Error::out_of_range);
  EXPECT_EQ(*p.records[6].value_as(ValueType::time), Value::time(5));
}

TEST(SenmlCbor, ReportsEachError) {
  const std::pair<const char*, Error> cases[] = {
      {"", Error::malformed},                                 // no pack
      {"a0", Error::malformed},                               // not an array
      {"8101", Error::malformed},                             // item not a map
      {"81a1 40 00", Error::malformed},                       // byte-string key
      {"81a2 00622f31 02 6131", Error::malformed},            // v as text
      {"81a2 00622f31 08 6131", Error::malformed},            // vd as text
      {"81a2 00622f31 03 4131", Error::malformed},            // vs as bytes
      {"81a2 00622f31 04 01", Error::malformed},              // vb as integer
      {"81a2 00622f31 02 80", Error::malformed},              // v as array
      {"81a2 00622f31 02 f6", Error::malformed},              // v as null
      {"81a2 00622f31 616e 622f32", Error::malformed},        // n twice (0 and "n")
      {"81a3 00622f31 0201 0302", Error::malformed},          // two values
      {"81a1 00622f31 00", Error::malformed},                 // data after the pack
      {"81a2 00622f31 24 00", Error::unsupported},            // bv
      {"81a2 00622f31 05 00", Error::unsupported},            // s
      {"81a2 00622f31 25 00", Error::unsupported},            // bs
      {"81a2 00622f31 627a5f 00", Error::unsupported},        // must-understand "z_"
      {"81a2 00622f31 20 05", Error::unsupported},            // bver 5
      {"81a1 0201", Error::missing_name},
      {"81a2 00622f61 0201", Error::bad_path},
      {"81a2 00622f31 02", Error::truncated},
      {"82a1 00622f31", Error::truncated},
      {"81a2 00622f31 7f ff", Error::unsupported},            // chunked text
      {"81a2 00622f31 0362c328", Error::invalid_utf8},
      {"81a2 00622f31 1863 818181818181818100", Error::nesting_too_deep},
      {"81a2 00622f31 06 fb7ff0000000000000", Error::out_of_range},  // t infinite
      {"81a2 00622f31 06 1bffffffffffffffff", Error::out_of_range},
      {"81a2 00622f31 a0", Error::malformed},                 // map as key
  };
  for (const auto& [h, e] : cases) {
    const std::vector<uint8_t> data = hex(h);
    EXPECT_EQ(read_cbor(data).end, e) << h;
  }
}

TEST(SenmlCbor, ErrorsAreFinal) {
  const std::vector<uint8_t> data = hex("83 a100622f31 a10201 a100622f32");
  CborReader r(data);
  EXPECT_TRUE(r.next());
  EXPECT_EQ(r.next().error(), Error::missing_name);
  EXPECT_EQ(r.next().error(), Error::missing_name);
}

TEST(SenmlCborWriter, CountsAndStreaming) {
  uint8_t buf[64];
  {
    ByteWriter out(buf, sizeof buf);
    CborWriter w(out, 1);
    ASSERT_EQ(w.add(path("/1/0/1"), Value{}), Error::ok);
    EXPECT_EQ(w.add(path("/1/0/2"), Value{}), Error::too_many_items);
    ASSERT_EQ(w.finish(), Error::ok);
    EXPECT_EQ(to_hex(out.written()), "81a100662f312f302f31");
  }
  {
    ByteWriter out(buf, sizeof buf);
    CborWriter w(out, 2);
    ASSERT_EQ(w.add(path("/1/0/1"), Value{}), Error::ok);
    EXPECT_EQ(w.finish(), Error::inconsistent_length);
  }
  {
    ByteWriter out(buf, sizeof buf);
    CborWriter w(out);
    ASSERT_EQ(w.add(path("/1/0/1"), Value::integer(-1)), Error::ok);
    EXPECT_EQ(w.add(path("/1/0/2"), Value::string("\xc0\x80")), Error::invalid_utf8);
    ASSERT_EQ(w.add(path("/1/0/3"), Value::floating_bits(0x7FF8000000000000)), Error::ok);
    ASSERT_EQ(w.finish(), Error::ok);
    EXPECT_EQ(to_hex(out.written()), "9fa200662f312f302f310220a200662f312f302f3302f97e00ff");
  }
  {
    ByteWriter out(buf, 8);
    CborWriter w(out);
    EXPECT_EQ(w.add(path("/1/0/1"), Value::integer(1)), Error::buffer_too_small);
    EXPECT_EQ(w.finish(), Error::buffer_too_small);
  }
}

}  // namespace
}  // namespace tl::wire::senml
