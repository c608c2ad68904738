// SenML specifics: names and times resolved against their bases, DDF type coercion.
#include <cmath>
#include <limits>

#include "support.hpp"

namespace tl::server::codec::test {
namespace {

Samples json(std::string_view text, std::string_view requested = "/") {
  return decoded(cf::senml_json, bytes_of(text), requested);
}
std::string json_error(std::string_view text, std::string_view requested = "/") {
  return decode_error(cf::senml_json, bytes_of(text), requested);
}
bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST(Senml, BaseNamesAndNamesResolveToPaths) {
  const Samples s = json(R"([{"bn":"/3/0/","n":"0","vs":"Acme"},{"n":"9","v":80},)"
                         R"({"bn":"/3/0/6/","n":"1","v":5},{"bn":"/3/0/1","vs":"TL-1"}])",
                         "/3/0");
  EXPECT_EQ(s, (Samples{S("/3/0/0", std::string("Acme")), S("/3/0/9", std::int64_t{80}),
                        S("/3/0/6/1", std::int64_t{5}), S("/3/0/1", std::string("TL-1"))}));
}

TEST(Senml, AbsoluteTimesAreMillisecondsSinceTheEpoch) {
  const Samples s = json(R"([{"bn":"/3/0/","bt":1700000000,"n":"9","v":1},)"
                         R"({"n":"9","t":1.5,"v":2},{"n":"9","bt":1700000100.25,"v":3}])");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].time_ms, 1'700'000'000'000);
  EXPECT_EQ(s[1].time_ms, 1'700'000'001'500);
  EXPECT_EQ(s[2].time_ms, 1'700'000'100'250);
}

TEST(Senml, SmallTimesAreRelativeToNow) {
  // RFC 8428 4.5.3: below 2^28 s a time counts from "now"; negative is the past.
  const Samples s = json(R"([{"n":"/3/0/9","t":-5,"v":1},{"n":"/3/0/9","t":0,"v":2},)"
                         R"({"n":"/3/0/9","v":3},{"n":"/3/0/9","t":268435455,"v":4},)"
                         R"({"n":"/3/0/9","t":268435456,"v":5}])");
  ASSERT_EQ(s.size(), 5u);
  EXPECT_EQ(s[0].time_ms, kNow - 5000);
  EXPECT_EQ(s[1].time_ms, kNow);
  EXPECT_EQ(s[2].time_ms, kNow);  // no time at all: received now
  EXPECT_EQ(s[3].time_ms, kNow + 268'435'455'000);
  EXPECT_EQ(s[4].time_ms, 268'435'456'000);  // 2^28: absolute (early 1978)
}

TEST(Senml, NumbersTakeTheResourceType) {
  const Samples s = json(R"([{"n":"/3/0/9","v":3.0},{"n":"/1/0/11","v":4e0},)"
                         R"({"n":"/3/0/13","v":1367491215},{"n":"/3303/0/5700","v":21},)"
                         R"({"n":"/3/0/9","v":-9223372036854775808},)"
                         R"({"n":"/1/0/11","v":18446744073709551615}])");
  EXPECT_EQ(s, (Samples{S("/3/0/9", std::int64_t{3}), S("/1/0/11", std::uint64_t{4}),
                        S("/3/0/13", store::Time{1367491215}), S("/3303/0/5700", 21.0),
                        S("/3/0/9", std::numeric_limits<std::int64_t>::min()),
                        S("/1/0/11", std::numeric_limits<std::uint64_t>::max())}));
}

TEST(Senml, MismatchesThatLoseInformationAreErrors) {
  EXPECT_TRUE(contains(json_error(R"([{"n":"/3/0/9","v":3.5}])"), "fraction"));
  EXPECT_TRUE(contains(json_error(R"([{"n":"/1/0/11","v":-1}])"), "range"));
  EXPECT_TRUE(contains(json_error(R"([{"n":"/3/0/9","v":9223372036854775808}])"), "range"));
  EXPECT_TRUE(contains(json_error(R"([{"n":"/3303/0/5700","v":9007199254740993}])"), "exact"));
  EXPECT_TRUE(contains(json_error(R"([{"n":"/3/0/0","v":1}])"), "type string"));
  EXPECT_TRUE(contains(json_error(R"([{"n":"/3/0/9","vs":"1"}])"), "vs"));
  EXPECT_TRUE(contains(json_error(R"([{"n":"/1/0/6","v":1}])"), "boolean"));
  EXPECT_TRUE(contains(json_error(R"([{"n":"/33653/0/2001","vs":"AAEC"}])"), "opaque"));
  EXPECT_TRUE(contains(json_error(R"([{"n":"/1/0/10","vs":"3:0"}])"), "objlnk"));
  EXPECT_TRUE(contains(json_error(R"([{"n":"/3/0/4","v":1}])"), "executable"));
  EXPECT_TRUE(contains(json_error(R"([{"n":"/3/0/11","v":1}])"), "multiple resource"));
  EXPECT_TRUE(contains(json_error(R"([{"n":"/3/0/9/0","v":1}])"), "single resource"));
  EXPECT_TRUE(contains(json_error(R"([{"n":"/3/0/9"}])"), "without a value"));
  EXPECT_TRUE(contains(json_error(R"([{"n":"/3/0","v":1}])"), "no resource"));
  EXPECT_TRUE(contains(json_error(R"([{"n":"/3/0/9","v":1}])", "/4/0"), "not under /4/0"));
  // Record numbers say which one failed.
  EXPECT_TRUE(contains(json_error(R"([{"n":"/3/0/9","v":1},{"n":"/3/0/9","v":0.5}])"), "record 1"));
}

TEST(Senml, UnknownObjectsAndResourcesKeepTheSenmlType) {
  const Samples s = json(R"([{"bn":"/40000/0/","n":"1","v":3},{"n":"2","v":3.0},)"
                         R"({"n":"3","v":18446744073709551615},{"n":"4","vs":"a"},)"
                         R"({"n":"5","vb":true},{"n":"6","vd":"AQI"},{"n":"7","vlo":"3:0"},)"
                         R"({"bn":"/3/0/","n":"999","v":1.25}])");
  EXPECT_EQ(s, (Samples{S("/40000/0/1", std::int64_t{3}), S("/40000/0/2", 3.0),
                        S("/40000/0/3", std::numeric_limits<std::uint64_t>::max()),
                        S("/40000/0/4", std::string("a")), S("/40000/0/5", true),
                        S("/40000/0/6", store::Opaque{1, 2}),
                        S("/40000/0/7", store::ObjLink{3, 0}), S("/3/0/999", 1.25)}));
}

TEST(Senml, CborIntegersAndFloatsCoerceLikeJson) {
  // [{0:"/3/0/9", 2:3.0 (half)}, {0:"/3303/0/5700", 2:21}]
  const std::vector<std::uint8_t> cbor = {0x82, 0xA2, 0x00, 0x66, '/', '3', '/', '0', '/', '9',
                                          0x02, 0xF9, 0x42, 0x00, 0xA2, 0x00, 0x6C, '/', '3', '3',
                                          '0', '3', '/', '0', '/', '5', '7', '0', '0', 0x02, 0x15};
  EXPECT_EQ(decoded(cf::senml_cbor, cbor, "/"),
            (Samples{S("/3/0/9", std::int64_t{3}), S("/3303/0/5700", 21.0)}));
}

TEST(Senml, UnknownNumbersBeyond64BitsAreFloats) {
  EXPECT_EQ(json(R"([{"n":"/40000/0/1","v":123456789012345678901234}])"),
            (Samples{S("/40000/0/1", 1.2345678901234568e23)}));
  EXPECT_EQ(json(R"([{"n":"/40000/0/1","v":-9223372036854775809}])"),
            (Samples{S("/40000/0/1", -9223372036854775808.0)}));
}

TEST(Senml, WriteCompositeOnTheRootCarriesFullNames) {
  const Samples samples = {S("/3/0/14", std::string("+01")), S("/1/0/1", std::int64_t{300})};
  const Result<Bytes> payload = encode(cf::senml_json, P("/"), samples);
  ASSERT_TRUE(payload.ok()) << payload.error();
  EXPECT_EQ(std::string(payload->begin(), payload->end()),
            R"([{"n":"/3/0/14","vs":"+01"},{"n":"/1/0/1","v":300}])");
  const Result<Bytes> relative = encode(cf::senml_json, P("/3/0"), {{samples[0]}});
  ASSERT_TRUE(relative.ok()) << relative.error();
  EXPECT_EQ(std::string(relative->begin(), relative->end()), R"([{"bn":"/3/0/","n":"14","vs":"+01"}])");
}

TEST(Senml, JsonHasNoNaNButCborDoes) {
  const Samples nan = {S("/3303/0/5700", std::numeric_limits<double>::quiet_NaN())};
  EXPECT_NE(encode(cf::senml_json, P("/3303/0"), nan).error().find("/3303/0/5700"), std::string::npos);
  const Result<Bytes> cbor = encode(cf::senml_cbor, P("/3303/0"), nan);
  ASSERT_TRUE(cbor.ok()) << cbor.error();
  const Samples back = decoded(cf::senml_cbor, *cbor, "/3303/0");
  ASSERT_EQ(back.size(), 1u);
  EXPECT_TRUE(std::isnan(std::get<double>(back[0].value)));
}

TEST(Senml, AnEmptyPackHasNoSamples) {
  EXPECT_TRUE(json("[]").empty());
  EXPECT_TRUE(decoded(cf::senml_cbor, {0x80}, "/3/0").empty());
}

}  // namespace
}  // namespace tl::server::codec::test
