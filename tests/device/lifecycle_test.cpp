// The device's life beyond one registration: a Reboot executed by the server, and --bootstrap.
#include <gtest/gtest.h>

#include "device_run.hpp"
#include "gesture_model.hpp"
#include "wire/lwm2m/tlv.hpp"

namespace tl::device::test {
namespace {

using namespace std::chrono_literals;
using wire::coap::Code;

// Reboot (3/0/4) executed before the first window: the device answers, starts over from its
// records without De-register, registers again, and the replay delivers every window to the new
// session.
TEST(DeviceE2E, RebootExecutedByTheServerRegistersAgainAndGoesOn) {
  UdpLink link;
  DeviceOptions o = base_options(link.port(), false);
  o.speed = 5;  // the first window is due 400 ms after the Register: the reboot comes first
  const std::map<int, unsigned> expected = expected_counts(o.model, o.recordings);
  o.max_windows = total_windows(expected);

  DeviceThread device(o);
  ScriptedServer server(link);
  const auto deadline = Clock::now() + 15s;
  const Message first = server.next(deadline);
  check_register(first, o);
  if (::testing::Test::HasFatalFailure()) return;
  server.reply(first, Code::created, "/rd/t0");
  server.request(Code::post, "/3/0/4");
  EXPECT_EQ(server.next(deadline).view().code(), Code::changed);
  const Message again = server.next(deadline);
  check_register(again, o);
  if (::testing::Test::HasFatalFailure()) return;
  server.reply(again, Code::created, "/rd/t1");
  const Observed seen = serve(server, server.observe("/33650"), expected, nullptr, deadline);
  device.join();

  EXPECT_TRUE(seen.deregistered);
  EXPECT_TRUE(counters_match(seen.values, expected));
  EXPECT_EQ(device.outcome.exit_code, 0) << device.outcome.message;
  EXPECT_EQ(device.outcome.windows, o.max_windows);
}

// TLV of resources of one instance (Bootstrap-Write payloads).
Datagram tlv(std::initializer_list<std::pair<uint16_t, wire::lwm2m::Value>> resources) {
  Datagram d(256);
  wire::ByteWriter w{wire::MutableBytes(d)};
  wire::lwm2m::tlv::Writer t(w);
  for (const auto& [rid, value] : resources) t.resource(rid, value);
  EXPECT_EQ(t.finish(), wire::Error::ok);
  d.resize(w.written().size());
  return d;
}

// --bootstrap: the bootstrap server (this link) writes a NoSec account for an LwM2M server on
// the same link, finishes, and the device registers there and runs as usual.
TEST(DeviceE2E, BootstrapThenRegisterWithTheWrittenAccount) {
  using wire::lwm2m::Value;
  UdpLink link;
  DeviceOptions o = base_options(link.port(), false);
  o.bootstrap = true;
  const std::map<int, unsigned> expected = expected_counts(o.model, o.recordings);
  o.max_windows = total_windows(expected);
  const std::string uri = "coap://127.0.0.1:" + std::to_string(link.port());

  DeviceThread device(o);
  ScriptedServer server(link);
  const auto deadline = Clock::now() + 15s;
  const Message bs = server.next(deadline);
  ASSERT_FALSE(bs.bytes.empty()) << "no Bootstrap-Request";
  EXPECT_EQ(bs.uri_path(), "/bs");
  server.reply(bs, Code::changed);
  server.request(Code::put, "/0/1", tlv({{0, Value::string(uri)}, {1, Value::boolean(false)}, {2, Value::integer(3)}, {10, Value::integer(42)}}));
  EXPECT_EQ(server.next(deadline).view().code(), Code::changed);
  server.request(Code::put, "/1/0", tlv({{0, Value::integer(42)}, {1, Value::integer(120)}, {7, Value::string("U")}}));
  EXPECT_EQ(server.next(deadline).view().code(), Code::changed);
  server.request(Code::post, "/bs");
  EXPECT_EQ(server.next(deadline).view().code(), Code::changed);
  const Message reg = server.next(deadline);
  check_register(reg, o);
  if (::testing::Test::HasFatalFailure()) return;
  const auto q = reg.queries();
  EXPECT_NE(std::find(q.begin(), q.end(), "lt=120"), q.end());
  server.reply(reg, Code::created, "/rd/t1");
  const Observed seen = serve(server, server.observe("/33650"), expected, nullptr, deadline);
  device.join();

  EXPECT_TRUE(seen.deregistered);
  EXPECT_TRUE(counters_match(seen.values, expected));
  EXPECT_EQ(device.outcome.exit_code, 0) << device.outcome.message;
}

}  // namespace
}  // namespace tl::device::test
