// encode() then decode() gives back the same samples, for every format and every value type.
#include <cmath>
#include <limits>

#include "support.hpp"

namespace tl::server::codec::test {
namespace {

// One resource of each LwM2M type (from the DDF), with values at the edges of the type.
struct Case {
  const char* path;
  store::Value value;
};
const std::vector<Case>& cases() {
  static const std::vector<Case> all = {
      {"/3/0/9", std::int64_t{0}},
      {"/3/0/9", std::int64_t{100}},
      {"/3/0/9", std::numeric_limits<std::int64_t>::min()},
      {"/3/0/9", std::numeric_limits<std::int64_t>::max()},
      {"/1/0/11", std::uint64_t{0}},
      {"/1/0/11", std::numeric_limits<std::uint64_t>::max()},
      {"/3303/0/5700", 23.5},
      {"/3303/0/5700", -0.1},
      {"/3303/0/5700", 1e300},
      {"/3303/0/5700", 3.0},
      {"/1/0/6", true},
      {"/1/0/6", false},
      {"/3/0/0", std::string("Open Mobile Alliance")},
      {"/3/0/0", std::string("")},
      {"/3/0/0", std::string("\xC3\xA9t\xC3\xA9 \"quoted\" \\ /")},
      {"/33653/0/2001", store::Opaque{}},
      {"/33653/0/2001", store::Opaque{0x00, 0xFF, 0x10, 0x80, 0x7F}},
      {"/3/0/13", store::Time{1367491215}},
      {"/3/0/13", store::Time{-1}},
      {"/1/0/10", store::ObjLink{3, 0}},
      {"/1/0/10", store::ObjLink{65535, 65535}},
  };
  return all;
}

void expect_round_trip(std::uint16_t format, store::Path target, const Samples& samples) {
  const Result<Bytes> payload = encode(format, target, samples);
  ASSERT_TRUE(payload.ok()) << content_format_name(format) << ": " << payload.error();
  const Result<Samples> back = decode(format, *payload, target, kDevice, kNow);
  ASSERT_TRUE(back.ok()) << content_format_name(format) << ": " << back.error();
  ASSERT_EQ(back->size(), samples.size()) << content_format_name(format);
  for (std::size_t i = 0; i < samples.size(); ++i) {
    EXPECT_EQ((*back)[i], samples[i]) << content_format_name(format) << " "
                                      << samples[i].path.to_string() << " = "
                                      << format_value(samples[i].value);
  }
}

TEST(RoundTrip, EveryTypeInEveryFormatAtTheResource) {
  for (const Case& c : cases()) {
    const Samples one = {S(c.path, c.value)};
    for (std::uint16_t format : {cf::tlv, cf::senml_json, cf::senml_cbor, cf::text}) {
      expect_round_trip(format, P(c.path), one);
    }
    if (std::holds_alternative<store::Opaque>(c.value)) expect_round_trip(cf::opaque, P(c.path), one);
  }
}

TEST(RoundTrip, WholeInstancesWithMultipleResources) {
  const Samples device = {
      S("/3/0/0", std::string("Acme")),          S("/3/0/6/0", std::int64_t{1}),
      S("/3/0/6/5", std::int64_t{5}),            S("/3/0/9", std::int64_t{77}),
      S("/3/0/11/0", std::int64_t{0}),           S("/3/0/13", store::Time{1700000000}),
      S("/3/0/22/0", store::ObjLink{33650, 1}),  S("/3/0/22/1", store::ObjLink{33650, 2}),
  };
  for (std::uint16_t format : {cf::tlv, cf::senml_json, cf::senml_cbor}) {
    expect_round_trip(format, P("/3/0"), device);
  }
}

TEST(RoundTrip, CreateOnTheObjectAndWriteOnAMultipleResource) {
  const Samples create = {S("/1/4/0", std::int64_t{101}), S("/1/4/1", std::int64_t{300}),
                          S("/1/4/6", true), S("/1/4/7", std::string("UQ"))};
  const Samples errors = {S("/3/0/11/0", std::int64_t{2}), S("/3/0/11/3", std::int64_t{8})};
  for (std::uint16_t format : {cf::tlv, cf::senml_json, cf::senml_cbor}) {
    expect_round_trip(format, P("/1"), create);
    expect_round_trip(format, P("/3/0/11"), errors);
    expect_round_trip(format, P("/3/0/11/3"), {errors[1]});
  }
}

TEST(RoundTrip, UnknownObjectsKeepTheirTypesInSenml) {
  // No DDF: SenML's own types. Numbers written as integers come back as integers.
  const Samples samples = {S("/40000/0/1", std::int64_t{-5}), S("/40000/0/2", 2.5),
                           S("/40000/0/3", true), S("/40000/0/4", std::string("x")),
                           S("/40000/0/5", store::Opaque{1, 2, 3}),
                           S("/40000/0/6", store::ObjLink{1, 2})};
  for (std::uint16_t format : {cf::senml_json, cf::senml_cbor}) {
    expect_round_trip(format, P("/40000/0"), samples);
  }
}

TEST(RoundTrip, TextRulesOfParseAndFormat) {
  EXPECT_EQ(format_value(true), "1");
  EXPECT_EQ(format_value(false), "0");
  EXPECT_EQ(format_value(store::Opaque{'a', 'b', 'c', 'd'}), "YWJjZA==");
  EXPECT_EQ(format_value(store::Time{1367491215}), "1367491215");
  EXPECT_EQ(format_value(store::ObjLink{3, 0}), "3:0");
  EXPECT_EQ(format_value(std::int64_t{-12}), "-12");
  EXPECT_EQ(format_value(std::uint64_t{18446744073709551615u}), "18446744073709551615");
  EXPECT_EQ(format_value(23.1), "23.1");
  EXPECT_EQ(format_value(std::string("plain")), "plain");
  EXPECT_EQ(format_value(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(format_value(-std::numeric_limits<double>::infinity()), "-Infinity");
  for (const Case& c : cases()) {
    const Result<store::Value> back = parse_value(store::type_of(c.value), format_value(c.value));
    ASSERT_TRUE(back.ok()) << back.error();
    EXPECT_EQ(*back, c.value) << format_value(c.value);
  }
  EXPECT_FALSE(parse_value(store::ValueType::boolean, "true").ok());
  EXPECT_FALSE(parse_value(store::ValueType::integer, "1.5").ok());
  EXPECT_FALSE(parse_value(store::ValueType::unsigned_integer, "-1").ok());
  EXPECT_FALSE(parse_value(store::ValueType::opaque, "YWJjZA=").ok());
  EXPECT_FALSE(parse_value(store::ValueType::objlnk, "3").ok());
  EXPECT_FALSE(parse_value(store::ValueType::floating, "NaN").ok());
  EXPECT_FALSE(parse_value(store::ValueType::string, "\xFF").ok());
  EXPECT_NE(parse_value(store::ValueType::integer, "x").error().find("integer"), std::string::npos);
}

}  // namespace
}  // namespace tl::server::codec::test
