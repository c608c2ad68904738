// `tinyloop device` end to end over 127.0.0.1: the device loop runs in a thread of this test,
// replays one recording of each gesture through a freshly trained model, and a scripted LwM2M
// server (plain UDP, or DTLS-PSK) checks Register, the 33650 notifications and De-register.
#include <gtest/gtest.h>

#include "device_run.hpp"
#include "gesture_model.hpp"

namespace tl::device::test {
namespace {

using namespace std::chrono_literals;
using wire::coap::Code;

// One run: Register, Observe /33650, notifications up to the expected counters, De-register.
// `stop_by_flag`: the test stops the device (as SIGINT would) instead of --windows; it also
// runs in queue mode (awake long enough not to sleep during the test).
void run_e2e(ServerLink& link, bool dtls, bool stop_by_flag) {
  DeviceOptions o = base_options(link.port(), dtls);
  o.queue_mode = stop_by_flag;
  const std::map<int, unsigned> expected = expected_counts(o.model, o.recordings);
  const uint64_t total = total_windows(expected);
  ASSERT_GT(total, 4u);
  if (!stop_by_flag) o.max_windows = total;

  DeviceThread device(o);
  ScriptedServer server(link);
  const auto deadline = Clock::now() + 15s;
  const Message reg = server.next(deadline);
  check_register(reg, o);
  if (::testing::Test::HasFatalFailure()) return;
  server.reply(reg, Code::created, "/rd/t1");
  const auto token = server.observe("/33650");
  const Observed seen = serve(server, token, expected, stop_by_flag ? &device.stop : nullptr, deadline);
  device.join();

  EXPECT_TRUE(seen.deregistered);
  EXPECT_GE(seen.notifications, 1);
  EXPECT_TRUE(counters_match(seen.values, expected));
  EXPECT_EQ(device.outcome.exit_code, 0) << device.outcome.message;
  EXPECT_EQ(device.outcome.windows, total);
}

TEST(DeviceE2E, PlainRegisterObserveCountersDeregisterAfterWindows) {
  UdpLink link;
  run_e2e(link, false, false);
}

TEST(DeviceE2E, DtlsPskRegisterObserveCountersDeregisterOnStop) {
  DtlsLink link(kIdentity, kKey);
  run_e2e(link, true, true);
  EXPECT_EQ(link.handshakes(), 1);
}

}  // namespace
}  // namespace tl::device::test
