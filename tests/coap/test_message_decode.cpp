// Decoder: RFC 7252 Appendix A examples, option getters, and every malformed input with its Error.
#include <gtest/gtest.h>

#include "test_message_support.hpp"
#include "wire/coap/message.hpp"

namespace tl::wire::coap {
namespace {

using testing::ByteVector;
using testing::bytes;
using testing::operator+;
using testing::texts;

Error decode_error(const ByteVector& datagram) { return decode(datagram).error(); }

// RFC 7252 Figure 16: CON GET /temperature, MID 0x7d34, no token.
const ByteVector kGetTemperature = bytes({0x40, 0x01, 0x7d, 0x34, 0xbb}) + "temperature";
// Its piggybacked response: ACK 2.05 Content "22.5 C".
const ByteVector kTemperatureContent = bytes({0x60, 0x45, 0x7d, 0x34, 0xff}) + "22.5 C";

TEST(CoapDecode, Rfc7252Figure16Request) {
  Result<MessageView> m = decode(kGetTemperature);
  ASSERT_TRUE(m.ok()) << error_name(m.error());
  EXPECT_EQ(m->type(), Type::con);
  EXPECT_EQ(m->code(), Code::get);
  EXPECT_EQ(m->message_id(), 0x7d34);
  EXPECT_TRUE(m->token().empty());
  EXPECT_EQ(texts(m->uri_path()), std::vector<std::string_view>{"temperature"});
  EXPECT_TRUE(m->payload().empty());
  EXPECT_EQ(check_options(*m), Error::ok);
}

TEST(CoapDecode, Rfc7252Figure16PiggybackedResponse) {
  Result<MessageView> m = decode(kTemperatureContent);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->type(), Type::ack);
  EXPECT_EQ(m->code(), Code::content);
  EXPECT_EQ(m->message_id(), 0x7d34);
  EXPECT_TRUE(m->options().empty());
  EXPECT_EQ(as_text(m->payload()), "22.5 C");
}

TEST(CoapDecode, Rfc7252Figure17TokenEchoedInResponse) {
  const ByteVector request = bytes({0x41, 0x01, 0x7d, 0x35, 0x20, 0xbb}) + "temperature";
  Result<MessageView> req = decode(request);
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->token().size(), 1u);
  EXPECT_EQ(req->token()[0], 0x20);
  EXPECT_EQ(texts(req->uri_path()), std::vector<std::string_view>{"temperature"});

  const ByteVector response = testing::encode(
      MessageBuilder::piggybacked_response(*req, Code::content).payload(as_bytes("22.3 C")));
  EXPECT_EQ(response, bytes({0x61, 0x45, 0x7d, 0x35, 0x20, 0xff}) + "22.3 C");
}

TEST(CoapDecode, DefaultViewIsAnEmptyConfirmable) {
  const MessageView v;
  EXPECT_EQ(v.type(), Type::con);
  EXPECT_TRUE(v.is_empty());
  EXPECT_TRUE(v.options().empty());
  EXPECT_TRUE(v.payload().empty());
  EXPECT_TRUE(v.token().empty());
}

TEST(CoapDecode, EveryTypeAndTokenLength) {
  for (uint8_t type = 0; type < 4; ++type) {
    for (uint8_t tkl = 0; tkl <= 8; ++tkl) {
      ByteVector d = bytes({0x40 | (type << 4) | tkl, 0x45, 0x12, 0x34});
      for (uint8_t i = 0; i < tkl; ++i) d.push_back(static_cast<uint8_t>(0xA0 + i));
      Result<MessageView> m = decode(d);
      ASSERT_TRUE(m.ok()) << int{type} << " " << int{tkl};
      EXPECT_EQ(m->type(), static_cast<Type>(type));
      EXPECT_EQ(m->message_id(), 0x1234);
      ASSERT_EQ(m->token().size(), size_t{tkl});
      for (uint8_t i = 0; i < tkl; ++i) EXPECT_EQ(m->token()[i], 0xA0 + i);
    }
  }
}

TEST(CoapDecode, HeaderErrors) {
  EXPECT_EQ(decode_error({}), Error::truncated);
  EXPECT_EQ(decode_error(bytes({0x40, 0x01, 0x00})), Error::truncated);
  EXPECT_EQ(decode_error(bytes({0x00, 0x01, 0x00, 0x01})), Error::malformed);  // version 0
  EXPECT_EQ(decode_error(bytes({0x80, 0x01, 0x00, 0x01})), Error::malformed);  // version 2
  EXPECT_EQ(decode_error(bytes({0xC0, 0x01, 0x00, 0x01})), Error::malformed);  // version 3
}

TEST(CoapDecode, TokenLengthNineToFifteenIsTokenTooLong) {
  for (int tkl = 9; tkl <= 15; ++tkl) {
    ByteVector d(4 + 15, 0xAA);  // enough bytes: the length itself is the fault
    d[0] = static_cast<uint8_t>(0x40 | tkl);
    EXPECT_EQ(decode_error(d), Error::token_too_long) << tkl;
  }
}

TEST(CoapDecode, TokenPastTheEndIsTruncated) {
  EXPECT_EQ(decode_error(bytes({0x44, 0x01, 0x00, 0x01, 0xAA, 0xBB})), Error::truncated);
}

TEST(CoapDecode, EmptyMessageWithAnyContentIsMalformed) {
  EXPECT_TRUE(decode(bytes({0x60, 0x00, 0x00, 0x01})).ok());
  EXPECT_EQ(decode_error(bytes({0x61, 0x00, 0x00, 0x01, 0xAA})), Error::malformed);  // token
  EXPECT_EQ(decode_error(bytes({0x60, 0x00, 0x00, 0x01, 0xB0})), Error::malformed);  // option
  EXPECT_EQ(decode_error(bytes({0x60, 0x00, 0x00, 0x01, 0xFF, 0x01})), Error::malformed);
}

TEST(CoapDecode, ReservedNibblesAreMalformed) {
  const ByteVector header = bytes({0x40, 0x01, 0x00, 0x01});
  EXPECT_EQ(decode_error(header + bytes({0xF0, 0x00})), Error::malformed);  // delta 15, not a marker
  EXPECT_EQ(decode_error(header + bytes({0xFE, 0x00})), Error::malformed);
  EXPECT_EQ(decode_error(header + bytes({0x0F})), Error::malformed);  // length 15
  EXPECT_EQ(decode_error(header + bytes({0xBF, 0x00})), Error::malformed);
}

TEST(CoapDecode, PayloadMarkerWithoutPayloadIsMalformed) {
  EXPECT_EQ(decode_error(bytes({0x40, 0x01, 0x00, 0x01, 0xFF})), Error::malformed);
  EXPECT_EQ(decode_error(bytes({0x40, 0x01, 0x00, 0x01, 0xB1, 'a', 0xFF})), Error::malformed);
}

TEST(CoapDecode, LengthsPastTheEndAreTruncated) {
  const ByteVector header = bytes({0x40, 0x01, 0x00, 0x01});
  EXPECT_EQ(decode_error(header + bytes({0xB3, 'a', 'b'})), Error::truncated);  // value
  EXPECT_EQ(decode_error(header + bytes({0xD0})), Error::truncated);            // delta + 1 byte
  EXPECT_EQ(decode_error(header + bytes({0xE0, 0x00})), Error::truncated);      // delta + 2 bytes
  EXPECT_EQ(decode_error(header + bytes({0x0D})), Error::truncated);            // length + 1 byte
  EXPECT_EQ(decode_error(header + bytes({0x0E, 0x01})), Error::truncated);      // length + 2 bytes
  EXPECT_EQ(decode_error(header + bytes({0x0D, 0x00})), Error::truncated);      // 13-byte value
}

TEST(CoapDecode, OptionNumberAbove65535IsMalformed) {
  const ByteVector header = bytes({0x40, 0x01, 0x00, 0x01});
  // 65535 is the largest option number; one more is not a number.
  EXPECT_TRUE(decode(header + bytes({0xE0, 0xFE, 0xF2})).ok());
  EXPECT_EQ(decode_error(header + bytes({0xE0, 0xFE, 0xF2, 0x10})), Error::malformed);
  // Delta 65804 (nibble 14, extension 0xFFFF) from option 0.
  EXPECT_EQ(decode_error(header + bytes({0xE0, 0xFF, 0xFF})), Error::malformed);
}

TEST(CoapDecode, DatagramLargerThanAnyUdpDatagramIsMalformed) {
  ByteVector d = bytes({0x40, 0x01, 0x00, 0x01, 0xFF});
  d.resize(0x20001, 'x');
  EXPECT_EQ(decode_error(d), Error::malformed);
}

TEST(CoapDecode, DecodeHeaderReadsMessageIdOfAnInvalidMessage) {
  // A CON with a token length of 9: the server answers RST, which needs the message ID.
  const ByteVector d = bytes({0x49, 0x01, 0xBE, 0xEF});
  EXPECT_EQ(decode_error(d), Error::token_too_long);
  Result<Header> h = decode_header(d);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->type, Type::con);
  EXPECT_EQ(h->token_length, 9);
  EXPECT_EQ(h->code, Code::get);
  EXPECT_EQ(h->message_id, 0xBEEF);
  EXPECT_EQ(decode_header(bytes({0x09, 0x01, 0xBE, 0xEF})).error(), Error::malformed);
  EXPECT_EQ(decode_header(bytes({0x40, 0x01})).error(), Error::truncated);
}

// A request carrying most options of the registry, options in ascending order.
ByteVector rich_message() {
  return bytes({0x42, 0x45, 0x00, 0x07, 0x01, 0x02,  // CON 2.05, token 01 02
                0x12, 0xAB, 0xCD,                     // 1 If-Match ab cd
                0x31, 0x01,                           // 4 ETag 01
                0x02, 0x02, 0x03,                     // 4 ETag 02 03
                0x10,                                 // 5 If-None-Match
                0x13, 0x01, 0x02, 0x03,               // 6 Observe 0x010203
                0x22, 'r', 'd',                       // 8 Location-Path "rd"
                0x04, '5', 'a', '3', 'f',             // 8 Location-Path "5a3f"
                0x42, 0x00, 0x28,                     // 12 Content-Format 40 (leading zero)
                0x22, 0x01, 0x2C,                     // 14 Max-Age 300
                0x32, 0x2D, 0x16,                     // 17 Accept 11542
                0x61, 0x26,                           // 23 Block2 0x26
                0x41, 0x0A,                           // 27 Block1 0x0a
                0x12, 0x04, 0x00,                     // 28 Size2 1024
                0xD2, 0x13, 0x08, 0x00,               // 60 Size1 2048
                0xFF, 'h', 'i'});
}

TEST(CoapDecode, Getters) {
  const ByteVector d = rich_message();
  Result<MessageView> m = decode(d);
  ASSERT_TRUE(m.ok()) << error_name(m.error());
  EXPECT_EQ(m->if_match().begin()->value.size(), 2u);
  std::vector<size_t> etag_sizes;
  for (const Option& o : m->etags()) etag_sizes.push_back(o.value.size());
  EXPECT_EQ(etag_sizes, (std::vector<size_t>{1, 2}));
  EXPECT_TRUE(m->if_none_match());
  EXPECT_EQ(*m->observe(), 0x010203u);
  EXPECT_EQ(texts(m->location_path()), (std::vector<std::string_view>{"rd", "5a3f"}));
  EXPECT_EQ(*m->content_format(), ContentFormat::link_format);
  EXPECT_EQ(m->max_age(), 300u);
  EXPECT_EQ(*m->accept(), ContentFormat::lwm2m_tlv);
  EXPECT_EQ(*m->block2(), 0x26u);
  EXPECT_EQ(*m->block1(), 0x0Au);
  EXPECT_EQ(*m->size2(), 1024u);
  EXPECT_EQ(*m->size1(), 2048u);
  EXPECT_EQ(as_text(m->payload()), "hi");
  EXPECT_TRUE(m->uri_path().empty());
  EXPECT_TRUE(m->uri_query().empty());
  EXPECT_EQ(check_options(*m), Error::ok);
}

TEST(CoapDecode, AbsentOptions) {
  Result<MessageView> m = decode(kGetTemperature);
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m->content_format());
  EXPECT_FALSE(m->accept());
  EXPECT_FALSE(m->observe());
  EXPECT_FALSE(m->block1());
  EXPECT_FALSE(m->block2());
  EXPECT_FALSE(m->size1());
  EXPECT_FALSE(m->size2());
  EXPECT_FALSE(m->if_none_match());
  EXPECT_TRUE(m->etags().empty());
  EXPECT_EQ(m->max_age(), 60u);  // RFC 7252 5.10.5 default
}

TEST(CoapDecode, EmptyUintValueIsZero) {
  // Observe registration: Observe with a zero-length value means 0.
  const ByteVector d = bytes({0x40, 0x01, 0x00, 0x01, 0x60});
  Result<MessageView> m = decode(d);
  ASSERT_TRUE(m.ok());
  ASSERT_TRUE(m->observe());
  EXPECT_EQ(*m->observe(), 0u);
}

TEST(CoapDecode, UintOptionWithLengthOutsideItsRangeReadsAsAbsent) {
  // Content-Format with 3 bytes and Observe with 4: unrecognized (5.4.3), so absent.
  const ByteVector d = bytes({0x40, 0x01, 0x00, 0x01, 0x64, 0x00, 0x00, 0x00, 0x01, 0x63, 0x00, 0x00, 0x28});
  Result<MessageView> m = decode(d);
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m->observe());
  EXPECT_FALSE(m->content_format());
}

TEST(CoapDecode, UriPathAndQueryIteration) {
  const ByteVector d = bytes({0x42, 0x02, 0x00, 0x01, 0xAA, 0xBB,  // CON POST, token
                              0xB1, '3', 0x01, '0', 0x01, '1',     // /3/0/1
                              0x41, '!',                           // 15 Uri-Query "!"
                              0x03, 'a', '=', 'b'}) +
                       bytes({0x00});                              // empty query item
  Result<MessageView> m = decode(d);
  ASSERT_TRUE(m.ok()) << error_name(m.error());
  EXPECT_EQ(texts(m->uri_path()), (std::vector<std::string_view>{"3", "0", "1"}));
  EXPECT_EQ(texts(m->uri_query()), (std::vector<std::string_view>{"!", "a=b", ""}));
  size_t all = 0;
  for (const Option& o : m->options()) {
    (void)o;
    ++all;
  }
  EXPECT_EQ(all, 6u);
}

TEST(CoapDecode, ViewPointsIntoTheDatagram) {
  Result<MessageView> m = decode(kTemperatureContent);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->payload().data(), kTemperatureContent.data() + 5);
  EXPECT_LE(sizeof(MessageView), 2 * sizeof(void*));
}

}  // namespace
}  // namespace tl::wire::coap
