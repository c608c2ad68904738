// Option properties and registry, RFC 7252 5.4 checks (unknown critical vs elective, lengths,
// repeats), codes and the error -> response code mapping.
#include <gtest/gtest.h>

#include "test_message_support.hpp"
#include "wire/coap/code.hpp"
#include "wire/coap/message.hpp"
#include "wire/coap/option.hpp"

namespace tl::wire::coap {
namespace {

using testing::ByteVector;
using testing::bytes;
using testing::operator+;
using testing::encode;

constexpr OptionNumber number(uint16_t n) { return static_cast<OptionNumber>(n); }

// check_options() on a CON GET carrying the given option bytes (already delta-encoded).
Error check(const ByteVector& options, OptionSet known = registered_options()) {
  const ByteVector d = bytes({0x40, 0x01, 0x00, 0x01}) + options;
  Result<MessageView> m = decode(d);
  EXPECT_TRUE(m.ok()) << error_name(m.error());
  return check_options(*m, known);
}

TEST(CoapOption, PropertiesFollowTheNumberBits) {
  EXPECT_TRUE(is_critical(OptionNumber::uri_path));
  EXPECT_TRUE(is_critical(OptionNumber::block2));
  EXPECT_TRUE(is_critical(OptionNumber::accept));
  EXPECT_FALSE(is_critical(OptionNumber::observe));
  EXPECT_FALSE(is_critical(OptionNumber::content_format));
  EXPECT_FALSE(is_critical(OptionNumber::size1));
  EXPECT_TRUE(is_unsafe(OptionNumber::uri_host));
  EXPECT_TRUE(is_unsafe(OptionNumber::observe));
  EXPECT_TRUE(is_unsafe(OptionNumber::max_age));
  EXPECT_FALSE(is_unsafe(OptionNumber::etag));
  EXPECT_TRUE(is_no_cache_key(OptionNumber::size1));
  EXPECT_TRUE(is_no_cache_key(OptionNumber::size2));
  EXPECT_FALSE(is_no_cache_key(OptionNumber::content_format));
}

TEST(CoapOption, Registry) {
  const OptionInfo* block1 = find_option_info(OptionNumber::block1);
  ASSERT_NE(block1, nullptr);
  EXPECT_EQ(block1->format, OptionFormat::uint);
  EXPECT_EQ(block1->max_length, 3);
  EXPECT_FALSE(block1->repeatable);
  const OptionInfo* proxy_uri = find_option_info(OptionNumber::proxy_uri);
  ASSERT_NE(proxy_uri, nullptr);
  EXPECT_EQ(proxy_uri->min_length, 1);
  EXPECT_EQ(proxy_uri->max_length, 1034);
  EXPECT_TRUE(find_option_info(OptionNumber::uri_query)->repeatable);
  EXPECT_EQ(find_option_info(OptionNumber::if_none_match)->format, OptionFormat::empty);
  EXPECT_EQ(find_option_info(number(9)), nullptr);  // OSCORE: not implemented here
  EXPECT_EQ(find_option_info(number(2)), nullptr);

  const OptionSet known = registered_options();
  for (int n : {1, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 17, 20, 23, 27, 28, 35, 39, 60}) {
    const auto n16 = static_cast<uint16_t>(n);
    EXPECT_TRUE(known.contains(number(n16))) << n;
    EXPECT_NE(find_option_info(number(n16)), nullptr) << n;
  }
  EXPECT_FALSE(known.contains(number(9)));
  EXPECT_FALSE(known.contains(number(258)));
  EXPECT_FALSE(OptionSet{}.with(number(300)).contains(number(300)));
}

TEST(CoapOption, CheckLength) {
  EXPECT_EQ(check_length(OptionNumber::observe, 3), Error::ok);
  EXPECT_EQ(check_length(OptionNumber::observe, 4), Error::option_too_long);
  EXPECT_EQ(check_length(OptionNumber::size1, 4), Error::ok);
  EXPECT_EQ(check_length(OptionNumber::size1, 5), Error::option_too_long);
  EXPECT_EQ(check_length(OptionNumber::etag, 0), Error::bad_option);
  EXPECT_EQ(check_length(OptionNumber::if_none_match, 1), Error::option_too_long);
  EXPECT_EQ(check_length(number(2), 60000), Error::ok);
}

TEST(CoapCheckOptions, UnknownCriticalIsRejected) {
  EXPECT_EQ(check(bytes({0x90})), Error::unknown_critical_option);  // 9 (OSCORE)
  // 65001, critical, beyond the 64 numbers an OptionSet can hold.
  EXPECT_EQ(check(bytes({0xE0, 0xFC, 0xDC})), Error::unknown_critical_option);
}

TEST(CoapCheckOptions, UnknownElectiveIsIgnored) {
  EXPECT_EQ(check(bytes({0x20})), Error::ok);                    // 2
  EXPECT_EQ(check(bytes({0xE1, 0x00, 0x01, 0x00})), Error::ok);  // 270
}

TEST(CoapCheckOptions, KnownSetDecides) {
  const ByteVector proxy_uri = bytes({0xD1, 35 - 13, 'x'});
  EXPECT_EQ(check(proxy_uri), Error::ok);
  const OptionSet no_proxy = OptionSet{}.with(OptionNumber::uri_path).with(OptionNumber::uri_query);
  EXPECT_EQ(check(proxy_uri, no_proxy), Error::unknown_critical_option);
  EXPECT_EQ(check(bytes({0x90}), registered_options().with(number(9))), Error::ok);
}

TEST(CoapCheckOptions, CriticalOptionLengthOutsideItsRange) {
  EXPECT_EQ(check(bytes({0x19}) + ByteVector(9)), Error::option_too_long);  // If-Match 9 bytes
  EXPECT_EQ(check(bytes({0xD4, 23 - 13, 1, 2, 3, 4})), Error::option_too_long);  // Block2 4 bytes
  EXPECT_EQ(check(bytes({0xD4, 27 - 13, 1, 2, 3, 4})), Error::option_too_long);  // Block1 4 bytes
  EXPECT_EQ(check(bytes({0x73, 1, 2, 3})), Error::option_too_long);              // Uri-Port 3 bytes
  EXPECT_EQ(check(bytes({0x51, 0x00})), Error::option_too_long);                 // If-None-Match 1
  EXPECT_EQ(check(bytes({0x30})), Error::bad_option);                            // Uri-Host empty
  EXPECT_EQ(check(bytes({0x3D, 0xF3}) + ByteVector(256, 'h')), Error::option_too_long);  // Uri-Host 256
  EXPECT_EQ(check(bytes({0x3D, 0xF2}) + ByteVector(255, 'h')), Error::ok);
}

TEST(CoapCheckOptions, ElectiveOptionLengthOutsideItsRangeIsIgnored) {
  EXPECT_EQ(check(bytes({0x64, 1, 2, 3, 4})), Error::ok);                     // Observe 4 bytes
  EXPECT_EQ(check(bytes({0xC3, 1, 2, 3})), Error::ok);                        // Content-Format 3
  EXPECT_EQ(check(bytes({0xD5, 60 - 13, 1, 2, 3, 4, 5})), Error::ok);         // Size1 5 bytes
  EXPECT_EQ(check(bytes({0x40})), Error::ok);                                 // ETag empty
}

TEST(CoapCheckOptions, RepeatedNonRepeatableCriticalIsUnrecognized) {
  EXPECT_EQ(check(bytes({0xD1, 17 - 13, 40, 0x01, 60})), Error::unknown_critical_option);  // Accept x2
  EXPECT_EQ(check(bytes({0x50, 0x00})), Error::unknown_critical_option);  // If-None-Match x2
  EXPECT_EQ(check(bytes({0xB1, 'a', 0x01, 'b', 0x01, 'c'})), Error::ok);  // Uri-Path repeats
  EXPECT_EQ(check(bytes({0xC1, 40, 0x01, 60})), Error::ok);               // Content-Format x2: elective
}

TEST(CoapCheckOptions, ServerAnswersBadOption) {
  const ByteVector request = bytes({0x42, 0x01, 0x00, 0x05, 0xCA, 0xFE, 0x90});
  Result<MessageView> m = decode(request);
  ASSERT_TRUE(m.ok());
  const Error e = check_options(*m);
  ASSERT_EQ(e, Error::unknown_critical_option);
  EXPECT_EQ(encode(MessageBuilder::piggybacked_response(*m, coap_code_for(e))),
            bytes({0x62, 0x82, 0x00, 0x05, 0xCA, 0xFE}));
}

TEST(CoapCode, Values) {
  EXPECT_EQ(static_cast<uint8_t>(Code::get), 0x01);
  EXPECT_EQ(static_cast<uint8_t>(Code::ipatch), 0x07);
  EXPECT_EQ(static_cast<uint8_t>(Code::created), 0x41);
  EXPECT_EQ(static_cast<uint8_t>(Code::content), 0x45);
  EXPECT_EQ(static_cast<uint8_t>(Code::continue_), 0x5F);
  EXPECT_EQ(static_cast<uint8_t>(Code::bad_request), 0x80);
  EXPECT_EQ(static_cast<uint8_t>(Code::bad_option), 0x82);
  EXPECT_EQ(static_cast<uint8_t>(Code::request_entity_incomplete), 0x88);
  EXPECT_EQ(static_cast<uint8_t>(Code::request_entity_too_large), 0x8D);
  EXPECT_EQ(static_cast<uint8_t>(Code::unsupported_content_format), 0x8F);
  EXPECT_EQ(static_cast<uint8_t>(Code::internal_server_error), 0xA0);
  EXPECT_EQ(static_cast<uint8_t>(Code::proxying_not_supported), 0xA5);
  EXPECT_EQ(code_class(Code::not_found), 4);
  EXPECT_EQ(code_detail(Code::not_found), 4);
  EXPECT_EQ(code_detail(Code::continue_), 31);
  EXPECT_TRUE(is_request(Code::fetch));
  EXPECT_FALSE(is_request(Code::empty));
  EXPECT_FALSE(is_request(Code::content));
  EXPECT_TRUE(is_response(Code::continue_));
  EXPECT_TRUE(is_response(Code::gateway_timeout));
  EXPECT_FALSE(is_response(static_cast<Code>(make_code(1, 0))));
  EXPECT_FALSE(is_response(static_cast<Code>(make_code(6, 0))));
}

TEST(CoapCode, ResponseForError) {
  EXPECT_EQ(coap_code_for(Error::ok), Code::empty);
  EXPECT_EQ(coap_code_for(Error::truncated), Code::bad_request);
  EXPECT_EQ(coap_code_for(Error::malformed), Code::bad_request);
  EXPECT_EQ(coap_code_for(Error::token_too_long), Code::bad_request);
  EXPECT_EQ(coap_code_for(Error::bad_number), Code::bad_request);
  EXPECT_EQ(coap_code_for(Error::invalid_utf8), Code::bad_request);
  EXPECT_EQ(coap_code_for(Error::unknown_critical_option), Code::bad_option);
  EXPECT_EQ(coap_code_for(Error::option_too_long), Code::bad_option);
  EXPECT_EQ(coap_code_for(Error::bad_option), Code::bad_option);
  EXPECT_EQ(coap_code_for(Error::block_out_of_order), Code::request_entity_incomplete);
  EXPECT_EQ(coap_code_for(Error::block_missing), Code::request_entity_incomplete);
  EXPECT_EQ(coap_code_for(Error::too_many_items), Code::request_entity_too_large);
  EXPECT_EQ(coap_code_for(Error::buffer_too_small), Code::request_entity_too_large);
  EXPECT_EQ(coap_code_for(Error::unsupported), Code::unsupported_content_format);
}

TEST(CoapContentFormat, Lwm2mNumbers) {
  EXPECT_EQ(to_uint(ContentFormat::text_plain), 0);
  EXPECT_EQ(to_uint(ContentFormat::link_format), 40);
  EXPECT_EQ(to_uint(ContentFormat::octet_stream), 42);
  EXPECT_EQ(to_uint(ContentFormat::cbor), 60);
  EXPECT_EQ(to_uint(ContentFormat::senml_json), 110);
  EXPECT_EQ(to_uint(ContentFormat::senml_cbor), 112);
  EXPECT_EQ(to_uint(ContentFormat::lwm2m_tlv), 11542);
  EXPECT_EQ(to_uint(ContentFormat::lwm2m_json), 11543);
}

}  // namespace
}  // namespace tl::wire::coap
