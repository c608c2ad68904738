// The small parts: histogram quantiles, addresses, keys, and the datagrams a device sends.
#include <gtest/gtest.h>

#include "sim/loadgen/dtls_net.hpp"
#include "sim/loadgen/histogram.hpp"
#include "sim/loadgen/messages.hpp"
#include "sim/loadgen/udp.hpp"
#include "wire/senml/senml_cbor.hpp"

namespace tl::sim::loadgen {
namespace {

namespace coap = wire::coap;

TEST(Histogram, QuantilesWithinThreePercent) {
  Histogram h;
  for (uint64_t v = 1; v <= 100'000; ++v) h.record(v);
  EXPECT_EQ(h.count(), 100'000u);
  EXPECT_EQ(h.max(), 100'000u);
  for (const double q : {0.5, 0.9, 0.99}) {
    const double want = q * 100'000;
    EXPECT_NEAR(static_cast<double>(h.quantile(q)), want, want * 0.035) << q;
  }
  EXPECT_EQ(Histogram().quantile(0.5), 0u);
}

TEST(Histogram, SmallAndHugeValues) {
  Histogram h;
  h.record(0);
  h.record(7);
  h.record(UINT64_MAX);
  EXPECT_EQ(h.quantile(0.0), 0u);
  EXPECT_EQ(h.quantile(0.4), 7u);
  EXPECT_EQ(h.quantile(1.0), UINT64_MAX);
}

TEST(Address, ParsesHostAndPort) {
  const auto a = parse_address("localhost:5683");
  ASSERT_TRUE(a);
  EXPECT_EQ(format_address(*a), "127.0.0.1:5683");
  EXPECT_FALSE(parse_address("127.0.0.1"));
  EXPECT_FALSE(parse_address("127.0.0.1:0"));
  EXPECT_FALSE(parse_address("127.0.0.1:70000"));
  EXPECT_FALSE(parse_address("example.org:5683"));
}

TEST(Key, HexOrAnExplanation) {
  EXPECT_EQ(parse_hex_key("00aBff"), (std::vector<uint8_t>{0x00, 0xAB, 0xFF}));
  EXPECT_THROW(parse_hex_key(""), std::runtime_error);
  EXPECT_THROW(parse_hex_key("abc"), std::runtime_error);
  EXPECT_THROW(parse_hex_key("zz"), std::runtime_error);
  EXPECT_THROW(parse_hex_key(std::string(66, 'a')), std::runtime_error);
}

TEST(Messages, RegisterAsLwm2mSaysIt) {
  uint8_t buf[512];
  const size_t n = register_request(0x1234, 42, "tl-lg-7", 86400, buf);
  ASSERT_GT(n, 0u);
  const auto m = coap::decode({buf, n});
  ASSERT_TRUE(m);
  EXPECT_EQ(m->type(), coap::Type::con);
  EXPECT_EQ(m->code(), coap::Code::post);
  EXPECT_EQ(m->message_id(), 0x1234);
  EXPECT_EQ(token_value(m->token()), 42u);
  std::vector<std::string> query;
  for (const coap::Option& o : m->uri_query()) query.emplace_back(o.text());
  EXPECT_EQ(query, (std::vector<std::string>{"ep=tl-lg-7", "lt=86400", "lwm2m=1.1", "b=U"}));
  EXPECT_EQ(*m->content_format(), coap::ContentFormat::link_format);
  EXPECT_EQ(wire::as_text(m->payload()), kObjectLinks);
}

TEST(Messages, NotificationIsAboutAHundredBytesOfSenmlCbor) {
  uint8_t buf[512];
  const TokenBytes t = token_bytes(7);
  const size_t n = notification(coap::Type::non, 1, t.view(), 5, 9, buf);
  ASSERT_GT(n, 0u);
  EXPECT_GE(n, 60u);
  EXPECT_LE(n, 140u);
  const auto m = coap::decode({buf, n});
  ASSERT_TRUE(m);
  EXPECT_EQ(m->code(), coap::Code::content);
  EXPECT_EQ(*m->observe(), 5u);
  EXPECT_EQ(*m->content_format(), coap::ContentFormat::senml_cbor);
  wire::senml::CborReader reader(m->payload());
  int records = 0;
  while (auto r = reader.next()) {
    EXPECT_EQ(r->path.object_id(), kObservedObject);
    ++records;
  }
  EXPECT_EQ(records, 6);
}

}  // namespace
}  // namespace tl::sim::loadgen
