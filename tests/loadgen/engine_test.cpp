// The Engine without sockets: datagrams captured, answers fed by hand, so the matching rules
// are checked one by one (separate responses, RST, observations on a shared channel).
#include <gtest/gtest.h>

#include <vector>

#include "sim/loadgen/engine.hpp"
#include "sim/loadgen/messages.hpp"
#include "wire/coap/observe.hpp"

namespace tl::sim::loadgen {
namespace {

namespace coap = wire::coap;
using coap::Code;
using coap::MessageBuilder;
using coap::Type;

struct Sent {
  uint32_t channel;
  std::vector<uint8_t> bytes;
  coap::MessageView view() const { return *coap::decode(bytes); }
};

class EngineTest : public ::testing::Test {
 protected:
  Engine make(uint32_t devices, uint32_t per_channel) {
    EngineConfig c;
    c.devices = devices;
    c.per_channel = per_channel;
    c.transmission.ack_timeout_ms = 100;
    c.transmission.max_retransmit = 1;
    return Engine(c, [this](uint32_t ch, std::span<const uint8_t> d) { sent_.push_back({ch, {d.begin(), d.end()}}); });
  }
  static std::vector<uint8_t> bytes(const MessageBuilder& b) {
    std::vector<uint8_t> out(512);
    wire::ByteWriter w(out.data(), out.size());
    EXPECT_EQ(b.write(w), wire::Error::ok);
    out.resize(w.size());
    return out;
  }
  // The server's 2.01 piggybacked on the ACK of sent_[k].
  std::vector<uint8_t> created(size_t k, const char* id) {
    return bytes(MessageBuilder::piggybacked_response(sent_[k].view(), Code::created)
                     .location_path("/rd")
                     .string_option(coap::OptionNumber::location_path, id));
  }
  static std::vector<uint8_t> observe_get(uint64_t token, uint16_t mid, uint32_t observe = 0) {
    const TokenBytes t = token_bytes(token);
    MessageBuilder b(Type::con, Code::get, mid);
    b.token(t.view()).uri_path("/33650").observe(observe);
    return bytes(b);
  }

  std::vector<Sent> sent_;
};

TEST_F(EngineTest, SeparateResponseAfterEmptyAck) {
  Engine e = make(1, 1);
  e.start_register(0, 1000);
  ASSERT_EQ(sent_.size(), 1u);
  const coap::MessageView reg = sent_[0].view();
  uint8_t ack[4];
  e.on_datagram(0, {ack, empty(Type::ack, reg.message_id(), ack)}, 2000);
  EXPECT_EQ(e.outstanding(), 1u);
  // No retransmission once acknowledged.
  e.poll(10'000'000);
  EXPECT_EQ(sent_.size(), 1u);
  MessageBuilder separate(Type::con, Code::created, 77);
  separate.token(reg.token()).location_path("/rd/9");
  e.on_datagram(0, bytes(separate), 5000);
  EXPECT_EQ(e.outstanding(), 0u);
  EXPECT_EQ(e.registered(), 1u);
  EXPECT_EQ(e.endpoint(0).location, "/rd/9");
  EXPECT_EQ(e.stats(Kind::register_).latency.max(), 4000u);
  // The separate CON response is acknowledged.
  ASSERT_EQ(sent_.size(), 2u);
  EXPECT_EQ(sent_[1].view().type(), Type::ack);
  EXPECT_EQ(sent_[1].view().message_id(), 77);
}

TEST_F(EngineTest, ResetIsARejection) {
  Engine e = make(1, 1);
  e.start_register(0, 0);
  uint8_t rst[4];
  e.on_datagram(0, {rst, empty(Type::rst, sent_[0].view().message_id(), rst)}, 10);
  EXPECT_EQ(e.stats(Kind::register_).rejected, 1u);
  EXPECT_EQ(e.stats(Kind::register_).answered, 0u);
  EXPECT_EQ(e.outstanding(), 0u);
}

TEST_F(EngineTest, ErrorCodeIsARejectionAndForeignAckIgnored) {
  Engine e = make(2, 2);
  e.start_register(0, 0);
  e.start_register(1, 0);
  // An ACK with another message ID changes nothing.
  uint8_t other[4];
  e.on_datagram(0, {other, empty(Type::ack, static_cast<uint16_t>(sent_[1].view().message_id() + 7), other)}, 1);
  EXPECT_EQ(e.outstanding(), 2u);
  e.on_datagram(0, bytes(MessageBuilder::piggybacked_response(sent_[0].view(), Code::forbidden)), 2);
  e.on_datagram(0, created(1, "5"), 2);
  EXPECT_EQ(e.stats(Kind::register_).rejected, 1u);
  EXPECT_EQ(e.stats(Kind::register_).answered, 1u);
  EXPECT_EQ(e.registered(), 1u);
  EXPECT_TRUE(e.endpoint(1).registered);
}

TEST_F(EngineTest, ObservationsOnASharedChannelFollowTheRegistrationOrder) {
  Engine e = make(3, 3);
  for (uint32_t i = 0; i < 3; ++i) e.start_register(i, 0);
  // Answered in the order 2, 0, 1: the observations go to the endpoints in that order.
  e.on_datagram(0, created(2, "c"), 1);
  e.on_datagram(0, created(0, "a"), 1);
  e.on_datagram(0, created(1, "b"), 1);
  for (uint64_t t = 0; t < 3; ++t) e.on_datagram(0, observe_get(100 + t, static_cast<uint16_t>(500 + t)), 2);
  ASSERT_EQ(e.observed(), (std::vector<uint32_t>{2, 0, 1}));
  EXPECT_EQ(e.endpoint(2).obs_token, 100u);
  EXPECT_EQ(e.endpoint(1).obs_token, 102u);
  // Each GET was answered 2.05 with Observe 0 and the SenML-CBOR counters.
  const coap::MessageView answer = sent_.back().view();
  EXPECT_EQ(answer.code(), Code::content);
  EXPECT_EQ(answer.message_id(), 502);
  EXPECT_EQ(*answer.observe(), 0u);
  EXPECT_EQ(*answer.content_format(), coap::ContentFormat::senml_cbor);
  // A notification carries the observation's token and the next sequence number.
  e.notify(0, false, 3);
  const coap::MessageView n = sent_.back().view();
  EXPECT_EQ(n.type(), Type::non);
  EXPECT_EQ(token_value(n.token()), 101u);
  EXPECT_EQ(*n.observe(), 1u);
  // A fourth GET finds nobody left to observe: 4.04.
  e.on_datagram(0, observe_get(999, 600), 4);
  EXPECT_EQ(sent_.back().view().code(), Code::not_found);
}

TEST_F(EngineTest, CancelAndObserveAgain) {
  Engine e = make(1, 1);
  e.start_register(0, 0);
  e.on_datagram(0, created(0, "x"), 1);
  e.on_datagram(0, observe_get(7, 1), 2);
  EXPECT_TRUE(e.endpoint(0).observed);
  e.on_datagram(0, observe_get(7, 2, coap::kObserveDeregister), 3);
  EXPECT_FALSE(e.endpoint(0).observed);
  const size_t before = sent_.size();
  e.notify(0, false, 4);  // nothing to notify
  EXPECT_EQ(sent_.size(), before);
  e.on_datagram(0, observe_get(8, 3), 5);
  EXPECT_TRUE(e.endpoint(0).observed);
  EXPECT_EQ(e.endpoint(0).obs_token, 8u);
}

TEST_F(EngineTest, ConNotificationRetransmittedThenGivenUp) {
  Engine e = make(1, 1);
  e.start_register(0, 0);
  e.on_datagram(0, created(0, "x"), 1);
  e.on_datagram(0, observe_get(7, 1), 2);
  e.notify(0, true, 1'000'000);
  const size_t first = sent_.size();
  e.poll(1'200'000);  // past ACK_TIMEOUT * ACK_RANDOM_FACTOR (150 ms)
  EXPECT_EQ(sent_.size(), first + 1);
  EXPECT_EQ(e.stats(Kind::notify).retransmissions, 1u);
  e.poll(2'000'000);
  EXPECT_EQ(e.stats(Kind::notify).timeouts, 1u);
  EXPECT_EQ(e.outstanding(), 0u);
}

TEST_F(EngineTest, SilentDevicesAnswerNothing) {
  EngineConfig c;
  c.devices = 1;
  c.answer_requests = false;
  Engine e(c, [this](uint32_t ch, std::span<const uint8_t> d) { sent_.push_back({ch, {d.begin(), d.end()}}); });
  e.on_datagram(0, observe_get(7, 1), 0);
  EXPECT_TRUE(sent_.empty());
}

}  // namespace
}  // namespace tl::sim::loadgen
