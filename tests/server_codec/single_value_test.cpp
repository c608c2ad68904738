// text/plain, opaque, the formats refused, and the DDF helpers.
#include "support.hpp"

namespace tl::server::codec::test {
namespace {

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST(TextPlain, TypedByTheDdf) {
  EXPECT_EQ(decoded(cf::text, bytes_of("100"), "/3/0/9"), (Samples{S("/3/0/9", std::int64_t{100})}));
  EXPECT_EQ(decoded(cf::text, bytes_of("1367491215"), "/3/0/13"),
            (Samples{S("/3/0/13", store::Time{1367491215})}));
  EXPECT_EQ(decoded(cf::text, bytes_of("1"), "/1/0/6"), (Samples{S("/1/0/6", true)}));
  EXPECT_EQ(decoded(cf::text, bytes_of("33650:1"), "/3/0/22/0"),
            (Samples{S("/3/0/22/0", store::ObjLink{33650, 1})}));
  EXPECT_EQ(decoded(cf::text, bytes_of("AAEC"), "/33653/0/2001"),
            (Samples{S("/33653/0/2001", store::Opaque{0, 1, 2})}));
  // Unknown resources are strings.
  EXPECT_EQ(decoded(cf::text, bytes_of("42"), "/40000/0/1"),
            (Samples{S("/40000/0/1", std::string("42"))}));
}

TEST(TextPlain, Errors) {
  EXPECT_TRUE(contains(decode_error(cf::text, bytes_of("1.5"), "/3/0/9"), "integer"));
  EXPECT_TRUE(contains(decode_error(cf::text, bytes_of("yes"), "/1/0/6"), "boolean"));
  EXPECT_TRUE(contains(decode_error(cf::text, bytes_of("1"), "/3/0"), "no resource"));
  EXPECT_TRUE(contains(decode_error(cf::text, bytes_of("1"), "/3/0/11"), "multiple resource"));
  EXPECT_TRUE(contains(decode_error(cf::text, bytes_of(""), "/3/0/4"), "executable"));
  EXPECT_TRUE(contains(decode_error(cf::text, {0xC3, 0x28}, "/3/0/0"), "UTF-8"));
  EXPECT_TRUE(contains(encode(cf::text, P("/3/0/9"), {}).error(), "exactly one"));
  EXPECT_TRUE(contains(encode(cf::text, P("/3/0"), {{S("/3/0/9", std::int64_t{1})}}).error(),
                       "must be the target"));
  EXPECT_EQ(encode(cf::text, P("/3/0/13"), {{S("/3/0/13", store::Time{5})}}).value(), bytes_of("5"));
}

TEST(Opaque, OneOpaqueValue) {
  const std::vector<std::uint8_t> blob = {0, 1, 2, 0xFF};
  EXPECT_EQ(decoded(cf::opaque, blob, "/33654/0/2003"), (Samples{S("/33654/0/2003", blob)}));
  EXPECT_EQ(decoded(cf::opaque, blob, "/40000/0/1"), (Samples{S("/40000/0/1", blob)}));
  EXPECT_TRUE(contains(decode_error(cf::opaque, blob, "/3/0/9"), "only Opaque"));
  EXPECT_EQ(encode(cf::opaque, P("/33654/0/2003"), {{S("/33654/0/2003", blob)}}).value(), blob);
  EXPECT_TRUE(contains(encode(cf::opaque, P("/3/0/0"), {{S("/3/0/0", std::string("x"))}}).error(),
                       "only Opaque"));
}

TEST(Formats, RefusedWithAClearMessage) {
  EXPECT_TRUE(contains(decode_error(cf::lwm2m_json, bytes_of("{}"), "/3/0"), "ask for SenML"));
  EXPECT_TRUE(contains(decode_error(cf::json_legacy, bytes_of("{}"), "/3/0"), "not supported"));
  EXPECT_TRUE(contains(decode_error(cf::link_format, bytes_of("</3/0>"), "/3/0"), "no values"));
  EXPECT_TRUE(contains(decode_error(60, {0xA0}, "/3/0"), "content format 60"));
  EXPECT_TRUE(contains(encode(cf::lwm2m_json, P("/3/0"), {}).error(), "SenML"));
  EXPECT_TRUE(contains(encode(cf::link_format, P("/3/0"), {}).error(), "link-format"));
}

TEST(Helpers, ResourceTypesFromTheDdf) {
  EXPECT_EQ(resource_type(P("/3/0/0")), store::ValueType::string);
  EXPECT_EQ(resource_type(P("/3/0/11/2")), store::ValueType::integer);
  EXPECT_EQ(resource_type(P("/1/0/11")), store::ValueType::unsigned_integer);
  EXPECT_EQ(resource_type(P("/33653/0/2001")), store::ValueType::opaque);
  EXPECT_EQ(resource_type(P("/33650/3/2000")), store::ValueType::boolean);
  EXPECT_EQ(resource_type(P("/3/0/13")), store::ValueType::time);
  EXPECT_EQ(resource_type(P("/1/0/10")), store::ValueType::objlnk);
  EXPECT_EQ(resource_type(P("/3303/0/5700")), store::ValueType::floating);
  EXPECT_EQ(resource_type(P("/3/0/4")), std::nullopt);  // executable
  EXPECT_EQ(resource_type(P("/3/0")), std::nullopt);
  EXPECT_EQ(resource_type(P("/40000/0/1")), std::nullopt);
  EXPECT_EQ(content_format_name(cf::senml_cbor), "application/senml+cbor");
  EXPECT_EQ(content_format_name(cf::tlv), "application/vnd.oma.lwm2m+tlv");
  EXPECT_EQ(content_format_name(cf::text), "text/plain");
  EXPECT_EQ(content_format_name(1234), "content format 1234");
}

}  // namespace
}  // namespace tl::server::codec::test
