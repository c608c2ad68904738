#include <gtest/gtest.h>

#include <algorithm>

#include "harness.hpp"

namespace tl::client::test {
namespace {

using wire::coap::Code;

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(Registration, RegisterCarriesEndpointLifetimeVersionBindingAndObjects) {
  Rig rig;
  rig.step();
  ASSERT_TRUE(rig.has_output());
  Received reg = rig.take();
  EXPECT_EQ(rig.platform.host, "dm.example");
  EXPECT_EQ(rig.platform.port, 5683);
  EXPECT_EQ(reg.m.code(), Code::post);
  EXPECT_EQ(reg.m.type(), Type::con);
  EXPECT_EQ(reg.path(), "/rd");
  const auto q = reg.queries();
  EXPECT_TRUE(contains(q, "ep=node-1"));
  EXPECT_TRUE(contains(q, "lt=300"));
  EXPECT_TRUE(contains(q, "lwm2m=1.1"));
  EXPECT_TRUE(contains(q, "b=U"));
  // Object 0 is never listed; versions other than 1.0 are.
  EXPECT_EQ(reg.payload_text(), "</1>;ver=1.1,</1/0>,</3>;ver=1.1,</3/0>,</3303>;ver=1.1,</3303/0>,</33654/0>");
  rig.reply(reg, Code::created, "/rd/ab12");
  rig.step();
  EXPECT_EQ(rig.client->state(), Engine::State::registered);
}

TEST(Registration, QueueModeBindingIsUQ) {
  Rig rig(false, true);
  rig.step();
  EXPECT_TRUE(contains(rig.take().queries(), "b=UQ"));
}

TEST(Registration, RetransmitsRegisterUntilAnswered) {
  Rig rig;
  rig.step();
  Received first = rig.take();
  rig.advance(3'100);  // the first timeout is 2..3 s
  ASSERT_TRUE(rig.has_output());
  Received again = rig.take();
  EXPECT_EQ(again.m.message_id(), first.m.message_id());
  rig.reply(again, Code::created, "/rd/ab12");
  rig.step();
  EXPECT_EQ(rig.client->state(), Engine::State::registered);
}

TEST(Registration, UpdateBeforeLifetimeExpires) {
  Rig rig;
  rig.register_client();
  // Lifetime 300 s, MAX_TRANSMIT_WAIT 93 s: the Update is due at 207 s.
  rig.advance(206'000);
  EXPECT_FALSE(rig.has_output());
  rig.advance(2'000);
  ASSERT_TRUE(rig.has_output());
  Received upd = rig.take();
  EXPECT_EQ(upd.m.code(), Code::post);
  EXPECT_EQ(upd.path(), "/rd/ab12");
  EXPECT_TRUE(upd.queries().empty());
  EXPECT_TRUE(upd.m.payload().empty());
  rig.reply(upd, Code::changed);
  rig.step();
  // The next one a full period later.
  rig.advance(206'000);
  EXPECT_FALSE(rig.has_output());
  rig.advance(2'000);
  EXPECT_TRUE(rig.has_output());
}

TEST(Registration, ReRegistersWhenUpdateGets404) {
  Rig rig;
  rig.register_client();
  rig.advance(208'000);
  Received upd = rig.take();
  rig.reply(upd, Code::not_found);
  rig.step();
  ASSERT_TRUE(rig.has_output());
  Received reg = rig.take();
  EXPECT_EQ(reg.path(), "/rd");
  EXPECT_FALSE(reg.m.payload().empty());
}

TEST(Registration, LifetimeWriteSendsUpdateWithLt) {
  Rig rig;
  rig.register_client();
  MessageBuilder b = rig.req(Code::put, "/1/0/1");
  b.content_format(wire::coap::ContentFormat::text_plain).payload(wire::as_bytes("600"));
  EXPECT_EQ(rig.request(b).m.code(), Code::changed);
  rig.step();
  ASSERT_TRUE(rig.has_output());
  Received upd = rig.take();
  EXPECT_EQ(upd.path(), "/rd/ab12");
  EXPECT_TRUE(contains(upd.queries(), "lt=600"));
  EXPECT_TRUE(contains(upd.queries(), "b=U"));
}

TEST(Registration, CreateSendsUpdateWithObjectList) {
  Rig rig;
  rig.register_client();
  MessageBuilder b = rig.req(Code::post, "/3303");
  // Object instance 2 holding resource 5750 "room2".
  const uint8_t tlv[] = {0x08, 0x02, 0x08, 0xE5, 0x16, 0x76, 'r', 'o', 'o', 'm', '2'};
  b.content_format(wire::coap::ContentFormat::lwm2m_tlv).payload(tlv);
  Received created = rig.request(b);
  EXPECT_EQ(created.m.code(), Code::created);
  EXPECT_EQ(created.location, "/3303/2");
  rig.step();
  Received upd = rig.take();
  EXPECT_EQ(upd.path(), "/rd/ab12");
  EXPECT_NE(upd.payload_text().find("</3303/2>"), std::string::npos);
}

TEST(Registration, UpdateTriggerExecute) {
  Rig rig;
  rig.register_client();
  MessageBuilder b = rig.req(Code::post, "/1/0/8");
  EXPECT_EQ(rig.request(b).m.code(), Code::changed);
  rig.step();
  ASSERT_TRUE(rig.has_output());
  EXPECT_EQ(rig.take().path(), "/rd/ab12");
}

// Disable (1/0/4): answered, then De-register; silence for the Disable Timeout (5, here 60 s);
// then a new Register.
TEST(Registration, DisableDeregistersThenRegistersAfterTheTimeout) {
  Rig rig;
  rig.register_client();
  MessageBuilder timeout = rig.req(Code::put, "/1/0/5");
  timeout.content_format(wire::coap::ContentFormat::text_plain).payload(wire::as_bytes("60"));
  ASSERT_EQ(rig.request(timeout).m.code(), Code::changed);
  MessageBuilder disable = rig.req(Code::post, "/1/0/4");
  EXPECT_EQ(rig.request(disable).m.code(), Code::changed);
  rig.step();
  ASSERT_TRUE(rig.has_output());
  Received del = rig.take();
  EXPECT_EQ(del.m.code(), Code::delete_);
  EXPECT_EQ(del.path(), "/rd/ab12");
  rig.reply(del, Code::deleted);
  rig.step();
  rig.advance(59'000);
  EXPECT_FALSE(rig.has_output());
  rig.advance(2'000);
  ASSERT_TRUE(rig.has_output());
  EXPECT_EQ(rig.take().path(), "/rd");
}

TEST(Registration, Deregister) {
  Rig rig;
  rig.register_client();
  rig.client->deregister();
  Received del = rig.take();
  EXPECT_EQ(del.m.code(), Code::delete_);
  EXPECT_EQ(del.path(), "/rd/ab12");
  rig.reply(del, Code::deleted);
  rig.step();
  EXPECT_EQ(rig.client->state(), Engine::State::deregistered);
}

TEST(Registration, FailedRegisterBacksOffThenBootstraps) {
  Rig rig;
  rig.step();
  rig.reply(rig.take(), Code::forbidden);
  rig.step();
  EXPECT_EQ(rig.client->state(), Engine::State::backoff);
  rig.advance(14'000);
  EXPECT_FALSE(rig.has_output());
  rig.advance(2'000);
  Received bs = rig.take();
  EXPECT_EQ(bs.path(), "/bs");
  EXPECT_EQ(rig.platform.host, "bs.example");
}

}  // namespace
}  // namespace tl::client::test
