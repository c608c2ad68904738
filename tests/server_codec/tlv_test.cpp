// TLV: records resolved against the requested path, typed by the DDF, and written back in the
// shapes TS 1.1 7.4.3 gives for each target.
#include "support.hpp"

namespace tl::server::codec::test {
namespace {

using B = std::vector<std::uint8_t>;

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST(Tlv, NestedMultipleResourcesAtEveryRequestDepth) {
  // /3/0/6 Available Power Sources {0: 1, 1: 5}, as a multiple resource record.
  const B multiple = {0x86, 0x06, 0x41, 0x00, 0x01, 0x41, 0x01, 0x05};
  const Samples power = {S("/3/0/6/0", std::int64_t{1}), S("/3/0/6/1", std::int64_t{5})};
  EXPECT_EQ(decoded(cf::tlv, multiple, "/3/0"), power);
  EXPECT_EQ(decoded(cf::tlv, multiple, "/3/0/6"), power);  // the record repeats the request
  // The same instances bare, as a Read of /3/0/6 may answer; one of them for /3/0/6/1.
  EXPECT_EQ(decoded(cf::tlv, {0x41, 0x00, 0x01, 0x41, 0x01, 0x05}, "/3/0/6"), power);
  EXPECT_EQ(decoded(cf::tlv, {0x41, 0x01, 0x05}, "/3/0/6/1"), Samples{power[1]});
  // Wrapped in object instance 0 for a Read of /3.
  EXPECT_EQ(decoded(cf::tlv, {0x08, 0x00, 0x08, 0x86, 0x06, 0x41, 0x00, 0x01, 0x41, 0x01, 0x05},
                    "/3"),
            power);
  EXPECT_EQ(decoded(cf::tlv, {}, "/3/0"), Samples{});  // an instance without resources
}

TEST(Tlv, WriteShapesFollowTheTarget) {
  // Write /3/0/14 (resource), /3/0/6 (its instances at the top level), /3/0/6/1.
  EXPECT_EQ(encode(cf::tlv, P("/3/0/14"), {{S("/3/0/14", std::string("+01"))}}).value(),
            (B{0xC3, 0x0E, '+', '0', '1'}));
  const Samples power = {S("/3/0/6/1", std::int64_t{5}), S("/3/0/6/0", std::int64_t{1})};
  EXPECT_EQ(encode(cf::tlv, P("/3/0/6"), power).value(),
            (B{0x41, 0x00, 0x01, 0x41, 0x01, 0x05}));
  EXPECT_EQ(encode(cf::tlv, P("/3/0/6/1"), {{power[0]}}).value(), (B{0x41, 0x01, 0x05}));
  // Write /3/0: resources, multiple resources wrapping their instances, in id order.
  const Samples instance = {S("/3/0/14", std::string("+01")), power[0], power[1]};
  EXPECT_EQ(encode(cf::tlv, P("/3/0"), instance).value(),
            (B{0x86, 0x06, 0x41, 0x00, 0x01, 0x41, 0x01, 0x05, 0xC3, 0x0E, '+', '0', '1'}));
  // Create on /1 with instance id 4: one object instance record.
  EXPECT_EQ(encode(cf::tlv, P("/1"), {{S("/1/4/0", std::int64_t{101})}}).value(),
            (B{0x03, 0x04, 0xC1, 0x00, 0x65}));
  // Create letting the client choose: bare resource TLVs (encoded on /1/<any>).
  EXPECT_EQ(encode(cf::tlv, P("/1/0"), {{S("/1/0/0", std::int64_t{101})}}).value(),
            (B{0xC1, 0x00, 0x65}));
}

TEST(Tlv, EncodeErrors) {
  EXPECT_TRUE(contains(encode(cf::tlv, P("/"), {{S("/3/0/9", std::int64_t{1})}}).error(), "target"));
  EXPECT_TRUE(contains(encode(cf::tlv, P("/3/0"), {{S("/4/0/9", std::int64_t{1})}}).error(),
                       "not under"));
  EXPECT_TRUE(contains(encode(cf::tlv, P("/3"), {{S("/3/0", std::int64_t{1})}}).error(),
                       "no resource"));
  EXPECT_TRUE(contains(encode(cf::tlv, P("/3/0"), {{S("/3/0/9", std::int64_t{1}),
                                                    S("/3/0/9", std::int64_t{2})}})
                           .error(),
                       "two values"));
  EXPECT_TRUE(contains(encode(cf::tlv, P("/3/0"), {{S("/3/0/6", std::int64_t{1}),
                                                    S("/3/0/6/0", std::int64_t{2})}})
                           .error(),
                       "resource instances"));
  // Text that is not UTF-8 is refused in every format, naming the value.
  for (std::uint16_t format : {cf::tlv, cf::senml_json, cf::senml_cbor, cf::text}) {
    const std::string e = encode(format, P("/3/0/0"), {{S("/3/0/0", std::string("\xFF"))}}).error();
    EXPECT_TRUE(contains(e, "/3/0/0: a string that is not UTF-8")) << e;
  }
}

TEST(Tlv, TypesComeFromTheDdf) {
  // 3/0/9 Integer of 2 bytes, 3/0/13 Time, 1/0/6 Boolean, 3303/0/5700 Float (4 bytes).
  const B payload = {0xC2, 0x09, 0x01, 0x00};
  EXPECT_EQ(decoded(cf::tlv, payload, "/3/0"), (Samples{S("/3/0/9", std::int64_t{256})}));
  EXPECT_EQ(decoded(cf::tlv, {0xC4, 0x0D, 0x51, 0x82, 0x42, 0x8F}, "/3/0"),
            (Samples{S("/3/0/13", store::Time{1367491215})}));
  EXPECT_EQ(decoded(cf::tlv, {0xC1, 0x06, 0x01}, "/1/0"), (Samples{S("/1/0/6", true)}));
  EXPECT_EQ(decoded(cf::tlv, {0xE4, 0x16, 0x44, 0x40, 0x20, 0x00, 0x00}, "/3303/0"),
            (Samples{S("/3303/0/5700", 2.5)}));
  // Unknown objects and resources: opaque bytes as sent.
  EXPECT_EQ(decoded(cf::tlv, {0xC2, 0x01, 0xAB, 0xCD}, "/40000/0"),
            (Samples{S("/40000/0/1", store::Opaque{0xAB, 0xCD})}));
  EXPECT_EQ(decoded(cf::tlv, {0xC1, 0x63, 0x07}, "/3/0"), (Samples{S("/3/0/99", store::Opaque{7})}));
}

TEST(Tlv, DecodeErrorsSayWhatIsWrong) {
  EXPECT_TRUE(contains(decode_error(cf::tlv, {0xC1, 0x06, 0x02}, "/1/0"), "/1/0/6"));  // bool 2
  EXPECT_TRUE(contains(decode_error(cf::tlv, {0xC3, 0x09, 1, 2, 3}, "/3/0"), "integer"));
  EXPECT_TRUE(contains(decode_error(cf::tlv, {0xC1, 0x0B, 0x00}, "/3/0"), "multiple resource"));
  EXPECT_TRUE(contains(decode_error(cf::tlv, {0x83, 0x09, 0x41, 0x00, 0x01}, "/3/0"),
                       "single resource"));
  EXPECT_TRUE(contains(decode_error(cf::tlv, {0xC1, 0x04, 0x00}, "/3/0"), "executable"));
  EXPECT_TRUE(contains(decode_error(cf::tlv, {0xC8, 0x00, 0x14, 'O'}, "/3/0"), "truncated"));
  EXPECT_TRUE(contains(decode_error(cf::tlv, {0xC1, 0x00, 0x01}, "/"), "TLV needs"));
  EXPECT_TRUE(contains(decode_error(cf::tlv, {0xC1, 0x00, 0x01}, "/3"), "TLV"));  // no instance
}

TEST(Tlv, LegacyContentFormatsAreTlvToo) {
  for (std::uint16_t format : {cf::tlv_legacy, cf::tlv_legacy_99}) {
    EXPECT_EQ(decoded(format, {0xC1, 0x09, 0x64}, "/3/0"), (Samples{S("/3/0/9", std::int64_t{100})}));
  }
}

}  // namespace
}  // namespace tl::server::codec::test
