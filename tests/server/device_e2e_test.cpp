// `tinyloop device` (the device SDK on the POSIX port, replaying gestures-100hz) against the
// server over 127.0.0.1, plain and DTLS: register, read, observe 33650, write and execute, queue
// mode, a server restart in the middle. Each test is bounded and stops by itself.
#include <gtest/gtest.h>

#include "../device/device_run.hpp"
#include "../device/gesture_model.hpp"
#include "rig.hpp"

#include <thread>

namespace tl::server::test {
namespace {

using device::test::base_options;
using device::test::counters_match;
using device::test::DeviceThread;
using device::test::expected_counts;

core::DeviceRequest req(core::Operation op, const char* path) {
  core::DeviceRequest r;
  r.op = op;
  r.path = *store::Path::parse(path);
  return r;
}

// The device tests' credentials, bound to their endpoint name (a function: those constants live
// in another file, initialised in an unspecified order).
std::string psk_lines() { return device::test::kIdentity + "," + device::test::kKeyHex + ",e2e-node\n"; }

// For failure messages: "path=value ..." and "class:count ...".
std::string describe(const std::map<std::string, double>& values) {
  std::string out;
  for (const auto& [path, v] : values) out += path + "=" + std::to_string(v) + " ";
  return out;
}
std::string describe(const std::map<int, unsigned>& expected) {
  std::string out;
  for (const auto& [cls, n] : expected) out += std::to_string(cls) + ":" + std::to_string(n) + " ";
  return out;
}

class DeviceE2E : public ::testing::TestWithParam<bool> {};

TEST_P(DeviceE2E, RegistersAndItsCountersArriveByObservation) {
  const bool dtls = GetParam();
  ServerRig rig(psk_lines());
  rig.start();
  device::DeviceOptions o = base_options(dtls ? rig.coaps_port() : rig.coap_port(), dtls);
  o.speed = 5;
  o.duration_s = 45;  // a loaded CI machine: the wait below is the bound
  const auto expected = expected_counts(o.model, o.recordings);
  DeviceThread device(o);
  ASSERT_TRUE(rig.wait_registered("e2e-node", 10s));
  const auto info = rig.api().device("e2e-node");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->secure, dtls);
  EXPECT_NE(info->object_links.find("</33650/0>"), std::string::npos);

  const core::Outcome obs = rig.call("e2e-node", req(core::Operation::observe, "/33650"));
  ASSERT_EQ(obs.status, core::OutcomeStatus::done) << obs.detail;
  EXPECT_EQ(obs.coap_code, 0x45);  // 2.05
  const bool arrived = rig.events().wait_values([&](const auto& v) { return counters_match(v, expected); }, 30s);
  EXPECT_TRUE(arrived) << "seen: " << describe(rig.events().values()) << "; expected: " << describe(expected)
                       << "; notifications stored: " << rig.events().count(core::EventKind::notification);

  // Stored, not only published: the latest values of the device hold the same counters (the
  // store commits a few milliseconds after the event).
  std::map<std::string, double> stored;
  for (const auto until = Clock::now() + 5s; Clock::now() < until && !counters_match(stored, expected);) {
    std::this_thread::sleep_for(20ms);
    for (const auto& s : rig.api().storage().latest_values(info->device, *store::Path::parse("/33650"))) {
      stored[s.path.to_string()] = number_of(s.value);
    }
  }
  EXPECT_TRUE(counters_match(stored, expected));

  device.join();  // the device de-registers when stopped
  EXPECT_TRUE(rig.events().wait_kind(core::EventKind::deregistered, 5s));
  EXPECT_FALSE(rig.api().device("e2e-node"));
}

double read_number(ServerRig& rig, const char* path) {
  const core::Outcome o = rig.call("e2e-node", req(core::Operation::read, path));
  EXPECT_EQ(o.status, core::OutcomeStatus::done) << path << ": " << o.detail;
  EXPECT_EQ(o.coap_code, 0x45) << path;
  return o.values.size() == 1 ? number_of(o.values[0].value) : -1;
}

// Every object reads; 33651's threshold is written and reads back; 33653's Reset executes.
TEST(DeviceE2EPlain, ReadEveryObjectWriteThresholdExecuteReset) {
  ServerRig rig;
  rig.start();
  device::DeviceOptions o = base_options(rig.coap_port(), false);
  o.speed = 5;
  DeviceThread device(o);
  ASSERT_TRUE(rig.wait_registered("e2e-node", 10s));
  // 33654 as a whole holds the model blob (2003), larger than the device's render buffer: its
  // resources are read one by one (2003 alone streams block by block).
  for (const char* path : {"/1", "/3", "/4", "/5", "/33650", "/33651", "/33652", "/33653", "/33654/0/2000",
                           "/33654/0/2001", "/33654/0/2003"}) {
    const core::Outcome r = rig.call("e2e-node", req(core::Operation::read, path));
    EXPECT_EQ(r.status, core::OutcomeStatus::done) << path << ": " << r.detail;
    EXPECT_EQ(r.coap_code, 0x45) << path << " " << r.detail;
    EXPECT_EQ(r.coap_code, 0x45) << path;
    EXPECT_FALSE(r.values.empty()) << path;
  }
  core::DeviceRequest write = req(core::Operation::write_replace, "/33651/0/2002");
  write.values.push_back({0, *store::Path::parse("/33651/0/2002"), 0, store::Value{0.75}});
  const core::Outcome w = rig.call("e2e-node", write);
  EXPECT_EQ(w.coap_code, 0x44) << w.detail;  // 2.04
  EXPECT_DOUBLE_EQ(read_number(rig, "/33651/0/2002"), 0.75);

  core::DeviceRequest bad = req(core::Operation::write_replace, "/33651/0/2002");
  bad.values.push_back({0, *store::Path::parse("/33651/0/2002"), 0, store::Value{-1.0}});
  EXPECT_EQ(rig.call("e2e-node", bad).coap_code, 0x80);  // 4.00: out of range, old value kept
  EXPECT_DOUBLE_EQ(read_number(rig, "/33651/0/2002"), 0.75);

  const core::Outcome x = rig.call("e2e-node", req(core::Operation::execute, "/33653/0/2002"));
  EXPECT_EQ(x.coap_code, 0x44) << x.detail;
  EXPECT_EQ(read_number(rig, "/33653/0/2000"), 0);
  EXPECT_EQ(rig.call("e2e-node", req(core::Operation::read, "/33653/0/9")).coap_code, 0x84);  // 4.04
  EXPECT_EQ(rig.call("nobody", req(core::Operation::read, "/3")).status, core::OutcomeStatus::not_registered);
}

// Queue mode: the device sleeps after 300 ms without exchanges; a write meanwhile is queued and
// goes out after its next Update (lifetime 4 s: the Update comes at 2 s).
TEST(DeviceE2EPlain, QueueModeHoldsRequestsUntilTheNextUpdate) {
  ServerRig rig("", [](ServerConfig& c) { c.core.queue_awake_ms = 300; });
  rig.start();
  device::DeviceOptions o = base_options(rig.coap_port(), false);
  o.speed = 5;
  o.queue_mode = true;
  o.awake_ms = 300;
  o.lifetime_s = 4;
  DeviceThread device(o);
  ASSERT_TRUE(rig.wait_registered("e2e-node", 10s));
  std::this_thread::sleep_for(600ms);
  ASSERT_TRUE(rig.api().device("e2e-node")->sleeping);
  core::DeviceRequest write = req(core::Operation::write_replace, "/33651/0/2002");
  write.values.push_back({0, *store::Path::parse("/33651/0/2002"), 0, store::Value{0.25}});
  const core::Outcome queued = rig.call("e2e-node", write);
  ASSERT_EQ(queued.status, core::OutcomeStatus::queued) << queued.detail;
  const auto pending = rig.api().pending_requests("e2e-node");
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].state, store::RequestState::pending);
  ASSERT_TRUE(rig.events().wait_kind(core::EventKind::request_done, 10s));
  for (const auto until = Clock::now() + 5s; Clock::now() < until;) {
    const auto now = rig.api().pending_requests("e2e-node");
    if (!now.empty() && now[0].state == store::RequestState::done) break;
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(rig.api().pending_requests("e2e-node").at(0).state, store::RequestState::done);
}

// The server stops (SIGTERM's path) and starts again while the device runs: the registration
// is still there, requests work as before, and the observation comes back by itself at the
// device's next Update (triggered here by executing /1/0/8, Registration Update Trigger).
TEST(DeviceE2EPlain, ServerRestartKeepsTheRegistration) {
  ServerRig rig;
  rig.start();
  device::DeviceOptions o = base_options(rig.coap_port(), false);
  o.speed = 2;
  const auto expected = expected_counts(o.model, o.recordings);
  DeviceThread device(o);
  ASSERT_TRUE(rig.wait_registered("e2e-node", 10s));
  ASSERT_EQ(rig.call("e2e-node", req(core::Operation::observe, "/33650")).coap_code, 0x45);
  rig.restart();
  ASSERT_TRUE(rig.api().device("e2e-node"));
  EXPECT_EQ(rig.call("e2e-node", req(core::Operation::read, "/3/0/0")).coap_code, 0x45);
  ASSERT_EQ(rig.call("e2e-node", req(core::Operation::execute, "/1/0/8")).coap_code, 0x44);  // 2.04
  EXPECT_TRUE(rig.events().wait_values([&](const auto& v) { return counters_match(v, expected); }, 20s))
      << "notifications after the restart: " << rig.events().count(core::EventKind::notification);
}

// Bootstrap: the device asks this server (its bootstrap server), gets the stored configuration
// (a NoSec account for this same server), and registers there with the configured lifetime.
TEST(DeviceE2EPlain, BootstrapThenRegister) {
  ServerRig rig;
  rig.start();
  const std::string uri = "coap://127.0.0.1:" + std::to_string(rig.coap_port());
  store::WriteBatch b;
  b.put_bootstrap_config({"e2e-node",
                          R"({"servers":[{"uri":")" + uri +
                              R"(","security_mode":"nosec","short_server_id":7,"lifetime":120,"binding":"U"}]})",
                          0});
  rig.api().storage().submit(std::move(b));
  rig.api().storage().flush();
  device::DeviceOptions o = base_options(rig.coap_port(), false);
  o.bootstrap = true;
  DeviceThread device(o);
  ASSERT_TRUE(rig.wait_registered("e2e-node", 15s));
  EXPECT_EQ(rig.api().device("e2e-node")->lifetime_s, 120u);
  const auto audit = rig.api().storage().audit_log(10);
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit.front().detail, "e2e-node: done");
}

// The key of a bootstrap configuration (as the REST API generates per device) lets the device
// into the DTLS endpoint; a wrong key does not.
TEST(DeviceE2EPlain, DtlsWithTheKeyOfItsBootstrapConfiguration) {
  ServerRig rig;
  rig.start();
  store::WriteBatch b;
  b.put_bootstrap_config({"e2e-node",
                          R"({"servers":[{"uri":"coaps://127.0.0.1:1","security_mode":"psk","short_server_id":1,)"
                          R"("lifetime":120,"binding":"U","psk_identity":"e2e-node","psk":")" +
                              device::test::kKeyHex + R"("}]})",
                          0});
  rig.api().storage().submit(std::move(b));
  rig.api().storage().flush();
  device::DeviceOptions o = base_options(rig.coaps_port(), true);
  o.psk_identity = "e2e-node";
  {
    device::DeviceOptions wrong = o;
    wrong.psk_key_hex = "00112233445566778899aabbccddeeff";
    wrong.duration_s = 2;
    DeviceThread impostor(wrong);
    std::this_thread::sleep_for(1500ms);
    EXPECT_FALSE(rig.api().device("e2e-node"));
  }
  DeviceThread device(o);
  ASSERT_TRUE(rig.wait_registered("e2e-node", 15s));
  EXPECT_TRUE(rig.api().device("e2e-node")->secure);
}

// Nothing configured: the Bootstrap-Request is refused (4.00) and the device backs off.
TEST(DeviceE2EPlain, BootstrapWithoutConfigurationIsRefused) {
  ServerRig rig;
  rig.start();
  device::DeviceOptions o = base_options(rig.coap_port(), false);
  o.bootstrap = true;
  o.duration_s = 2;
  DeviceThread device(o);
  std::this_thread::sleep_for(1500ms);
  EXPECT_FALSE(rig.api().device("e2e-node"));
}

INSTANTIATE_TEST_SUITE_P(PlainAndDtls, DeviceE2E, ::testing::Values(false, true),
                         [](const auto& p) { return p.param ? "Dtls" : "Plain"; });

}  // namespace
}  // namespace tl::server::test
