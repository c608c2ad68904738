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
  const auto id = rig.core->device("node-1")->device;
  const auto latest = rig.store->latest_values(id, *store::Path::parse("/33650"));
  ASSERT_EQ(latest.size(), 2u);
  EXPECT_EQ(std::get<int64_t>(latest[0].value), 12);
  EXPECT_EQ(rig.core->stats().values_stored, 2u);
}

TEST(Send, RefusedWhileTheStoreIsBehindAndTakenAgainOnceItCaughtUp) {
  CoreConfig config;
  config.store_backlog_limit = 3;  // one Send of two values fills it
  CoreRig rig(config);
  rig.register_device(peer(1), "node-1");
  const auto payload = senml_counters();
  const auto send = [&](Type type, uint16_t mid) {
    MessageBuilder b(type, Code::post, mid);
    b.token({kToken, 2}).uri_path("/dp").content_format(ContentFormat::senml_cbor).payload({payload.data(), payload.size()});
    std::vector<uint8_t> bytes(512);
    wire::ByteWriter w(wire::MutableBytes(bytes.data(), bytes.size()));
    EXPECT_EQ(b.write(w), wire::Error::ok);
    rig.core->on_datagram(peer(1), w.written(), false, {});
    rig.core->flush();  // handed to the store; its completion waits for the test's pump
  };
  send(Type::con, 1);
  EXPECT_TRUE(rig.link.sent.empty());  // answered once durable
  EXPECT_GE(rig.core->stats().store_backlog, config.store_backlog_limit);
  send(Type::con, 2);
  const Sent answer = rig.last();
  const auto refused = answer.view();
  EXPECT_EQ(refused.code(), Code::service_unavailable);
  EXPECT_EQ(refused.message_id(), 2);
  EXPECT_EQ(refused.max_age(), 5u);
  send(Type::non, 3);
  EXPECT_TRUE(rig.link.sent.empty());  // dropped: a NON 2.04 would say it was stored
  EXPECT_EQ(rig.core->stats().reports_shed, 2u);

  rig.settle();
  EXPECT_EQ(rig.last().view().code(), Code::changed);
  EXPECT_EQ(rig.core->stats().store_backlog, 0u);
  EXPECT_EQ(rig.core->stats().values_stored, 2u);  // durable ones only
  send(Type::con, 4);
  rig.settle();
  EXPECT_EQ(rig.last().view().code(), Code::changed);
  EXPECT_EQ(rig.core->stats().values_stored, 4u);
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
  EXPECT_TRUE(rig.store->latest_values(rig.core->device("node-1")->device).empty());
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

std::string uri_of(const Sent& s) {
  std::string uri;
  for (const auto& o : s.view().uri_path()) uri += "/" + std::string(reinterpret_cast<const char*>(o.value.data()), o.value.size());
  return uri;
}

// The Observe GETs among what the core sent since the last look (and forget the rest).
std::vector<Sent> observe_requests(CoreRig& rig) {
  std::vector<Sent> out;
  for (const Sent& s : rig.link.sent) {
    const auto v = s.view();
    if (v.code() == Code::get && v.observe() && *v.observe() == 0) out.push_back(s);
  }
  rig.link.sent.clear();
  return out;
}

MessageBuilder register_with(uint16_t mid, const std::string& ep_query, std::string_view links) {
  MessageBuilder b(Type::con, Code::post, mid);
  b.token({kToken, 2}).uri_path("/rd").uri_query(ep_query).uri_query("lt=300");
  b.content_format(ContentFormat::link_format).payload(wire::as_bytes(links));
  return b;
}

TEST(Observations, StandingObservationsStartAfterRegisterAndAfterTheFirstUpdateOfARestart) {
  CoreConfig config;
  config.observe_on_register = {*store::Path::parse("/33650")};
  CoreRig rig(config);
  const std::string with = "ep=with", without = "ep=without";
  rig.deliver(peer(1), register_with(1, with, "</1/0>,</3/0>,</33650/0>,</33650/1>"));
  auto gets = observe_requests(rig);
  ASSERT_EQ(gets.size(), 1u);
  EXPECT_EQ(uri_of(gets[0]), "/33650");
  rig.deliver(peer(2), register_with(2, without, "</1/0>,</3/0>"));
  EXPECT_TRUE(observe_requests(rig).empty());  // no object 33650: nothing to observe

  // The device accepts; its notifications are stored.
  const auto get = gets[0].view();
  const auto counters = senml_counters();
  MessageBuilder ok(Type::ack, Code::content, get.message_id());
  ok.token(get.token()).observe(1).content_format(ContentFormat::senml_cbor).payload({counters.data(), counters.size()});
  rig.deliver(peer(1), ok);
  MessageBuilder notification(Type::non, Code::content, 77);
  notification.token(get.token()).observe(2).content_format(ContentFormat::senml_cbor).payload({counters.data(), counters.size()});
  rig.deliver(peer(1), notification);
  EXPECT_EQ(rig.core->stats().notifications_stored, 1u);  // the Observe's answer is not a notification
  EXPECT_EQ(rig.core->stats().values_stored, 4u);
  const auto id = rig.core->device("with")->device;
  EXPECT_EQ(rig.store->latest_values(id, *store::Path::parse("/33650")).size(), 2u);
  // Its next Update starts nothing more: the observation is live.
  const std::string location = "rd/" + rig.core->device("with")->registration_id;
  rig.update(peer(1), location);
  EXPECT_TRUE(observe_requests(rig).empty());

  // A restart forgets the observation's token; the device's next Update brings it back.
  rig.core = std::make_unique<Core>(config, rig.link, *rig.store);
  ASSERT_EQ(rig.core->load(), 2u);
  rig.update(peer(1), location);
  gets = observe_requests(rig);
  ASSERT_EQ(gets.size(), 1u);
  EXPECT_EQ(uri_of(gets[0]), "/33650");
}

// Queue mode: what waits for a sleeping device is stored whole, survives a restart of the server
// and goes out after the device's next Update; what waited too long expires.
DeviceRequest queued_write() {
  DeviceRequest w;
  w.op = Operation::write_replace;
  w.path = *store::Path::parse("/1/0/1");
  w.values = {{0, *store::Path::parse("/1/0/1"), 0, store::Value{int64_t{600}}}};
  return w;
}

TEST(QueueMode, QueuedRequestsSurviveARestartAndGoOutAfterTheNextUpdate) {
  CoreRig rig;
  const std::string location = rig.register_device(peer(1), "sleepy", 3600, "UQ");
  rig.link.mono += 30'000;  // past the awake time: asleep
  std::vector<Outcome> got;
  rig.core->request("sleepy", queued_write(), [&](Outcome o) { got.push_back(std::move(o)); });
  DeviceRequest reboot;
  reboot.op = Operation::execute;
  reboot.path = *store::Path::parse("/3/0/4");
  rig.core->request("sleepy", reboot, [&](Outcome o) { got.push_back(std::move(o)); });
  rig.settle();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].status, OutcomeStatus::queued);
  EXPECT_TRUE(rig.link.sent.empty());
  const auto id = rig.core->device("sleepy")->device;
  const auto stored = rig.store->requests_of(id);
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].kind, store::RequestKind::write);
  EXPECT_EQ(stored[1].kind, store::RequestKind::execute);

  rig.core = std::make_unique<Core>(CoreConfig{}, rig.link, *rig.store);
  ASSERT_EQ(rig.core->load(), 1u);
  EXPECT_EQ(rig.core->stats().requests_queued, 2u);
  rig.update(peer(1), location);
  std::vector<std::string> requests;
  for (const Sent& s : rig.link.sent) {
    const auto v = s.view();
    if (v.code() == Code::put) {
      const auto values = codec::decode(*v.content_format() == ContentFormat::senml_cbor ? codec::cf::senml_cbor : codec::cf::tlv,
                                        v.payload(), *store::Path::parse("/1/0/1"), 0, 0);
      ASSERT_TRUE(values) << values.error();
      EXPECT_EQ(values->at(0).value, store::Value{int64_t{600}});
    }
    if (v.code() == Code::put || v.code() == Code::post) requests.push_back(uri_of(s));
  }
  EXPECT_EQ(requests, (std::vector<std::string>{"/1/0/1", "/3/0/4"}));
  EXPECT_EQ(rig.core->stats().requests_queued, 0u);
}

TEST(QueueMode, AQueuedRequestExpiresAtItsTimeBeforeOrAfterARestart) {
  CoreRig rig;
  rig.register_device(peer(1), "sleepy", 3600, "UQ");
  rig.link.mono += 30'000;
  DeviceRequest w = queued_write();
  w.queue_expiry_s = 10;
  rig.core->request("sleepy", w, [](Outcome) {});
  DeviceRequest later = queued_write();
  later.queue_expiry_s = 100;
  rig.core->request("sleepy", later, [](Outcome) {});
  rig.settle();
  rig.link.mono += 9'000;
  rig.core->poll();
  EXPECT_EQ(rig.core->stats().requests_queued, 2u);
  rig.link.mono += 2'000;
  rig.link.wall += 11'000;
  rig.core->poll();
  rig.settle();
  EXPECT_EQ(rig.core->stats().requests_queued, 1u);
  const auto id = rig.core->device("sleepy")->device;
  EXPECT_EQ(rig.store->requests_of(id).at(0).state, store::RequestState::expired);

  // The second one's time runs out while the server is down.
  rig.core.reset();
  rig.link.wall += 100'000;
  rig.core = std::make_unique<Core>(CoreConfig{}, rig.link, *rig.store);
  rig.core->load();
  rig.settle();
  EXPECT_EQ(rig.core->stats().requests_queued, 0u);
  EXPECT_EQ(rig.store->requests_of(id).at(1).state, store::RequestState::expired);
}

TEST(Observations, AnObservationAskedForOutlivesARestartUntilCancelled) {
  CoreRig rig;
  const std::string location = rig.register_device(peer(1), "node-1");
  DeviceRequest observe;
  observe.op = Operation::observe;
  observe.path = *store::Path::parse("/3/0/9");
  std::vector<Outcome> got;
  rig.core->request("node-1", observe, [&](Outcome o) { got.push_back(std::move(o)); });
  auto gets = observe_requests(rig);
  ASSERT_EQ(gets.size(), 1u);
  const auto get = gets[0].view();
  MessageBuilder ok(Type::ack, Code::content, get.message_id());
  ok.token(get.token()).observe(1).content_format(ContentFormat::text_plain).payload(wire::as_bytes("87"));
  rig.deliver(peer(1), ok);
  ASSERT_EQ(got.size(), 1u);
  const auto id = rig.core->device("node-1")->device;
  EXPECT_EQ(rig.store->observations(), (std::vector<store::Observation>{{id, observe.path, 0xFFFF}}));

  rig.core = std::make_unique<Core>(CoreConfig{}, rig.link, *rig.store);
  ASSERT_EQ(rig.core->load(), 1u);
  rig.update(peer(1), location);
  gets = observe_requests(rig);
  ASSERT_EQ(gets.size(), 1u);
  EXPECT_EQ(uri_of(gets[0]), "/3/0/9");

  DeviceRequest cancel;
  cancel.op = Operation::cancel_observe;
  cancel.path = observe.path;
  rig.core->request("node-1", cancel, [](Outcome) {});
  rig.settle();
  EXPECT_TRUE(rig.store->observations().empty());
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
