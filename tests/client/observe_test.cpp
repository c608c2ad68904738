#include <gtest/gtest.h>

#include "harness.hpp"

namespace tl::client::test {
namespace {

using wire::coap::Code;
using wire::coap::ContentFormat;

class Observe : public ::testing::Test {
 protected:
  void SetUp() override { rig.register_client(); }
  void attrs(std::string_view path, std::initializer_list<std::string_view> q) {
    MessageBuilder b = rig.req(Code::put, path);
    for (auto item : q) b.uri_query(item);
    ASSERT_EQ(rig.request(b).m.code(), Code::changed);
  }
  Received observe(std::string_view path, uint32_t value = 0) {
    MessageBuilder b = rig.req(Code::get, path);
    b.observe(value).accept(ContentFormat::text_plain);
    return rig.request(b);
  }
  // Notifications sent so far (drained).
  std::vector<std::string> notes() {
    std::vector<std::string> out;
    while (rig.has_output()) {
      Received r = rig.take();
      if (r.m.observe()) out.push_back(r.payload_text());
    }
    return out;
  }
  Rig rig;
};

TEST_F(Observe, RegisterAnswersWithObserveAndNotifiesChanges) {
  Received r = observe("/3303/0/5700");
  EXPECT_EQ(r.m.code(), Code::content);
  EXPECT_TRUE(r.m.observe());
  EXPECT_EQ(r.payload_text(), "21.5");
  rig.temperature.set(0, 22.f);
  rig.step();
  EXPECT_EQ(notes(), std::vector<std::string>{"22"});
}

TEST_F(Observe, ANewRegistrationDropsObservations) {
  observe("/3303/0/5700");
  rig.advance(208'000);
  Received upd = rig.take();
  rig.reply(upd, Code::not_found);  // the server forgot us: register again
  rig.step();
  Received reg = rig.take();
  ASSERT_EQ(reg.path(), "/rd");
  rig.reply(reg, Code::created, "/rd/cd34");
  rig.step();
  rig.temperature.set(0, 30.f);
  rig.step();
  EXPECT_TRUE(notes().empty());
}

TEST_F(Observe, PminHoldsBack) {
  attrs("/3303/0/5700", {"pmin=10"});
  observe("/3303/0/5700");
  rig.advance(1'000);
  rig.temperature.set(0, 23.f);
  rig.advance(5'000);
  EXPECT_TRUE(notes().empty());
  rig.temperature.set(0, 24.f);
  rig.advance(5'000);
  EXPECT_EQ(notes(), std::vector<std::string>{"24"});  // the value when pmin ends
}

TEST_F(Observe, PmaxForces) {
  attrs("/3303/0/5700", {"pmax=20"});
  observe("/3303/0/5700");
  rig.advance(19'000);
  EXPECT_TRUE(notes().empty());
  rig.advance(1'500);
  EXPECT_EQ(notes(), std::vector<std::string>{"21.5"});
}

TEST_F(Observe, ServerDefaultPmaxApplies) {
  MessageBuilder b = rig.req(Code::put, "/1/0/3");
  b.content_format(ContentFormat::text_plain).payload(wire::as_bytes("30"));
  ASSERT_EQ(rig.request(b).m.code(), Code::changed);
  rig.drain();
  observe("/3303/0/5700");
  rig.advance(29'000);
  for (auto& n : notes()) EXPECT_NE(n, "21.5");
  rig.advance(2'000);
  EXPECT_EQ(notes(), std::vector<std::string>{"21.5"});
}

TEST_F(Observe, GreaterThanCrossing) {
  attrs("/3303/0/5700", {"gt=30"});
  observe("/3303/0/5700");
  rig.temperature.set(0, 25.f);
  rig.step();
  EXPECT_TRUE(notes().empty());
  rig.temperature.set(0, 31.f);
  rig.step();
  EXPECT_EQ(notes(), std::vector<std::string>{"31"});
  rig.temperature.set(0, 35.f);  // still above: no crossing
  rig.step();
  EXPECT_TRUE(notes().empty());
  rig.temperature.set(0, 29.f);
  rig.step();
  EXPECT_EQ(notes(), std::vector<std::string>{"29"});
}

TEST_F(Observe, LessThanCrossing) {
  attrs("/3303/0/5700", {"lt=10"});
  observe("/3303/0/5700");
  rig.temperature.set(0, 12.f);
  rig.step();
  EXPECT_TRUE(notes().empty());
  rig.temperature.set(0, 9.f);
  rig.step();
  EXPECT_EQ(notes(), std::vector<std::string>{"9"});
}

TEST_F(Observe, StepThreshold) {
  attrs("/3303/0/5700", {"st=2"});
  observe("/3303/0/5700");
  rig.temperature.set(0, 22.5f);
  rig.step();
  EXPECT_TRUE(notes().empty());
  rig.temperature.set(0, 23.5f);
  rig.step();
  EXPECT_EQ(notes(), std::vector<std::string>{"23.5"});
}

TEST_F(Observe, EpminDelaysEvaluation) {
  attrs("/3303/0/5700", {"epmin=10", "gt=30"});
  observe("/3303/0/5700");
  rig.temperature.set(0, 31.f);
  rig.advance(2'000);
  EXPECT_TRUE(notes().empty());
  rig.advance(9'000);
  EXPECT_EQ(notes(), std::vector<std::string>{"31"});
}

TEST_F(Observe, EpmaxEvaluatesWithoutChangeNotice) {
  attrs("/3303/0/5700", {"epmax=10", "gt=30"});
  observe("/3303/0/5700");
  rig.temperature.inst[0].value = 40.f;  // changed without calling changed()
  rig.advance(9'000);
  EXPECT_TRUE(notes().empty());
  rig.advance(2'000);
  EXPECT_EQ(notes(), std::vector<std::string>{"40"});
}

TEST_F(Observe, InstanceObservationSeesResourceChange) {
  MessageBuilder b = rig.req(Code::get, "/3303/0");
  b.observe(0).accept(ContentFormat::senml_json);
  EXPECT_TRUE(rig.request(b).m.observe());
  rig.temperature.set(0, 30.f);
  rig.step();
  auto n = notes();
  ASSERT_EQ(n.size(), 1u);
  EXPECT_NE(n[0].find("\"v\":30"), std::string::npos);
}

TEST_F(Observe, CancelWithObserve1) {
  observe("/3303/0/5700");
  Received r = observe("/3303/0/5700", 1);
  EXPECT_EQ(r.m.code(), Code::content);
  EXPECT_FALSE(r.m.observe());
  rig.temperature.set(0, 22.f);
  rig.step();
  EXPECT_TRUE(notes().empty());
}

TEST_F(Observe, CancelWithReset) {
  observe("/3303/0/5700");
  rig.temperature.set(0, 22.f);
  rig.step();
  Received n = rig.take();
  ASSERT_TRUE(n.m.observe());
  MessageBuilder rst(Type::rst, Code::empty, n.m.message_id());
  rig.push(rst);
  rig.step();
  rig.temperature.set(0, 23.f);
  rig.step();
  EXPECT_TRUE(notes().empty());
}

TEST_F(Observe, ConfirmableNotificationsAreRetransmitted) {
  rig.config.confirmable_notifications = true;
  observe("/3303/0/5700");
  rig.temperature.set(0, 22.f);
  rig.step();
  Received n = rig.take();
  EXPECT_EQ(n.m.type(), Type::con);
  rig.advance(3'100);
  Received again = rig.take();
  EXPECT_EQ(again.m.message_id(), n.m.message_id());
  MessageBuilder ack(Type::ack, Code::empty, n.m.message_id());
  rig.push(ack);
  rig.advance(10'000);
  EXPECT_FALSE(rig.has_output());
}

TEST_F(Observe, TableFullAnswersPlainRead) {
  for (int i = 0; i < 4; ++i) {
    MessageBuilder b(Type::con, Code::get, static_cast<uint16_t>(0x300 + i));
    const uint8_t token[] = {static_cast<uint8_t>(i)};
    b.token(token).uri_path("/3/0/0").observe(0);
    EXPECT_TRUE(rig.request(b).m.observe());
  }
  Received r = observe("/3303/0/5700");
  EXPECT_EQ(r.m.code(), Code::content);
  EXPECT_FALSE(r.m.observe());
}

}  // namespace
}  // namespace tl::client::test
