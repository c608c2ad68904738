// SenML-JSON reader and writer: LwM2M 1.1 (TS Core 7.4.4) shapes, RFC 8428 base resolution,
// value conversions and every error.
#include <gtest/gtest.h>

#include <bit>
#include <string>

#include "test_support.hpp"

namespace tl::wire::senml {
namespace {

using lwm2m::Value;
using lwm2m::ValueType;
using test::path;
using test::read_json;
using test::text_of;

// The Device object instance /3/0 as a Read returns it (TS Core 7.4.4 example content).
constexpr std::string_view kDeviceJson =
    R"([{"bn":"/3/0/","n":"0","vs":"Open Mobile Alliance"},)"
    R"({"n":"1","vs":"Lightweight M2M Client"},)"
    R"({"n":"2","vs":"345000123"},)"
    R"({"n":"3","vs":"1.0"},)"
    R"({"n":"6/0","v":1},)"
    R"({"n":"6/1","v":5},)"
    R"({"n":"7/0","v":3800},)"
    R"({"n":"7/1","v":5000},)"
    R"({"n":"8/0","v":125},)"
    R"({"n":"8/1","v":900},)"
    R"({"n":"9","v":100},)"
    R"({"n":"10","v":15},)"
    R"({"n":"11/0","v":0},)"
    R"({"n":"13","v":1367491215},)"
    R"({"n":"14","vs":"+02:00"},)"
    R"({"n":"16","vs":"U"}])";

struct Entry {
  const char* path;
  Value value;
};

std::vector<Entry> device_entries() {
  return {
      {"/3/0/0", Value::string("Open Mobile Alliance")},
      {"/3/0/1", Value::string("Lightweight M2M Client")},
      {"/3/0/2", Value::string("345000123")},
      {"/3/0/3", Value::string("1.0")},
      {"/3/0/6/0", Value::integer(1)},
      {"/3/0/6/1", Value::integer(5)},
      {"/3/0/7/0", Value::integer(3800)},
      {"/3/0/7/1", Value::integer(5000)},
      {"/3/0/8/0", Value::integer(125)},
      {"/3/0/8/1", Value::integer(900)},
      {"/3/0/9", Value::integer(100)},
      {"/3/0/10", Value::integer(15)},
      {"/3/0/11/0", Value::integer(0)},
      {"/3/0/13", Value::time(1367491215)},
      {"/3/0/14", Value::string("+02:00")},
      {"/3/0/16", Value::string("U")},
  };
}

TEST(SenmlJsonReader, ReadsTheDeviceObjectExample) {
  test::Pack p = read_json(kDeviceJson);
  ASSERT_EQ(p.end, Error::end);
  const std::vector<Entry> expected = device_entries();
  ASSERT_EQ(p.records.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const Record& r = p.records[i];
    EXPECT_EQ(r.path, path(expected[i].path)) << i;
    EXPECT_FALSE(r.has_time);
    Result<Value> v = r.value_as(expected[i].value.type);
    ASSERT_TRUE(v) << i << " " << error_name(v.error());
    EXPECT_EQ(*v, expected[i].value) << i;
  }
  // Strings without escapes point into the input.
  EXPECT_EQ(as_text(p.records[0].bytes).data(), kDeviceJson.data() + kDeviceJson.find("Open"));
}

TEST(SenmlJsonWriter, WritesTheDeviceObjectExample) {
  uint8_t buf[1024];
  ByteWriter out(buf, sizeof buf);
  JsonWriter w(out);
  w.set_base_name(path("/3/0"));
  for (const Entry& e : device_entries()) ASSERT_EQ(w.add(path(e.path), e.value), Error::ok) << e.path;
  ASSERT_EQ(w.finish(), Error::ok);
  EXPECT_EQ(text_of(out.written()), kDeviceJson);
}

TEST(SenmlJsonWriter, NamesASingleResourceByItsBaseName) {
  uint8_t buf[128];
  ByteWriter out(buf, sizeof buf);
  JsonWriter w(out);
  w.set_base_name(path("/3/0/0"));
  ASSERT_EQ(w.add(path("/3/0/0"), Value::string("Open Mobile Alliance")), Error::ok);
  ASSERT_EQ(w.finish(), Error::ok);
  EXPECT_EQ(text_of(out.written()), R"([{"bn":"/3/0/0","vs":"Open Mobile Alliance"}])");
  test::Pack p = read_json(text_of(out.written()));
  ASSERT_EQ(p.records.size(), 1u);
  EXPECT_EQ(p.records[0].path, path("/3/0/0"));
}

TEST(SenmlJsonWriter, MultipleInstanceResourceAndRootBase) {
  uint8_t buf[256];
  ByteWriter out(buf, sizeof buf);
  JsonWriter w(out);
  w.set_base_name(path("/3/0/6"));
  ASSERT_EQ(w.add(path("/3/0/6/0"), Value::integer(1)), Error::ok);
  ASSERT_EQ(w.add(path("/3/0/6/1"), Value::integer(5)), Error::ok);
  w.set_base_name(lwm2m::Path::root());
  ASSERT_EQ(w.add(path("/4/0/0"), Value::integer(2)), Error::ok);
  EXPECT_EQ(w.add(path("/5"), Value::integer(2)), Error::ok);
  ASSERT_EQ(w.finish(), Error::ok);
  EXPECT_EQ(text_of(out.written()),
            R"([{"bn":"/3/0/6/","n":"0","v":1},{"n":"1","v":5},{"bn":"/","n":"4/0/0","v":2},)"
            R"({"n":"5","v":2}])");
}

TEST(SenmlJsonWriter, RejectsPathsOutsideTheBase) {
  uint8_t buf[64];
  ByteWriter out(buf, sizeof buf);
  JsonWriter w(out);
  w.set_base_name(path("/3/0"));
  EXPECT_EQ(w.add(path("/3/1/0"), Value::integer(1)), Error::bad_path);
  EXPECT_EQ(w.add(path("/3"), Value::integer(1)), Error::bad_path);
  ASSERT_EQ(w.finish(), Error::ok);
  EXPECT_EQ(text_of(out.written()), "[]");
}

// The shape of a Send (/dp) payload: full names, a base time and times relative to it.
TEST(SenmlJsonWriter, SendWithFullNamesAndBaseTime) {
  uint8_t buf[512];
  ByteWriter out(buf, sizeof buf);
  JsonWriter w(out);
  w.set_base_time(1700000000);
  ASSERT_EQ(w.add(path("/3303/0/5700"), Value::floating_bits(std::bit_cast<uint64_t>(22.5)), 1700000000),
            Error::ok);
  ASSERT_EQ(w.add(path("/3303/0/5700"), Value::floating_bits(std::bit_cast<uint64_t>(23.0)), 1700000060),
            Error::ok);
  ASSERT_EQ(w.add(path("/3/0/9"), Value::integer(88)), Error::ok);
  ASSERT_EQ(w.add(path("/5/0/3"), Value::integer(2)), Error::ok);
  ASSERT_EQ(w.add(path("/33650/0/1"), Value::objlnk(33651, 0)), Error::ok);
  ASSERT_EQ(w.finish(), Error::ok);
  const std::string text = text_of(out.written());
  EXPECT_EQ(text,
            R"([{"bt":1700000000,"n":"/3303/0/5700","v":22.5},{"n":"/3303/0/5700","t":60,"v":23},)"
            R"({"n":"/3/0/9","v":88},{"n":"/5/0/3","v":2},{"n":"/33650/0/1","vlo":"33651:0"}])");
  test::Pack p = read_json(text);
  ASSERT_EQ(p.end, Error::end);
  ASSERT_EQ(p.records.size(), 5u);
  EXPECT_EQ(p.records[1].time_seconds(), 1700000060);
  EXPECT_FALSE(p.records[1].time_relative);
  EXPECT_EQ(p.records[2].time_seconds(), 1700000000);  // the base time applies to every record
  EXPECT_EQ(*p.records[4].value(), Value::objlnk(33651, 0));
}

// Read-Composite request payload: names only (TS Core 6.3.8 / 7.4.4).
TEST(SenmlJson, ReadCompositeRequestNamesOnly) {
  test::Pack p = read_json(R"([{"bn":"/4/0/","n":"0"},{"n":"1"},{"n":"2"},{"bn":"/6/","n":"0"}])");
  ASSERT_EQ(p.end, Error::end);
  const char* expected[] = {"/4/0/0", "/4/0/1", "/4/0/2", "/6/0"};
  ASSERT_EQ(p.records.size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(p.records[i].path, path(expected[i]));
    EXPECT_EQ(p.records[i].kind, Kind::none);
    EXPECT_EQ(p.records[i].value()->type, ValueType::none);
  }
  // A full name under a base name that is still in force is no path ("/6//3").
  EXPECT_EQ(read_json(R"([{"bn":"/6/","n":"0"},{"n":"/3"}])").end, Error::bad_path);
  p = read_json(R"([{"n":"/"},{"n":"/5"},{"n":"/3/0"}])");
  ASSERT_EQ(p.end, Error::end);
  ASSERT_EQ(p.records.size(), 3u);
  EXPECT_TRUE(p.records[0].path.is_root());
  EXPECT_EQ(p.records[1].path, path("/5"));

  uint8_t buf[128];
  ByteWriter out(buf, sizeof buf);
  JsonWriter w(out);
  ASSERT_EQ(w.add(path("/3/0/1"), Value{}), Error::ok);
  ASSERT_EQ(w.add(path("/1/0"), Value{}), Error::ok);
  ASSERT_EQ(w.finish(), Error::ok);
  EXPECT_EQ(text_of(out.written()), R"([{"n":"/3/0/1"},{"n":"/1/0"}])");
}

// RFC 8428 4.5: base name and base time apply until replaced; t is added to bt; times below
// 2^28 are relative to now (the RFC 5.1.2 example with LwM2M names).
TEST(SenmlJsonReader, ResolvesBaseNameAndBaseTime) {
  test::Pack p = read_json(R"([
    {"bn":"/3303/0/","bt":1.276020076001e+09,"bu":"A","bver":10,"n":"5700","u":"V","v":120.1},
    {"n":"5601","t":-5,"v":1.2},
    {"n":"5602","t":-4,"v":1.3},
    {"bn":"/3304/","n":"1/5700","t":0.5,"v":1.7},
    {"bt":-10,"n":"1/5701","vs":"%RH"},
    {"n":"1/5702","t":3}
  ])");
  ASSERT_EQ(p.end, Error::end);
  ASSERT_EQ(p.records.size(), 6u);
  EXPECT_EQ(p.records[0].path, path("/3303/0/5700"));
  EXPECT_EQ(p.records[0].time_ms, 1276020076001);
  EXPECT_FALSE(p.records[0].time_relative);
  EXPECT_EQ(p.records[1].path, path("/3303/0/5601"));
  EXPECT_EQ(p.records[1].time_ms, 1276020071001);
  EXPECT_EQ(p.records[2].time_ms, 1276020072001);
  EXPECT_EQ(p.records[3].path, path("/3304/1/5700"));
  EXPECT_EQ(p.records[3].time_ms, 1276020076501);
  EXPECT_EQ(p.records[3].time_seconds(), 1276020076);
  EXPECT_EQ(p.records[4].path, path("/3304/1/5701"));
  EXPECT_EQ(p.records[4].time_ms, -10000);
  EXPECT_TRUE(p.records[4].time_relative);
  EXPECT_EQ(p.records[5].time_ms, -7000);
  EXPECT_EQ(p.records[5].time_seconds(), -7);
  EXPECT_EQ(*p.records[0].value(), Value::floating_bits(std::bit_cast<uint64_t>(120.1)));
}

TEST(SenmlJsonReader, NoTimeAtAll) {
  test::Pack p = read_json(R"([{"n":"/1/0/1","v":60},{"n":"/1/0/1","t":0,"v":60}])");
  ASSERT_EQ(p.records.size(), 2u);
  EXPECT_FALSE(p.records[0].has_time);
  EXPECT_TRUE(p.records[1].has_time);
  EXPECT_TRUE(p.records[1].time_relative);
  EXPECT_EQ(p.records[1].time_ms, 0);
}

TEST(SenmlJsonReader, ConvertsNumbersToTheTypeAsked) {
  test::Pack p = read_json(R"([{"bn":"/1/0/","n":"0","v":5.0},{"n":"1","v":5.5},{"n":"2","v":1e30},)"
                           R"({"n":"3","v":-1},{"n":"4","v":18446744073709551615},{"n":"5","v":1e3},)"
                           R"({"n":"6","v":-9223372036854775808},{"n":"7","v":9223372036854775808}])");
  ASSERT_EQ(p.end, Error::end);
  ASSERT_EQ(p.records.size(), 8u);
  EXPECT_EQ(*p.records[0].value_as(ValueType::integer), Value::integer(5));
  EXPECT_EQ(p.records[1].value_as(ValueType::integer).error(), Error::wrong_type);
  EXPECT_EQ(*p.records[1].value_as(ValueType::floating), Value::floating_bits(std::bit_cast<uint64_t>(5.5)));
  EXPECT_EQ(p.records[2].value_as(ValueType::integer).error(), Error::out_of_range);
  EXPECT_EQ(p.records[3].value_as(ValueType::unsigned_integer).error(), Error::out_of_range);
  EXPECT_EQ(*p.records[3].value_as(ValueType::time), Value::time(-1));
  EXPECT_EQ(*p.records[4].value_as(ValueType::unsigned_integer),
            Value::unsigned_integer(18446744073709551615u));
  EXPECT_EQ(p.records[4].value_as(ValueType::integer).error(), Error::out_of_range);
  EXPECT_EQ(*p.records[5].value_as(ValueType::unsigned_integer), Value::unsigned_integer(1000));
  EXPECT_EQ(*p.records[6].value_as(ValueType::integer), Value::integer(INT64_MIN));
  EXPECT_EQ(p.records[7].value_as(ValueType::integer).error(), Error::out_of_range);
  EXPECT_EQ(p.records[0].value_as(ValueType::string).error(), Error::wrong_type);
  EXPECT_EQ(p.records[0].value_as(ValueType::boolean).error(), Error::wrong_type);
}

TEST(SenmlJsonReader, OtherValueFields) {
  uint8_t scratch[16];
  test::Pack p = read_json(R"([{"bn":"/9/0/","n":"1","vb":true},{"n":"2","vb":false},)"
                           R"({"n":"3","vd":"AQID"},{"n":"4","vd":"AQI="},{"n":"5","vd":""},)"
                           R"({"n":"6","vlo":"65535:65535"},{"n":"7","vs":"</3/0>;ct=110"}])",
                           scratch);
  ASSERT_EQ(p.end, Error::end);
  ASSERT_EQ(p.records.size(), 7u);
  EXPECT_EQ(*p.records[0].value(), Value::boolean(true));
  EXPECT_EQ(*p.records[1].value_as(ValueType::boolean), Value::boolean(false));
  const uint8_t d3[] = {1, 2, 3};
  EXPECT_EQ(p.records[2].value_as(ValueType::integer).error(), Error::wrong_type);
  EXPECT_EQ(p.records[3].bytes.size(), 2u);
  EXPECT_EQ(*p.records[5].value_as(ValueType::objlnk), Value::objlnk(65535, 65535));
  EXPECT_EQ(*p.records[6].value_as(ValueType::corelnk), Value::corelnk("</3/0>;ct=110"));
  // Decoded data lives in the scratch buffer until the next record is read.
  JsonReader one(as_bytes(R"([{"n":"/1/0/0","vd":"AQID"}])"), scratch);
  Result<Record> r = one.next();
  ASSERT_TRUE(r);
  EXPECT_EQ(*r->value(), Value::opaque(d3));
  EXPECT_EQ(r->bytes.data(), scratch);
}

TEST(SenmlJsonReader, DecodesEscapesIntoScratch) {
  constexpr std::string_view kText =
      R"([{"b\u006E":"\/1\/0\/","n":"1","vs":"a\"b\\c\/\b\f\n\r\t\u00e9\ud83d\ude00"}])";
  uint8_t scratch[32];
  test::Pack p = read_json(kText, scratch);
  ASSERT_EQ(p.end, Error::end);
  ASSERT_EQ(p.records.size(), 1u);
  EXPECT_EQ(p.records[0].path, path("/1/0/1"));
  EXPECT_EQ(text_of(p.records[0].bytes), "a\"b\\c/\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80");
  EXPECT_EQ(p.records[0].bytes.data(), scratch);

  uint8_t small[4];
  EXPECT_EQ(read_json(kText, small).end, Error::buffer_too_small);
  EXPECT_EQ(read_json(kText).end, Error::buffer_too_small);
  // Escaped base64 data is unescaped, then decoded in place.
  p = read_json(R"([{"n":"/1/0/1","vd":"\u0041QID"}])", scratch);
  ASSERT_EQ(p.records.size(), 1u);
  EXPECT_EQ(p.records[0].bytes.size(), 3u);
}

TEST(SenmlJsonReader, IgnoresUnknownFieldsAndWhitespace) {
  test::Pack p = read_json(" \n[ { \"n\" : \"/1/0/1\" , \"x\" : null , \"y\" : [1] } ] \n");
  EXPECT_EQ(p.end, Error::nesting_too_deep);
  p = read_json(" \n[ { \"n\" : \"/1/0/1\" , \"x\" : null , \"ut\" : 5, \"zz\" : \"q\" , \"v\" : 2 } ]\t");
  ASSERT_EQ(p.end, Error::end);
  ASSERT_EQ(p.records.size(), 1u);
  EXPECT_EQ(*p.records[0].value_as(ValueType::integer), Value::integer(2));
  EXPECT_EQ(read_json("[]").end, Error::end);
  EXPECT_EQ(read_json("[{}]").end, Error::missing_name);
}

TEST(SenmlJsonReader, ReportsEachError) {
  const std::pair<std::string_view, Error> cases[] = {
      {R"([{"v":1}])", Error::missing_name},
      {R"([{"n":"","v":1}])", Error::missing_name},
      {R"([{"n":"/3/a","v":1}])", Error::bad_path},
      {R"([{"n":"/65536","v":1}])", Error::bad_path},
      {R"([{"bn":"/3/0/","n":"/1","v":1}])", Error::bad_path},
      {R"([{"n":"urn:dev:ow:10e2073a01080063","v":1}])", Error::bad_path},
      {R"([{"n":"/1","v":1,"v":2}])", Error::malformed},          // duplicate key
      {R"([{"n":"/1","n":"/2"}])", Error::malformed},
      {R"([{"n":"/1","v":1,"vs":"a"}])", Error::malformed},       // two values
      {R"([{"n":"/1","vb":true,"vd":""}])", Error::malformed},
      {R"([{"n":"/1","v":"1"}])", Error::malformed},              // wrong JSON type
      {R"([{"n":1}])", Error::malformed},
      {R"([{"n":"/1","vb":1}])", Error::malformed},
      {R"([{"n":"/1","v":null}])", Error::malformed},
      {R"([{"n":"/1","vd":"A"}])", Error::malformed},             // bad base64url
      {R"([{"n":"/1","vd":"AR"}])", Error::malformed},
      {R"([{"n":"/1","vd":"A+=="}])", Error::malformed},
      {R"([{"n":"/1","vlo":"3"}])", Error::malformed},
      {R"([{"n":"/1","vlo":"65536:0"}])", Error::malformed},
      {R"([{"n":"/1","bv":1}])", Error::unsupported},
      {R"([{"n":"/1","s":1}])", Error::unsupported},
      {R"([{"n":"/1","bs":1}])", Error::unsupported},
      {R"([{"n":"/1","v_":1}])", Error::unsupported},             // must-understand
      {R"([{"bver":5,"n":"/1"}])", Error::unsupported},
      {R"([{"n":"/1","v":01.}])", Error::bad_number},
      {R"([{"n":"/1","v":-}])", Error::bad_number},
      {R"([{"n":"/1","t":1e999}])", Error::out_of_range},
      {R"([{"n":"/1","t":1e17}])", Error::out_of_range},
      {"[{\"n\":\"/1\",\"vs\":\"\xc3\x28\"}]", Error::invalid_utf8},
      {R"([{"n":"/1","vs":"\udc00"}])", Error::invalid_utf8},     // lone surrogates
      {R"([{"n":"/1","vs":"\ud800x"}])", Error::invalid_utf8},
      {"[{\"n\":\"/1\",\"vs\":\"a\nb\"}]", Error::malformed},     // raw control character
      {R"([{"n":"/1","vs":"\x"}])", Error::malformed},
      {R"([{"n":"/1","vs":"\u12"}])", Error::malformed},
      {R"([{"n":"/1","vs":"abc)", Error::malformed},
      {R"({"n":"/1"})", Error::malformed},                        // top level not an array
      {"", Error::malformed},
      {"[", Error::malformed},
      {R"([{"n":"/1"})", Error::malformed},
      {R"([{"n":"/1"},])", Error::malformed},
      {R"([{"n":"/1",}])", Error::malformed},
      {R"([{"n" "/1"}])", Error::malformed},
      {R"([{"n":"/1"}] x)", Error::malformed},
      {R"([1])", Error::malformed},
      {R"([{"n":"/1","vb":tru}])", Error::malformed},
      {R"([[]])", Error::nesting_too_deep},
      {R"([{"n":{"a":1}}])", Error::nesting_too_deep},
  };
  uint8_t scratch[64];
  for (const auto& [text, e] : cases) EXPECT_EQ(read_json(text, scratch).end, e) << text;
}

TEST(SenmlJsonReader, ErrorsAreFinal) {
  JsonReader r(as_bytes(R"([{"n":"/1"},{"v":1},{"n":"/2"}])"));
  EXPECT_TRUE(r.next());
  EXPECT_EQ(r.next().error(), Error::missing_name);
  EXPECT_EQ(r.next().error(), Error::missing_name);
}

TEST(SenmlJsonWriter, EscapesStringsAndEncodesEveryType) {
  uint8_t buf[512];
  ByteWriter out(buf, sizeof buf);
  JsonWriter w(out);
  w.set_base_name(path("/1/0"));
  const uint8_t data[] = {0xfb, 0xff, 0x01};
  ASSERT_EQ(w.add(path("/1/0/0"), Value::string("q\"\\\n\x01/\xc3\xa9")), Error::ok);
  ASSERT_EQ(w.add(path("/1/0/1"), Value::unsigned_integer(18446744073709551615u)), Error::ok);
  ASSERT_EQ(w.add(path("/1/0/2"), Value::boolean(true)), Error::ok);
  ASSERT_EQ(w.add(path("/1/0/3"), Value::opaque(data)), Error::ok);
  ASSERT_EQ(w.add(path("/1/0/4"), Value::corelnk("</1>")), Error::ok);
  ASSERT_EQ(w.add(path("/1/0/5"), Value::time(-5)), Error::ok);
  ASSERT_EQ(w.add(path("/1/0/6"), Value::floating_bits(std::bit_cast<uint64_t>(-0.0))), Error::ok);
  ASSERT_EQ(w.finish(), Error::ok);
  EXPECT_EQ(text_of(out.written()),
            R"([{"bn":"/1/0/","n":"0","vs":"q\"\\\n\u0001/)" "\xc3\xa9" R"("},)"
            R"({"n":"1","v":18446744073709551615},{"n":"2","vb":true},{"n":"3","vd":"-_8B"},)"
            R"({"n":"4","vs":"</1>"},{"n":"5","v":-5},{"n":"6","v":-0}])");
}

TEST(SenmlJsonWriter, RollsBackARecordThatFails) {
  uint8_t buf[256];
  ByteWriter out(buf, sizeof buf);
  JsonWriter w(out);
  ASSERT_EQ(w.add(path("/1/0/0"), Value::integer(1)), Error::ok);
  EXPECT_EQ(w.add(path("/1/0/1"), Value::string("\xff")), Error::invalid_utf8);
  EXPECT_EQ(w.add(path("/1/0/2"), Value::floating_bits(0x7FF8000000000000)), Error::out_of_range);
  EXPECT_EQ(w.add(path("/1/0/3"), Value::floating_bits(0x7FF0000000000000)), Error::out_of_range);
  ASSERT_EQ(w.add(path("/1/0/4"), Value::integer(4)), Error::ok);
  ASSERT_EQ(w.finish(), Error::ok);
  EXPECT_EQ(text_of(out.written()), R"([{"n":"/1/0/0","v":1},{"n":"/1/0/4","v":4}])");
}

TEST(SenmlJsonWriter, BaseTimeOverflowAndFullBuffer) {
  uint8_t buf[16];
  ByteWriter out(buf, sizeof buf);
  JsonWriter w(out);
  w.set_base_time(INT64_MIN);
  EXPECT_EQ(w.add(path("/1/0/0"), Value::integer(1), INT64_MAX), Error::out_of_range);
  w.set_base_time(0);
  EXPECT_EQ(w.add(path("/1/0/0"), Value::integer(1), 0), Error::buffer_too_small);
  EXPECT_EQ(w.finish(), Error::buffer_too_small);
}

}  // namespace
}  // namespace tl::wire::senml
