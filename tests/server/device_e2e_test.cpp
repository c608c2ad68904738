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

class DeviceE2E : public ::testing::TestWithParam<bool> {};

TEST_P(DeviceE2E, RegistersAndItsCountersArriveByObservation) {
  const bool dtls = GetParam();
  ServerRig rig(psk_lines());
  rig.start();
  device::DeviceOptions o = base_options(dtls ? rig.coaps_port() : rig.coap_port(), dtls);
  o.speed = 5;
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
  EXPECT_TRUE(rig.events().wait_values([&](const auto& v) { return counters_match(v, expected); }, 15s));

  // Stored, not only published: the latest values of the device hold the same counters (the
  // store commits a few milliseconds after the event).
  std::map<std::string, double> stored;
  for (const auto until = Clock::now() + 5s; Clock::now() < until && !counters_match(stored, expected);) {
    std::this_thread::sleep_for(20ms);
    for (const auto& s : rig.api().storage().latest_values(info->id, *store::Path::parse("/33650"))) {
      stored[s.path.to_string()] = number_of(s.value);
    }
  }
  EXPECT_TRUE(counters_match(stored, expected));

  device.join();  // the device de-registers when stopped
  EXPECT_TRUE(rig.events().wait_kind(core::EventKind::deregistered, 5s));
  EXPECT_FALSE(rig.api().device("e2e-node"));
}

INSTANTIATE_TEST_SUITE_P(PlainAndDtls, DeviceE2E, ::testing::Values(false, true),
                         [](const auto& p) { return p.param ? "Dtls" : "Plain"; });

}  // namespace
}  // namespace tl::server::test
