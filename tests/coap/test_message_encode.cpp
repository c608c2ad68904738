// Builder: LwM2M registration byte for byte, option ordering, extended delta/length boundaries,
// minimal uints, path splitting, Empty messages and every builder error.
#include <gtest/gtest.h>

#include <string>

#include "test_message_support.hpp"
#include "wire/coap/message.hpp"

namespace tl::wire::coap {
namespace {

using testing::ByteVector;
using testing::bytes;
using testing::operator+;
using testing::encode;
using testing::texts;

const ByteVector kToken = bytes({0x11, 0x22, 0x33, 0x44});

TEST(CoapEncode, Rfc7252Figure16) {
  EXPECT_EQ(encode(MessageBuilder(Type::con, Code::get, 0x7d34).uri_path("/temperature")),
            bytes({0x40, 0x01, 0x7d, 0x34, 0xbb}) + "temperature");
  EXPECT_EQ(encode(MessageBuilder(Type::ack, Code::content, 0x7d34).payload(as_bytes("22.5 C"))),
            bytes({0x60, 0x45, 0x7d, 0x34, 0xff}) + "22.5 C");
}

TEST(CoapEncode, Lwm2mRegisterRequest) {
  // Added out of order on purpose: Content-Format (12) must come out before Uri-Query (15).
  MessageBuilder b(Type::con, Code::post, 0x0001);
  b.token(kToken)
      .uri_path("/rd")
      .uri_query("ep=node1")
      .content_format(ContentFormat::link_format)
      .uri_query("lt=300")
      .uri_query("lwm2m=1.1")
      .uri_query("b=U")
      .payload(as_bytes("</1/0>,</3/0>"));
  const ByteVector expected = bytes({0x44, 0x02, 0x00, 0x01}) + kToken + bytes({0xB2}) + "rd" +
                              bytes({0x11, 0x28}) + bytes({0x38}) + "ep=node1" + bytes({0x06}) + "lt=300" +
                              bytes({0x09}) + "lwm2m=1.1" + bytes({0x03}) + "b=U" + bytes({0xFF}) +
                              "</1/0>,</3/0>";
  const ByteVector encoded = encode(b);
  EXPECT_EQ(encoded, expected);

  Result<MessageView> m = decode(encoded);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->code(), Code::post);
  EXPECT_EQ(texts(m->uri_path()), std::vector<std::string_view>{"rd"});
  EXPECT_EQ(texts(m->uri_query()), (std::vector<std::string_view>{"ep=node1", "lt=300", "lwm2m=1.1", "b=U"}));
  EXPECT_EQ(*m->content_format(), ContentFormat::link_format);
  EXPECT_EQ(as_text(m->payload()), "</1/0>,</3/0>");
}

TEST(CoapEncode, Lwm2mRegisterResponse) {
  const ByteVector request = encode(MessageBuilder(Type::con, Code::post, 0x0001).token(kToken).uri_path("/rd"));
  Result<MessageView> req = decode(request);
  ASSERT_TRUE(req.ok());
  const ByteVector response =
      encode(MessageBuilder::piggybacked_response(*req, Code::created).location_path("/rd/5a3f"));
  EXPECT_EQ(response, bytes({0x64, 0x41, 0x00, 0x01}) + kToken + bytes({0x82}) + "rd" + bytes({0x04}) + "5a3f");
}

TEST(CoapEncode, RepeatedOptionsKeepTheirOrderAmongOthers) {
  MessageBuilder b(Type::non, Code::get, 7);
  b.uri_query("z").uri_path("/b").accept(ContentFormat::senml_cbor).uri_query("a").uri_path("/a");
  const ByteVector encoded = encode(b);
  Result<MessageView> m = decode(encoded);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(texts(m->uri_path()), (std::vector<std::string_view>{"b", "a"}));
  EXPECT_EQ(texts(m->uri_query()), (std::vector<std::string_view>{"z", "a"}));
  std::vector<uint16_t> numbers;
  for (const Option& o : m->options()) numbers.push_back(to_uint(o.number));
  EXPECT_EQ(numbers, (std::vector<uint16_t>{11, 11, 15, 15, 17}));
}

TEST(CoapEncode, UintsAreMinimal) {
  struct Case {
    uint32_t value;
    ByteVector bytes;
  };
  const Case cases[] = {{0, {}},
                        {1, bytes({0x01})},
                        {255, bytes({0xFF})},
                        {256, bytes({0x01, 0x00})},
                        {0xFFFF, bytes({0xFF, 0xFF})},
                        {0x10000, bytes({0x01, 0x00, 0x00})},
                        {0x1000000, bytes({0x01, 0x00, 0x00, 0x00})},
                        {0xFFFFFFFF, bytes({0xFF, 0xFF, 0xFF, 0xFF})}};
  for (const Case& c : cases) {
    // Option 2 is unassigned, so no registered length limit applies.
    const ByteVector encoded =
        encode(MessageBuilder(Type::con, Code::get, 1).uint_option(static_cast<OptionNumber>(2), c.value));
    const ByteVector expected = bytes({0x40, 0x01, 0x00, 0x01, 0x20 | static_cast<int>(c.bytes.size())}) + c.bytes;
    EXPECT_EQ(encoded, expected) << c.value;
    Result<MessageView> m = decode(encoded);
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(*m->options().begin()->as_uint(), c.value);
  }
  // Max-Age (14): delta nibble 13 plus one extension byte.
  EXPECT_EQ(encode(MessageBuilder(Type::con, Code::get, 1).max_age(60)), bytes({0x40, 0x01, 0x00, 0x01, 0xD1, 0x01, 60}));
}

TEST(CoapEncode, PathSplitting) {
  struct Case {
    std::string_view path;
    std::vector<std::string_view> segments;
  };
  const Case cases[] = {{"", {}},           {"/", {}},           {"/a", {"a"}},
                        {"a/b", {"a", "b"}}, {"/3/0/1", {"3", "0", "1"}}, {"/a/", {"a", ""}},
                        {"//", {"", ""}}};
  for (const Case& c : cases) {
    const ByteVector encoded = encode(MessageBuilder(Type::con, Code::get, 1).uri_path(c.path));
    Result<MessageView> m = decode(encoded);
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(texts(m->uri_path()), c.segments) << c.path;
  }
}

TEST(CoapEncode, EmptyPayloadWritesNoMarker) {
  EXPECT_EQ(encode(MessageBuilder(Type::ack, Code::changed, 9).payload({})), bytes({0x60, 0x44, 0x00, 0x09}));
}

// Option number 2 (unassigned, elective) with values across the extended-length boundaries.
TEST(CoapEncode, ExtendedLengthBoundaries) {
  struct Case {
    uint32_t length;
    ByteVector head;  // the option's first bytes: nibbles and extension
  };
  const Case cases[] = {{12, bytes({0x2C})},
                        {13, bytes({0x2D, 0x00})},
                        {268, bytes({0x2D, 0xFF})},
                        {269, bytes({0x2E, 0x00, 0x00})},
                        {65804, bytes({0x2E, 0xFF, 0xFF})}};
  for (const Case& c : cases) {
    const ByteVector value(c.length, 0x5A);
    const ByteVector encoded = encode(
        MessageBuilder(Type::con, Code::put, 1).opaque_option(static_cast<OptionNumber>(2), value), 70000);
    EXPECT_EQ(encoded, bytes({0x40, 0x03, 0x00, 0x01}) + c.head + value) << c.length;
    Result<MessageView> m = decode(encoded);
    ASSERT_TRUE(m.ok()) << c.length;
    EXPECT_EQ(m->options().begin()->value.size(), c.length);
  }
  MessageBuilder too_long(Type::con, Code::put, 1);
  too_long.opaque_option(static_cast<OptionNumber>(2), ByteVector(65805));
  EXPECT_EQ(too_long.error(), Error::option_too_long);
}

TEST(CoapEncode, ExtendedDeltaBoundaries) {
  struct Case {
    uint16_t number;
    ByteVector head;
  };
  const Case cases[] = {{12, bytes({0xC0})},
                        {13, bytes({0xD0, 0x00})},
                        {268, bytes({0xD0, 0xFF})},
                        {269, bytes({0xE0, 0x00, 0x00})},
                        {65535, bytes({0xE0, 0xFE, 0xF2})}};
  for (const Case& c : cases) {
    const ByteVector encoded =
        encode(MessageBuilder(Type::con, Code::get, 1).empty_option(static_cast<OptionNumber>(c.number)));
    EXPECT_EQ(encoded, bytes({0x40, 0x01, 0x00, 0x01}) + c.head) << c.number;
    Result<MessageView> m = decode(encoded);
    ASSERT_TRUE(m.ok()) << c.number;
    EXPECT_EQ(to_uint(m->options().begin()->number), c.number);
  }
  // The same boundaries as deltas between two options.
  const ByteVector two = encode(MessageBuilder(Type::con, Code::get, 1)
                                    .empty_option(static_cast<OptionNumber>(100))
                                    .empty_option(static_cast<OptionNumber>(100 + 269)));
  EXPECT_EQ(two, bytes({0x40, 0x01, 0x00, 0x01, 0xD0, 100 - 13, 0xE0, 0x00, 0x00}));
}

TEST(CoapEncode, EmptyMessages) {
  ByteVector buf(8);
  ByteWriter ack(buf);
  EXPECT_EQ(write_empty(Type::ack, 0xABCD, ack), Error::ok);
  EXPECT_EQ(ByteVector(ack.written().begin(), ack.written().end()), bytes({0x60, 0x00, 0xAB, 0xCD}));
  ByteWriter rst(buf);
  EXPECT_EQ(write_empty(Type::rst, 0x0102, rst), Error::ok);
  EXPECT_EQ(ByteVector(rst.written().begin(), rst.written().end()), bytes({0x70, 0x00, 0x01, 0x02}));
  ByteWriter small(buf.data(), 3);
  EXPECT_EQ(write_empty(Type::rst, 0x0102, small), Error::buffer_too_small);
}

TEST(CoapEncode, PingAndReset) {
  const ByteVector ping = bytes({0x40, 0x00, 0x12, 0x34});
  Result<MessageView> m = decode(ping);
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(is_ping(*m));
  EXPECT_FALSE(is_reset(*m));

  const ByteVector reset = encode(MessageBuilder(Type::rst, Code::empty, 0x1234));
  Result<MessageView> r = decode(reset);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(is_reset(*r));
  EXPECT_FALSE(is_ping(*r));
  EXPECT_EQ(r->message_id(), 0x1234);

  const ByteVector request = encode(MessageBuilder(Type::con, Code::get, 1));
  Result<MessageView> get = decode(request);
  ASSERT_TRUE(get.ok());
  EXPECT_FALSE(is_ping(*get));
}

MessageBuilder any_request() { return MessageBuilder(Type::con, Code::get, 1); }

Error write_error(const MessageBuilder& b) {
  ByteVector buf(256);
  ByteWriter w(buf);
  return b.write(w);
}

TEST(CoapEncode, Errors) {
  EXPECT_EQ(write_error(any_request().token(ByteVector(9))), Error::token_too_long);
  EXPECT_EQ(write_error(any_request().uint_option(OptionNumber::content_format, 0x10000)), Error::option_too_long);
  EXPECT_EQ(write_error(any_request().observe(0x1000000)), Error::option_too_long);
  EXPECT_EQ(write_error(any_request().etag({})), Error::bad_option);
  EXPECT_EQ(write_error(any_request().etag(ByteVector(9))), Error::option_too_long);
  EXPECT_EQ(write_error(any_request().uri_path("/" + std::string(256, 'a'))), Error::option_too_long);
  EXPECT_EQ(write_error(any_request().string_option(OptionNumber::uri_host, "")), Error::bad_option);
  EXPECT_EQ(write_error(any_request().empty_option(OptionNumber::if_match)), Error::ok);
  EXPECT_EQ(write_error(MessageBuilder(Type::ack, Code::empty, 1).token(kToken)), Error::malformed);
  EXPECT_EQ(write_error(MessageBuilder(Type::ack, Code::empty, 1).payload(kToken)), Error::malformed);

  MessageBuilder full = any_request();
  for (size_t i = 0; i < MessageBuilder::kMaxOptions; ++i) full.uri_query("q");
  EXPECT_EQ(full.error(), Error::ok);
  full.uri_query("one too many");
  EXPECT_EQ(write_error(full), Error::too_many_items);

  ByteVector small(10);
  ByteWriter w(small);
  EXPECT_EQ(any_request().uri_path("/temperature").write(w), Error::buffer_too_small);
}

TEST(CoapEncode, FirstErrorSticks) {
  MessageBuilder b = any_request();
  b.token(ByteVector(9)).etag({}).uri_path("/a");
  EXPECT_EQ(b.error(), Error::token_too_long);
}

}  // namespace
}  // namespace tl::wire::coap
