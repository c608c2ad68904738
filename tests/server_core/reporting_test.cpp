// Send (/dp) and notifications: stored before they are acknowledged; bad payloads refused.
#include <gtest/gtest.h>

#include "fake_link.hpp"
#include "server/codec/codec.hpp"

namespace tl::server::core::test {
namespace {

using wire::coap::Code;
using wire::coap::ContentFormat;
using wire::coap::MessageBuilder;
using wire::coap::Type;

const uint8_t kToken[] = {7, 7};

std::vector<uint8_t> senml_counters() {
  const std::vector<store::Sample> s = {{0, *store::Path::parse("/33650/0/2001"), 0, store::Value{int64_t{12}}},
                                        {0, *store::Path::parse("/33650/1/2001"), 0, store::Value{int64_t{3}}}};
  return codec::encode(codec::cf::senml_cbor, store::Path{}, s).value();
}

TEST(Send, ValuesAreStoredThenAcknowledged) {
  CoreRig rig;
  rig.register_device(peer(1), "node-1");
  const auto payload = senml_counters();
  MessageBuilder b(Type::con, Code::post, 900);
  b.token({kToken, 2}).uri_path("/dp").content_format(ContentFormat::senml_cbor).payload({payload.data(), payload.size()});
  rig.deliver(peer(1), b);
  EXPECT_EQ(rig.last().view().code(), Code::changed);
  const auto id = rig.core->device("node-1")->id;
  const auto latest = rig.store->latest_values(id, *store::Path::parse("/33650"));
  ASSERT_EQ(latest.size(), 2u);
  EXPECT_EQ(std::get<int64_t>(latest[0].value), 12);
  EXPECT_EQ(rig.core->stats().values_stored, 2u);
}

TEST(Send, BadPayloadsAreRefusedAndNothingIsStored) {
  CoreRig rig;
  rig.register_device(peer(1), "node-1");
  MessageBuilder garbage(Type::con, Code::post, 901);
  const uint8_t junk[] = {0x9F, 0xA1, 0x00};
  garbage.token({kToken, 2}).uri_path("/dp").content_format(ContentFormat::senml_cbor).payload({junk, sizeof(junk)});
  rig.deliver(peer(1), garbage);
  EXPECT_EQ(rig.last().view().code(), Code::bad_request);
  MessageBuilder tlv(Type::con, Code::post, 902);
  tlv.token({kToken, 2}).uri_path("/dp").content_format(ContentFormat::lwm2m_tlv).payload({junk, sizeof(junk)});
  rig.deliver(peer(1), tlv);
  EXPECT_EQ(rig.last().view().code(), Code::unsupported_content_format);
  EXPECT_TRUE(rig.store->latest_values(rig.core->device("node-1")->id).empty());
}

TEST(Notifications, AnUnknownObservationIsReset) {
  CoreRig rig;
  rig.register_device(peer(1), "node-1");
  MessageBuilder n(Type::con, Code::content, 903);
  const uint8_t token[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  n.token({token, 8}).observe(5).content_format(ContentFormat::text_plain).payload(wire::as_bytes("1"));
  rig.deliver(peer(1), n);
  const auto s = rig.last();
  EXPECT_EQ(s.view().type(), Type::rst);
  EXPECT_EQ(s.view().message_id(), 903);
}

TEST(Requests, ToAnUnknownDeviceOrWithABadPath) {
  CoreRig rig;
  rig.register_device(peer(1), "node-1");
  std::vector<Outcome> got;
  DeviceRequest r;
  r.op = Operation::execute;
  r.path = *store::Path::parse("/3/0");
  rig.core->request("node-1", r, [&](Outcome o) { got.push_back(std::move(o)); });
  rig.core->request("nobody", r, [&](Outcome o) { got.push_back(std::move(o)); });
  DeviceRequest w;
  w.op = Operation::write_replace;
  w.path = *store::Path::parse("/3/0/1");
  rig.core->request("node-1", w, [&](Outcome o) { got.push_back(std::move(o)); });
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].status, OutcomeStatus::bad_request);
  EXPECT_EQ(got[1].status, OutcomeStatus::not_registered);
  EXPECT_EQ(got[2].status, OutcomeStatus::bad_request);  // nothing to write
  EXPECT_TRUE(rig.link.sent.empty());
}

TEST(Requests, ASilentDeviceTimesOutAfterRetransmissions) {
  CoreRig rig;
  rig.register_device(peer(1), "node-1");
  std::vector<Outcome> got;
  DeviceRequest r;
  r.op = Operation::read;
  r.path = *store::Path::parse("/3/0/0");
  r.timeout_ms = 60'000;
  rig.core->request("node-1", r, [&](Outcome o) { got.push_back(std::move(o)); });
  ASSERT_EQ(rig.link.sent.size(), 1u);
  for (int i = 0; i < 60 && got.empty(); ++i) {
    rig.link.mono += 1'000;
    rig.core->poll();
  }
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].status, OutcomeStatus::timeout);
  EXPECT_GE(rig.link.sent.size(), 4u);  // the first copy and retransmissions with back-off
  EXPECT_EQ(rig.core->stats().retransmissions, rig.link.sent.size() - 1);
}

}  // namespace
}  // namespace tl::server::core::test
