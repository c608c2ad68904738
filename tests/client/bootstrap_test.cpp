#include <gtest/gtest.h>

#include "harness.hpp"
#include "wire/lwm2m/tlv.hpp"

namespace tl::client::test {
namespace {

using wire::coap::Code;
using wire::coap::ContentFormat;
using wire::lwm2m::Value;

// The TLV of a server account: object 0 instance 1 and object 1 instance 0.
Datagram security_tlv() {
  uint8_t buf[128];
  wire::ByteWriter w(buf, sizeof(buf));
  wire::lwm2m::tlv::Writer t(w);
  t.resource(0, Value::string("coap://lwm2m.example:5683"));
  t.resource(1, Value::boolean(false));
  t.resource(2, Value::integer(3));
  t.resource(10, Value::integer(42));
  EXPECT_EQ(t.finish(), Error::ok);
  return Datagram(w.written().begin(), w.written().end());
}

Datagram server_tlv() {
  uint8_t buf[64];
  wire::ByteWriter w(buf, sizeof(buf));
  wire::lwm2m::tlv::Writer t(w);
  t.resource(0, Value::integer(42));
  t.resource(1, Value::integer(120));
  t.resource(6, Value::boolean(true));
  t.resource(7, Value::string("U"));
  EXPECT_EQ(t.finish(), Error::ok);
  return Datagram(w.written().begin(), w.written().end());
}

TEST(Bootstrap, FullSequenceThenRegister) {
  Rig rig(true);
  rig.step();
  Received req = rig.take();
  EXPECT_EQ(rig.platform.host, "bs.example");
  EXPECT_EQ(req.path(), "/bs");
  EXPECT_EQ(req.queries(), (std::vector<std::string>{"ep=node-1", "pct=112"}));
  rig.reply(req, Code::changed);
  rig.step();
  EXPECT_EQ(rig.client->state(), Engine::State::bootstrapping);

  MessageBuilder del = rig.req(Code::delete_, "/");
  EXPECT_EQ(rig.request(del).m.code(), Code::deleted);
  EXPECT_NE(rig.client->security().bootstrap_account(), nullptr);  // survives

  const Datagram sec = security_tlv();
  MessageBuilder w0 = rig.req(Code::put, "/0/1");
  w0.content_format(ContentFormat::lwm2m_tlv).payload(sec);
  EXPECT_EQ(rig.request(w0).m.code(), Code::changed);

  // Finish before the server object exists: the configuration is unusable.
  MessageBuilder early = rig.req(Code::post, "/bs");
  EXPECT_EQ(rig.request(early).m.code(), Code::not_acceptable);

  const Datagram srv = server_tlv();
  MessageBuilder w1 = rig.req(Code::put, "/1/0");
  w1.content_format(ContentFormat::lwm2m_tlv).payload(srv);
  EXPECT_EQ(rig.request(w1).m.code(), Code::changed);

  MessageBuilder disc = rig.req(Code::get, "/");
  disc.accept(ContentFormat::link_format);
  Received d = rig.request(disc);
  EXPECT_EQ(d.m.code(), Code::content);
  EXPECT_EQ(d.payload_text().rfind("</>;lwm2m=1.1,</0>;ver=1.1,</0/0>;uri=\"coap://bs.example:5783\",</0/1>;ssid=42;", 0), 0u)
      << d.payload_text();

  MessageBuilder fin = rig.req(Code::post, "/bs");
  EXPECT_EQ(rig.request(fin).m.code(), Code::changed);
  EXPECT_TRUE(rig.platform.kv.count("tl.sec"));
  rig.step();
  Received reg = rig.take();
  EXPECT_EQ(reg.path(), "/rd");
  EXPECT_EQ(rig.platform.host, "lwm2m.example");
  EXPECT_NE(std::find(reg.queries().begin(), reg.queries().end(), "lt=120"), reg.queries().end());
}

TEST(Bootstrap, PersistedAccountsSurviveRestart) {
  Rig first(true);
  first.step();
  first.reply(first.take(), Code::changed);
  first.step();
  const Datagram sec = security_tlv();
  const Datagram srv = server_tlv();
  MessageBuilder w0 = first.req(Code::put, "/0/1");
  w0.content_format(ContentFormat::lwm2m_tlv).payload(sec);
  first.request(w0);
  MessageBuilder w1 = first.req(Code::put, "/1/0");
  w1.content_format(ContentFormat::lwm2m_tlv).payload(srv);
  first.request(w1);
  MessageBuilder fin = first.req(Code::post, "/bs");
  first.request(fin);

  Rig second(true);
  second.platform.kv = first.platform.kv;
  second.step();
  EXPECT_EQ(second.take().path(), "/rd");
  EXPECT_EQ(second.platform.host, "lwm2m.example");
}

TEST(Bootstrap, FailedRequestRetriesWithBoundedBackoff) {
  Rig rig(true);
  rig.config.retry_max_s = 60;
  rig.step();
  uint64_t last = rig.platform.now;
  std::vector<uint64_t> gaps;
  for (int attempt = 0; attempt < 5; ++attempt) {
    Received req = rig.take();
    ASSERT_EQ(req.path(), "/bs");
    gaps.push_back(rig.platform.now - last);
    last = rig.platform.now;
    rig.reply(req, Code::internal_server_error);
    rig.step();
    while (!rig.has_output()) rig.advance(1'000);
  }
  gaps.push_back(rig.platform.now - last);
  // 15 s, 30 s, 60 s, then capped at 60 s.
  EXPECT_EQ(gaps, (std::vector<uint64_t>{0, 15'000, 30'000, 60'000, 60'000, 60'000}));
}

TEST(Bootstrap, SilentServerTimesOut) {
  Rig rig(true);
  rig.step();
  rig.reply(rig.take(), Code::changed);
  rig.step();
  rig.advance(246'000);
  EXPECT_EQ(rig.client->state(), Engine::State::bootstrapping);
  rig.advance(2'000);
  EXPECT_EQ(rig.client->state(), Engine::State::backoff);
}

TEST(Bootstrap, OnlyBootstrapServerSeesSecurity) {
  Rig rig;
  rig.register_client();
  MessageBuilder b = rig.req(Code::get, "/0/1/5");
  EXPECT_EQ(rig.request(b).m.code(), Code::unauthorized);
}

}  // namespace
}  // namespace tl::client::test
