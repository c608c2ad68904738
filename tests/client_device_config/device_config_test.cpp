// The client built in the device configuration of ports/cortex-m/device_firmware
// (tl_client_device_config: TL_CLIENT_SENML_JSON=0, TL_CLIENT_DEDUP_ENTRIES=8,
// TL_CLIENT_MAX_SECRET=32), over the harness of tests/client.
#include <gtest/gtest.h>

#include "../client/harness.hpp"

namespace tl::client::test {
namespace {

using wire::coap::Code;
using wire::coap::ContentFormat;

static_assert(TL_CLIENT_SENML_JSON == 0 && TL_CLIENT_DEDUP_ENTRIES == 8 && kMaxSecret == 32);

using DeviceConfig = RegisteredRig;

TEST_F(DeviceConfig, SenmlJsonReadIsNotAcceptable) {
  EXPECT_EQ(get("/3303", ContentFormat::senml_json).m.code(), Code::not_acceptable);
  EXPECT_EQ(get("/3303/0/5700", ContentFormat::senml_json).m.code(), Code::not_acceptable);
}

TEST_F(DeviceConfig, SenmlJsonWriteAndCreateAreUnsupported) {
  const std::string json = R"([{"bn":"/3303/0/","n":"5750","vs":"json"}])";
  EXPECT_EQ(put("/3303/0", ContentFormat::senml_json, wire::as_bytes(json)).m.code(),
            Code::unsupported_content_format);
  EXPECT_NE(rig.temperature.inst[0].app, "json");
  const std::string create = R"([{"bn":"/3303/3/","n":"5750","vs":"new"}])";
  EXPECT_EQ(put("/3303", ContentFormat::senml_json, wire::as_bytes(create), Code::post).m.code(),
            Code::unsupported_content_format);
}

TEST_F(DeviceConfig, OtherFormatsStillServe) {
  EXPECT_EQ(get("/3303", ContentFormat::senml_cbor).m.code(), Code::content);
  EXPECT_EQ(get("/3/0", ContentFormat::lwm2m_tlv).m.code(), Code::content);
  Received r = get("/3303/0/5700", ContentFormat::text_plain);
  EXPECT_EQ(r.m.code(), Code::content);
  EXPECT_EQ(r.payload_text(), "21.5");
}

}  // namespace
}  // namespace tl::client::test
