#include <gtest/gtest.h>

#include "harness.hpp"
#include "wire/lwm2m/tlv.hpp"
#include "wire/senml/senml_cbor.hpp"
#include "wire/senml/senml_json.hpp"

namespace tl::client::test {
namespace {

using wire::coap::Code;
using wire::coap::ContentFormat;

using Dm = RegisteredRig;

TEST_F(Dm, ReadSingleResourceAsText) {
  Received r = get("/3303/0/5700", ContentFormat::text_plain);
  EXPECT_EQ(r.m.code(), Code::content);
  EXPECT_EQ(r.payload_text(), "21.5");
  EXPECT_EQ(*r.m.content_format(), ContentFormat::text_plain);
}

TEST_F(Dm, ReadWithoutAcceptIsTextForOneValue) {
  MessageBuilder b = rig.req(Code::get, "/3/0/0");
  Received r = rig.request(b);
  EXPECT_EQ(r.payload_text(), "Tinyloop");
}

TEST_F(Dm, ReadInstanceAsTlv) {
  Received r = get("/3/0", ContentFormat::lwm2m_tlv);
  ASSERT_EQ(r.m.code(), Code::content);
  wire::lwm2m::tlv::Reader reader(r.m.payload(), Path::instance(3, 0));
  std::vector<std::string> paths;
  for (auto rec = reader.next(); rec; rec = reader.next()) {
    uint8_t buf[32];
    wire::ByteWriter w(buf, sizeof(buf));
    (void)wire::lwm2m::format_path(rec->path, w);
    paths.emplace_back(wire::as_text(w.written()));
  }
  // Readable resources only: 4 (Reboot) is executable.
  EXPECT_EQ(paths, (std::vector<std::string>{"/3/0/0", "/3/0/6/0", "/3/0/6/1", "/3/0/11/0", "/3/0/13", "/3/0/16"}));
}

TEST_F(Dm, ReadObjectAsSenmlJson) {
  Received r = get("/3303", ContentFormat::senml_json);
  ASSERT_EQ(r.m.code(), Code::content);
  EXPECT_EQ(r.payload_text(), R"([{"bn":"/3303/","n":"0/5700","v":21.5},{"n":"0/5701","vs":"Cel"},{"n":"0/5750","vs":""}])");
}

TEST_F(Dm, ReadResourceAsSenmlCbor) {
  Received r = get("/3/0/6", ContentFormat::senml_cbor);
  ASSERT_EQ(r.m.code(), Code::content);
  wire::senml::CborReader reader(r.m.payload());
  auto first = reader.next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->path, Path::resource_instance(3, 0, 6, 0));
  auto second = reader.next();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->value_as(wire::lwm2m::ValueType::integer)->i, 5);
}

TEST_F(Dm, ReadOpaque) {
  rig.model.blob = {1, 2, 3};
  Received r = get("/33654/0/2003", ContentFormat::octet_stream);
  EXPECT_EQ(r.m.code(), Code::content);
  EXPECT_EQ(Datagram(r.m.payload().begin(), r.m.payload().end()), (Datagram{1, 2, 3}));
}

TEST_F(Dm, ReadErrors) {
  EXPECT_EQ(get("/3303/0/5700", ContentFormat::octet_stream).m.code(), Code::not_acceptable);
  EXPECT_EQ(get("/3303/0", ContentFormat::text_plain).m.code(), Code::not_acceptable);
  EXPECT_EQ(get("/3303/0/5700", ContentFormat::lwm2m_json).m.code(), Code::not_acceptable);
  EXPECT_EQ(get("/3303/9", ContentFormat::lwm2m_tlv).m.code(), Code::not_found);
  EXPECT_EQ(get("/3303/0/5601", ContentFormat::text_plain).m.code(), Code::not_found);  // absent
  EXPECT_EQ(get("/4242", ContentFormat::lwm2m_tlv).m.code(), Code::not_found);
  EXPECT_EQ(get("/3303/0/5605", ContentFormat::text_plain).m.code(), Code::method_not_allowed);
  EXPECT_EQ(get("/0/0", ContentFormat::lwm2m_tlv).m.code(), Code::unauthorized);
}

TEST_F(Dm, WriteTextAndReadBack) {
  EXPECT_EQ(put("/3303/0/5750", ContentFormat::text_plain, wire::as_bytes("kitchen")).m.code(), Code::changed);
  EXPECT_EQ(rig.temperature.inst[0].app, "kitchen");
  EXPECT_EQ(put("/3/0/13", ContentFormat::text_plain, wire::as_bytes("1700000000")).m.code(), Code::changed);
  EXPECT_EQ(rig.device.time, 1'700'000'000);
}

TEST_F(Dm, WriteTlvSenmlJsonSenmlCbor) {
  uint8_t buf[64];
  wire::ByteWriter w(buf, sizeof(buf));
  wire::lwm2m::tlv::Writer tlv(w);
  tlv.resource(5750, wire::lwm2m::Value::string("tlv"));
  ASSERT_EQ(tlv.finish(), Error::ok);
  EXPECT_EQ(put("/3303/0", ContentFormat::lwm2m_tlv, w.written(), Code::post).m.code(), Code::changed);
  EXPECT_EQ(rig.temperature.inst[0].app, "tlv");

  const std::string json = R"([{"bn":"/3303/0/","n":"5750","vs":"json"}])";
  EXPECT_EQ(put("/3303/0", ContentFormat::senml_json, wire::as_bytes(json)).m.code(), Code::changed);
  EXPECT_EQ(rig.temperature.inst[0].app, "json");

  wire::ByteWriter cw(buf, sizeof(buf));
  wire::senml::CborWriter cbor(cw);
  ASSERT_EQ(cbor.add(Path::resource(3303, 0, 5750), wire::lwm2m::Value::string("cbor")), Error::ok);
  ASSERT_EQ(cbor.finish(), Error::ok);
  EXPECT_EQ(put("/3303/0/5750", ContentFormat::senml_cbor, cw.written()).m.code(), Code::changed);
  EXPECT_EQ(rig.temperature.inst[0].app, "cbor");

  const uint8_t blob[] = {9, 8, 7};
  EXPECT_EQ(put("/33654/0/2003", ContentFormat::octet_stream, blob).m.code(), Code::changed);
  EXPECT_EQ(rig.model.blob, (std::vector<uint8_t>{9, 8, 7}));
}

TEST_F(Dm, WriteErrors) {
  // 5700 is read-only in the ObjectDef: the object is never asked.
  EXPECT_EQ(put("/3303/0/5700", ContentFormat::text_plain, wire::as_bytes("1")).m.code(), Code::method_not_allowed);
  EXPECT_EQ(put("/3303/0/5750", ContentFormat::lwm2m_json, wire::as_bytes("{}")).m.code(),
            Code::unsupported_content_format);
  EXPECT_EQ(put("/3303/0", ContentFormat::text_plain, wire::as_bytes("x")).m.code(), Code::unsupported_content_format);
  EXPECT_EQ(put("/3/0/13", ContentFormat::text_plain, wire::as_bytes("soon")).m.code(), Code::bad_request);
  EXPECT_EQ(put("/3303/0", ContentFormat::senml_json, wire::as_bytes("[{")).m.code(), Code::bad_request);
  EXPECT_EQ(put("/3303/7/5750", ContentFormat::text_plain, wire::as_bytes("x")).m.code(), Code::not_found);
  EXPECT_EQ(put("/3303/0/9999", ContentFormat::text_plain, wire::as_bytes("x")).m.code(), Code::not_found);
  EXPECT_EQ(put("/3303", ContentFormat::lwm2m_tlv, wire::as_bytes("x")).m.code(), Code::method_not_allowed);
}

TEST_F(Dm, Execute) {
  MessageBuilder b = rig.req(Code::post, "/3/0/4");
  EXPECT_EQ(rig.request(b).m.code(), Code::changed);
  EXPECT_EQ(rig.device.reboots, 1);
  MessageBuilder not_exec = rig.req(Code::post, "/3/0/0");
  EXPECT_EQ(rig.request(not_exec).m.code(), Code::method_not_allowed);
  MessageBuilder absent = rig.req(Code::post, "/3/0/5");  // optional, not implemented here
  EXPECT_EQ(rig.request(absent).m.code(), Code::not_found);
}

TEST_F(Dm, CreateAndDelete) {
  const std::string json = R"([{"bn":"/3303/3/","n":"5750","vs":"new"}])";
  Received c = put("/3303", ContentFormat::senml_json, wire::as_bytes(json), Code::post);
  EXPECT_EQ(c.m.code(), Code::created);
  EXPECT_EQ(c.location, "/3303/3");
  EXPECT_EQ(rig.temperature.inst[3].app, "new");
  EXPECT_EQ(put("/3303", ContentFormat::senml_json, wire::as_bytes(json), Code::post).m.code(), Code::bad_request);
  // Device is a single-instance object that exists.
  EXPECT_EQ(put("/3", ContentFormat::senml_json, wire::as_bytes("[]"), Code::post).m.code(), Code::method_not_allowed);

  MessageBuilder del = rig.req(Code::delete_, "/3303/3");
  EXPECT_EQ(rig.request(del).m.code(), Code::deleted);
  EXPECT_FALSE(rig.temperature.inst[3].used);
  MessageBuilder again = rig.req(Code::delete_, "/3303/3");
  EXPECT_EQ(rig.request(again).m.code(), Code::not_found);
  MessageBuilder res = rig.req(Code::delete_, "/3303/0/5750");
  EXPECT_EQ(rig.request(res).m.code(), Code::method_not_allowed);
}

TEST_F(Dm, DiscoverWithAttributes) {
  MessageBuilder wa = rig.req(Code::put, "/3303/0/5700");
  wa.uri_query("pmin=10").uri_query("gt=30");
  EXPECT_EQ(rig.request(wa).m.code(), Code::changed);
  Received r = get("/3303/0", ContentFormat::link_format);
  EXPECT_EQ(r.m.code(), Code::content);
  EXPECT_EQ(r.payload_text(), "</3303/0>,</3303/0/5605>,</3303/0/5700>;pmin=10;gt=30,</3303/0/5701>,</3303/0/5750>");
  Received dev = get("/3/0/6", ContentFormat::link_format);
  EXPECT_EQ(dev.payload_text(), "</3/0/6>;dim=2");
}

TEST_F(Dm, WriteAttributesErrors) {
  MessageBuilder on_string = rig.req(Code::put, "/3303/0/5701");
  on_string.uri_query("gt=3");
  EXPECT_EQ(rig.request(on_string).m.code(), Code::bad_request);
  MessageBuilder unknown = rig.req(Code::put, "/3303/0");
  unknown.uri_query("foo=3");
  EXPECT_EQ(rig.request(unknown).m.code(), Code::bad_request);
  MessageBuilder missing = rig.req(Code::put, "/3303/5");
  missing.uri_query("pmin=3");
  EXPECT_EQ(rig.request(missing).m.code(), Code::not_found);
}

TEST_F(Dm, DuplicateRequestGetsSameResponse) {
  MessageBuilder b = rig.req(Code::post, "/3303/0/5605");
  rig.push(b);
  rig.push(b);
  rig.step();
  Received first = rig.take();
  Received second = rig.take();
  EXPECT_EQ(first.bytes, second.bytes);
  EXPECT_EQ(rig.temperature.executed, 1);
}

TEST_F(Dm, UnknownCriticalOptionIs402) {
  MessageBuilder b = rig.req(Code::get, "/3/0/0");
  b.opaque_option(static_cast<wire::coap::OptionNumber>(9), wire::as_bytes("x"));
  EXPECT_EQ(rig.request(b).m.code(), Code::bad_option);
}

}  // namespace
}  // namespace tl::client::test
