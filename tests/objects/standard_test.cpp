#include <gtest/gtest.h>

#include <cstring>

#include "../client/harness.hpp"
#include "objects/connectivity.hpp"
#include "objects/device.hpp"
#include "objects/firmware_update.hpp"
#include "wire/coap/block.hpp"

namespace tl::objects::test {
namespace {

using client::Path;
using client::Status;
using client::Value;
using client::test::MessageBuilder;
using client::test::Received;
using wire::coap::Code;
using wire::coap::ContentFormat;



ConnectivityInfo wlan() {
  ConnectivityInfo c;
  c.bearer = 21;
  c.available[0] = 21;
  c.available[1] = 41;
  c.available_count = 2;
  c.rssi_dbm = -60;
  std::strcpy(c.ip[0], "192.168.1.20");
  std::strcpy(c.ip[1], "fe80::1");
  c.ip_count = 2;
  return c;
}

// Objects 3, 4 and 5 served by the real engine (tests/client's Rig with our object list).
class Standard : public ::testing::Test {
 protected:
  void SetUp() override {
    rig.client = std::make_unique<client::test::TestClient>(rig.platform, rig.transport, objects, rig.config);
    rig.register_client();
  }
  Received get(std::string_view path, ContentFormat accept = ContentFormat::text_plain) {
    MessageBuilder b = rig.req(Code::get, path);
    b.accept(accept);
    return rig.request(b);
  }
  Code put(std::string_view path, std::string_view text, ContentFormat cf = ContentFormat::text_plain) {
    MessageBuilder b = rig.req(Code::put, path);
    b.content_format(cf).payload(wire::as_bytes(text));
    return rig.request(b).m.code();
  }
  Code post(std::string_view path) {
    MessageBuilder b = rig.req(Code::post, path);
    return rig.request(b).m.code();
  }

  static constexpr std::string_view kAppKeys[] = {"app.cal"};
  client::test::Rig rig;
  Device device{rig.platform, DeviceInfo{"Tinyloop", "TL-1", "0042", "0.1.0", "UQ", kAppKeys}};
  ConnectivityMonitoring connectivity{wlan()};
  FirmwareUpdate firmware{rig.platform};
  client::Object* objects[3] = {&device, &connectivity, &firmware};
};

TEST_F(Standard, DeviceIdentityAndDefaults) {
  EXPECT_EQ(get("/3/0/0").payload_text(), "Tinyloop");
  EXPECT_EQ(get("/3/0/1").payload_text(), "TL-1");
  EXPECT_EQ(get("/3/0/2").payload_text(), "0042");
  EXPECT_EQ(get("/3/0/3").payload_text(), "0.1.0");
  EXPECT_EQ(get("/3/0/16").payload_text(), "UQ");
  EXPECT_EQ(get("/3/0/11/0").payload_text(), "0");  // no error
  EXPECT_EQ(get("/3/0/9").m.code(), Code::not_found);  // no battery level set
}

TEST_F(Standard, DeviceBatteryMemoryAndErrors) {
  device.set_battery_level(87);
  device.set_memory_free(12);
  device.add_error(2);
  device.add_error(5);
  device.add_error(5);
  EXPECT_EQ(get("/3/0/9").payload_text(), "87");
  EXPECT_EQ(get("/3/0/10").payload_text(), "12");
  EXPECT_EQ(get("/3/0/11/1").payload_text(), "5");
  EXPECT_EQ(get("/3/0/11/2").m.code(), Code::not_found);
  EXPECT_EQ(post("/3/0/12"), Code::changed);
  EXPECT_EQ(get("/3/0/11/0").payload_text(), "0");
}

TEST_F(Standard, DeviceTimeAndUtcOffset) {
  ASSERT_EQ(put("/3/0/13", "1700000000"), Code::changed);
  EXPECT_EQ(get("/3/0/13").payload_text(), "1700000000");  // the fake clock stands at 0
  ASSERT_EQ(put("/3/0/14", "+05:30"), Code::changed);
  EXPECT_EQ(rig.platform.kv.count(kUtcOffsetKey), 1u);
  Device again(rig.platform, DeviceInfo{});
  client::Value v;
  uint8_t scratch[8];
  ASSERT_EQ(again.read(Path::resource(3, 0, 14), v, scratch), Status::ok);
  EXPECT_EQ(v.text(), "+05:30");
}

// FakePlatform's storage, with the reboots counted.
class CountingReboots final : public client::Platform {
 public:
  client::test::FakePlatform fake;
  std::map<std::string, client::test::Datagram>& kv = fake.kv;
  int reboots = 0;

  uint64_t monotonic_ms() override { return fake.monotonic_ms(); }
  int64_t utc_seconds() override { return fake.utc_seconds(); }
  uint32_t random32() override { return fake.random32(); }
  wire::Result<client::SocketId> open_udp(std::string_view h, uint16_t p) override { return fake.open_udp(h, p); }
  void close(client::SocketId s) override { fake.close(s); }
  wire::Error send(client::SocketId s, wire::Bytes d) override { return fake.send(s, d); }
  wire::Result<size_t> receive(client::SocketId s, wire::MutableBytes b) override { return fake.receive(s, b); }
  wire::Result<size_t> load(std::string_view k, wire::MutableBytes o) override { return fake.load(k, o); }
  wire::Error store(std::string_view k, wire::Bytes v) override { return fake.store(k, v); }
  wire::Error erase(std::string_view k) override { return fake.erase(k); }
  void reboot() override { ++reboots; }
};

TEST(DeviceActions, RebootAndFactoryResetRunAfterTheAnswer) {
  CountingReboots platform;
  platform.kv["tl.srv"] = {1};
  platform.kv["tl.ml.blob"] = {1};
  platform.kv["app.cal"] = {1};
  platform.kv["app.other"] = {1};
  static constexpr std::string_view kApp[] = {"app.cal"};
  Device device(platform, DeviceInfo{.app_keys = kApp});
  EXPECT_EQ(device.execute(Path::resource(3, 0, 4), ""), Status::ok);
  EXPECT_EQ(platform.reboots, 0);
  device.run_pending();
  EXPECT_EQ(platform.reboots, 1);
  EXPECT_EQ(platform.kv.size(), 4u);
  device.run_pending();
  EXPECT_EQ(platform.reboots, 1);
  EXPECT_EQ(device.execute(Path::resource(3, 0, 5), ""), Status::ok);
  device.run_pending();
  EXPECT_EQ(platform.reboots, 2);
  EXPECT_EQ(platform.kv.size(), 1u);
  EXPECT_EQ(platform.kv.count("app.other"), 1u);
}

TEST_F(Standard, ConnectivityReadsAndNotifiesChanges) {
  EXPECT_EQ(get("/4/0/0").payload_text(), "21");
  EXPECT_EQ(get("/4/0/1/1").payload_text(), "41");
  EXPECT_EQ(get("/4/0/2").payload_text(), "-60");
  EXPECT_EQ(get("/4/0/4/1").payload_text(), "fe80::1");
  EXPECT_EQ(get("/4/0/3").m.code(), Code::not_found);  // link quality unknown
  MessageBuilder b = rig.req(Code::get, "/4/0/2");
  b.observe(0).accept(ContentFormat::text_plain);
  ASSERT_TRUE(rig.request(b).m.observe());
  ConnectivityInfo c = wlan();
  c.ip_count = 1;  // not observed: no notification for it
  connectivity.update(c);
  rig.advance(10);
  EXPECT_FALSE(rig.has_output());
  c.rssi_dbm = -71;
  connectivity.update(c);
  rig.advance(10);
  ASSERT_TRUE(rig.has_output());
  EXPECT_EQ(rig.take().payload_text(), "-71");
  EXPECT_EQ(get("/4/0/4/1").m.code(), Code::not_found);
}

TEST_F(Standard, FirmwarePackageUriIsUnsupportedProtocol) {
  EXPECT_EQ(get("/5/0/3").payload_text(), "0");
  EXPECT_EQ(get("/5/0/5").payload_text(), "0");
  EXPECT_EQ(put("/5/0/1", "coap://fw.example/image.bin"), Code::not_implemented);
  EXPECT_EQ(get("/5/0/5").payload_text(), "9");
  EXPECT_EQ(get("/5/0/3").payload_text(), "0");
  EXPECT_EQ(put("/5/0/1", ""), Code::changed);  // reset
  EXPECT_EQ(get("/5/0/5").payload_text(), "0");
}

TEST_F(Standard, FirmwarePackageIsRefused) {
  const uint8_t image[64] = {1, 2, 3};
  MessageBuilder one = rig.req(Code::put, "/5/0/0");
  one.content_format(ContentFormat::octet_stream).payload({image, sizeof(image)});
  EXPECT_EQ(rig.request(one).m.code(), Code::not_implemented);
  EXPECT_EQ(firmware.result(), FirmwareUpdate::Result::failed);
  EXPECT_EQ(put("/5/0/0", "", ContentFormat::octet_stream), Code::changed);  // reset
  EXPECT_EQ(firmware.result(), FirmwareUpdate::Result::initial);
  MessageBuilder block = rig.req(Code::put, "/5/0/0");
  block.content_format(ContentFormat::octet_stream)
      .block1(*wire::coap::encode_block({0, true, 2}))
      .payload({image, sizeof(image)});
  EXPECT_EQ(rig.request(block).m.code(), Code::not_implemented);
  EXPECT_EQ(firmware.result(), FirmwareUpdate::Result::failed);
}

TEST_F(Standard, FirmwareOtherResources) {
  EXPECT_EQ(post("/5/0/2"), Code::method_not_allowed);   // nothing downloaded
  EXPECT_EQ(post("/5/0/10"), Code::method_not_allowed);  // nothing to cancel
  EXPECT_EQ(get("/5/0/9").payload_text(), "2");
  EXPECT_EQ(get("/5/0/11").payload_text(), "1");
  EXPECT_EQ(put("/5/0/11", "3"), Code::bad_request);
  EXPECT_EQ(put("/5/0/11", "2"), Code::changed);
  EXPECT_EQ(put("/5/0/13", "3600"), Code::changed);
  EXPECT_EQ(get("/5/0/13").payload_text(), "3600");
}

}  // namespace
}  // namespace tl::objects::test
