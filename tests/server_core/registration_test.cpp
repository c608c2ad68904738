// The registration interface against bad and hostile input: every refusal has its CoAP code,
// and nothing is registered or stored half-way.
#include <gtest/gtest.h>

#include "fake_link.hpp"

namespace tl::server::core::test {
namespace {

using wire::coap::Code;
using wire::coap::ContentFormat;
using wire::coap::MessageBuilder;
using wire::coap::Type;

const uint8_t kToken[] = {9, 9};

MessageBuilder reg(uint16_t mid, std::initializer_list<const char*> query, std::string_view links = "</3/0>") {
  MessageBuilder b(Type::con, Code::post, mid);
  b.token({kToken, 2}).uri_path("/rd");
  for (const char* q : query) b.uri_query(q);
  b.content_format(ContentFormat::link_format).payload(wire::as_bytes(links));
  return b;
}

Code answer_to(CoreRig& rig, const MessageBuilder& b, const Peer& from = peer(1)) {
  rig.deliver(from, b);
  return rig.last().view().code();
}

TEST(Registration, RegisterUpdateDeregister) {
  CoreRig rig;
  const std::string location = rig.register_device(peer(1), "node-1");
  EXPECT_EQ(location.substr(0, 3), "rd/");
  ASSERT_TRUE(rig.core->device("node-1"));
  EXPECT_TRUE(rig.store->registration("node-1"));  // durable before the 2.01

  MessageBuilder upd(Type::con, Code::post, 500);
  upd.token({kToken, 2}).uri_path(location).uri_query("lt=600");
  EXPECT_EQ(answer_to(rig, upd), Code::changed);
  EXPECT_EQ(rig.core->device("node-1")->lifetime_s, 600u);
  EXPECT_EQ(rig.store->registration("node-1")->lifetime_s, 600u);

  MessageBuilder del(Type::con, Code::delete_, 501);
  del.token({kToken, 2}).uri_path(location);
  EXPECT_EQ(answer_to(rig, del), Code::deleted);
  EXPECT_FALSE(rig.core->device("node-1"));
  EXPECT_FALSE(rig.store->registration("node-1"));
  // The old location is gone.
  MessageBuilder again(Type::con, Code::post, 502);
  again.token({kToken, 2}).uri_path(location);
  EXPECT_EQ(answer_to(rig, again), Code::not_found);
}

TEST(Registration, BadRegistersAreRefusedWithTheirCode) {
  CoreRig rig;
  EXPECT_EQ(answer_to(rig, reg(1, {"lt=60"})), Code::bad_request);                        // no ep
  EXPECT_EQ(answer_to(rig, reg(2, {"ep="})), Code::bad_request);                          // empty ep
  EXPECT_EQ(answer_to(rig, reg(3, {"ep=a", "lt=abc"})), Code::bad_request);               // lifetime
  EXPECT_EQ(answer_to(rig, reg(4, {"ep=a", "lt=0"})), Code::bad_request);                 // below the minimum
  EXPECT_EQ(answer_to(rig, reg(5, {"ep=a", "lwm2m=9.9"})), Code::precondition_failed);    // version
  EXPECT_EQ(answer_to(rig, reg(6, {"ep=a", "b=X"})), Code::bad_request);                  // binding
  EXPECT_EQ(answer_to(rig, reg(7, {"ep=a"}, "</3/0")), Code::bad_request);                // link format
  EXPECT_EQ(answer_to(rig, reg(8, {"ep=a"}, "</x/y>")), Code::bad_request);               // not a path
  EXPECT_EQ(answer_to(rig, reg(9, {"ep=a"}, std::string(5000, ' '))), Code::request_entity_too_large);
  MessageBuilder cbor(Type::con, Code::post, 10);
  cbor.token({kToken, 2}).uri_path("/rd").uri_query("ep=a").content_format(ContentFormat::cbor).payload(wire::as_bytes("</3/0>"));
  EXPECT_EQ(answer_to(rig, cbor), Code::unsupported_content_format);
  EXPECT_EQ(rig.core->device_count(), 0u);
  EXPECT_FALSE(rig.store->registration("a"));
}

TEST(Registration, RetransmittedRegisterGetsTheSameLocation) {
  CoreRig rig;
  rig.deliver(peer(1), reg(42, {"ep=dup"}));
  const auto first = rig.last();
  rig.deliver(peer(1), reg(42, {"ep=dup"}));
  const auto second = rig.last();
  EXPECT_EQ(first.bytes, second.bytes);
  EXPECT_EQ(rig.core->stats().registrations, 1u);
  EXPECT_EQ(rig.core->stats().duplicates, 1u);
}

TEST(Registration, AnEndpointBoundToAPskIdentityCannotBeClaimed) {
  CoreRig rig;
  // Over DTLS the identity must be the endpoint (or map to it).
  rig.deliver(peer(1), reg(1, {"ep=node-1"}), true, "node-2");
  EXPECT_EQ(rig.last().view().code(), Code::forbidden);
  rig.deliver(peer(1), reg(2, {"ep=node-1"}), true, "node-1");
  EXPECT_EQ(rig.last().view().code(), Code::created);
  // A plain Register for the secure device's name, from anywhere: refused, the registration kept.
  EXPECT_EQ(answer_to(rig, reg(3, {"ep=node-1"}), peer(9)), Code::forbidden);
  EXPECT_TRUE(rig.core->device("node-1")->secure);
  // Its Update over plain CoAP: refused too.
  MessageBuilder upd(Type::con, Code::post, 4);
  const std::string secure_location = "rd/" + rig.core->device("node-1")->registration_id;
  upd.token({kToken, 2}).uri_path(secure_location);
  EXPECT_EQ(answer_to(rig, upd, peer(9)), Code::forbidden);
}

TEST(Registration, NoSecRefusedWhenTheServerSaysSo) {
  CoreConfig c;
  c.allow_nosec = false;
  CoreRig rig(c);
  EXPECT_EQ(answer_to(rig, reg(1, {"ep=n"})), Code::forbidden);
}

TEST(Registration, LifetimeRunsOut) {
  CoreRig rig;
  std::vector<EventKind> kinds;
  auto sub = rig.core->events().subscribe([&](const Event& e) { kinds.push_back(e.kind); });
  rig.register_device(peer(1), "short", 10);
  rig.link.mono += 9'000;
  rig.core->poll();
  EXPECT_TRUE(rig.core->device("short"));
  rig.link.mono += 2'000;
  rig.core->poll();
  rig.settle();
  EXPECT_FALSE(rig.core->device("short"));
  EXPECT_FALSE(rig.store->registration("short"));
  EXPECT_EQ(kinds, (std::vector<EventKind>{EventKind::registered, EventKind::expired}));
}

TEST(Registration, RestartRebuildsTheRegistryFromTheStore) {
  CoreRig rig;
  const std::string location = rig.register_device(peer(1), "kept", 300, "UQ");
  rig.core = std::make_unique<Core>(CoreConfig{}, rig.link, *rig.store);
  EXPECT_EQ(rig.core->load(), 1u);
  const auto d = rig.core->device("kept");
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->queue_mode);
  EXPECT_EQ("rd/" + d->registration_id, location);  // the device's Updates still match
  rig.update(peer(1), location);
  EXPECT_EQ(rig.last().view().code(), Code::changed);
}

TEST(Datagrams, GarbageNeverCrashesAndConfirmableGarbageIsReset) {
  CoreRig rig;
  rig.deliver_raw(peer(1), {0xFF, 0x00});  // not CoAP
  EXPECT_TRUE(rig.link.sent.empty());
  rig.deliver_raw(peer(1), {0x40, 0x01, 0x12, 0x34, 0xFF});  // CON GET, payload marker, no payload
  ASSERT_EQ(rig.link.sent.size(), 1u);
  EXPECT_EQ(rig.last().view().type(), Type::rst);
  rig.deliver_raw(peer(1), {0x40, 0x00, 0x12, 0x35});  // CoAP ping
  EXPECT_EQ(rig.last().view().type(), Type::rst);
  EXPECT_EQ(rig.core->stats().malformed, 2u);
}

TEST(Datagrams, UnknownPathsAndMethods) {
  CoreRig rig;
  MessageBuilder get(Type::con, Code::get, 1);
  get.token({kToken, 2}).uri_path("/nothing");
  EXPECT_EQ(answer_to(rig, get), Code::not_found);
  MessageBuilder put(Type::con, Code::put, 2);
  put.token({kToken, 2}).uri_path("/rd");
  EXPECT_EQ(answer_to(rig, put), Code::method_not_allowed);
  MessageBuilder send(Type::con, Code::post, 3);
  send.token({kToken, 2}).uri_path("/dp").content_format(ContentFormat::senml_cbor);
  EXPECT_EQ(answer_to(rig, send), Code::forbidden);  // Send before Register
}

TEST(Datagrams, AFloodFromOneAddressIsCutOffOthersGoOn) {
  CoreConfig c;
  c.peer_rate = 10;
  c.peer_burst = 20;
  CoreRig rig(c);
  int admitted = 0;
  for (int i = 0; i < 100; ++i) admitted += rig.core->admit(peer(1)) ? 1 : 0;
  EXPECT_EQ(admitted, 20);
  EXPECT_EQ(rig.core->stats().rate_limited, 80u);
  EXPECT_TRUE(rig.core->admit(peer(2)));
  rig.link.mono += 1'000;  // ten more a second
  admitted = 0;
  for (int i = 0; i < 100; ++i) admitted += rig.core->admit(peer(1)) ? 1 : 0;
  EXPECT_EQ(admitted, 10);
}

}  // namespace
}  // namespace tl::server::core::test
