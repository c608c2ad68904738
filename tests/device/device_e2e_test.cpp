// `tinyloop device` end to end over 127.0.0.1: the device loop runs in a thread of this test,
// replays one recording of each gesture through a freshly trained model, and a scripted LwM2M
// server (plain UDP, or DTLS-PSK) checks Register, the 33650 notifications and De-register.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "device/device.hpp"
#include "gesture_model.hpp"
#include "scripted_server.hpp"

namespace tl::device::test {
namespace {

using namespace std::chrono_literals;
using wire::coap::Code;
using wire::coap::Type;

const std::string kIdentity = "e2e-device";
const std::string kKey = "0123456789abcdef";  // 16 bytes
const std::string kKeyHex = "30313233343536373839616263646566";

DeviceOptions base_options(uint16_t port, bool dtls) {
  DeviceOptions o;
  o.server = (dtls ? "coaps://127.0.0.1:" : "coap://127.0.0.1:") + std::to_string(port);
  o.endpoint = "e2e-node";
  o.nosec = !dtls;
  if (dtls) o.psk_identity = kIdentity, o.psk_key_hex = kKeyHex;
  o.model = gesture_model().blob_path;
  o.recordings = replay_recordings();
  o.rate_hz = 100;
  o.speed = 20;         // ~14 s of recordings in under a second
  o.duration_s = 20;    // a safety net: the test ends long before
  return o;
}

// The device loop in a thread; the destructor stops and joins it whatever the test did.
class DeviceThread {
 public:
  explicit DeviceThread(const DeviceOptions& o) : options_(o), thread_([this] { outcome = run_device(options_, stop); }) {}
  ~DeviceThread() { join(); }
  void join() {
    stop = true;
    if (thread_.joinable()) thread_.join();
  }
  std::atomic<bool> stop{false};
  Outcome outcome;

 private:
  DeviceOptions options_;
  std::thread thread_;
};

// What the server saw after the Register.
struct Observed {
  std::map<std::string, double> values;  // latest value per path
  int notifications = 0;
  bool deregistered = false;
};

bool counters_match(const std::map<std::string, double>& values, const std::map<int, unsigned>& expected) {
  for (const auto& [cls, count] : expected) {
    const auto it = values.find("/33650/" + std::to_string(cls) + "/2001");
    if (it == values.end() || it->second != double(count)) return false;
  }
  return true;
}

void check_register(const Message& reg, const DeviceOptions& o) {
  ASSERT_FALSE(reg.bytes.empty()) << "no Register within the time limit";
  EXPECT_EQ(reg.view().code(), Code::post);
  EXPECT_EQ(reg.uri_path(), "/rd");
  const auto q = reg.queries();
  EXPECT_NE(std::find(q.begin(), q.end(), "ep=e2e-node"), q.end());
  EXPECT_NE(std::find(q.begin(), q.end(), o.queue_mode ? "b=UQ" : "b=U"), q.end());
  const std::string links = reg.payload();
  for (size_t c = 0; c < gesture_model().labels.size(); ++c) {
    EXPECT_NE(links.find("</33650/" + std::to_string(c) + ">"), std::string::npos) << links;
  }
  for (const char* object : {"</3/0>", "</33651/0>", "</33654/0>"}) EXPECT_NE(links.find(object), std::string::npos) << links;
}

// Serves the device after its Register until De-register (or the deadline): answers its
// requests, keeps the newest values of the observation. With `stop` set, asks the device to stop
// once the counters reached `expected`.
Observed serve(ScriptedServer& server, const std::vector<uint8_t>& token, const std::map<int, unsigned>& expected,
               std::atomic<bool>* stop, Clock::time_point deadline) {
  Observed seen;
  while (!seen.deregistered) {
    const Message m = server.next(deadline);
    if (m.bytes.empty()) break;
    const auto v = m.view();
    const bool ours = std::equal(token.begin(), token.end(), v.token().begin(), v.token().end());
    if (v.code() == Code::content && ours) {
      if (v.type() == Type::con) server.ack(m);
      if (v.type() != Type::ack) ++seen.notifications;
      for (const auto& [path, value] : senml_numbers(m.payload())) seen.values[path] = value;
      if (stop != nullptr && counters_match(seen.values, expected)) *stop = true;
    } else if (v.code() == Code::delete_ && v.type() == Type::con) {
      server.reply(m, Code::deleted);
      seen.deregistered = m.uri_path() == "/rd/t1";
    } else if (v.type() == Type::con && v.code() == Code::post) {
      server.reply(m, Code::changed);  // an Update
    }
  }
  return seen;
}

// One run: Register, Observe /33650, notifications up to the expected counters, De-register.
// `stop_by_flag`: the test stops the device (as SIGINT would) instead of --windows; it also
// runs in queue mode (awake long enough not to sleep during the test).
void run_e2e(ServerLink& link, bool dtls, bool stop_by_flag) {
  DeviceOptions o = base_options(link.port(), dtls);
  o.queue_mode = stop_by_flag;
  const std::map<int, unsigned> expected = expected_counts(o.model, o.recordings);
  uint64_t total = 0;
  for (const auto& [cls, count] : expected) total += count;
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

// Reboot (3/0/4) executed before the first window: the device answers, starts over from its
// records without De-register, registers again, and the replay delivers every window to the new
// session.
TEST(DeviceE2E, RebootExecutedByTheServerRegistersAgainAndGoesOn) {
  UdpLink link;
  DeviceOptions o = base_options(link.port(), false);
  o.speed = 5;  // the first window is due 400 ms after the Register: the reboot comes first
  const std::map<int, unsigned> expected = expected_counts(o.model, o.recordings);
  o.max_windows = 0;
  for (const auto& [cls, count] : expected) o.max_windows += count;

  DeviceThread device(o);
  ScriptedServer server(link);
  const auto deadline = Clock::now() + 15s;
  const Message first = server.next(deadline);
  check_register(first, o);
  if (::testing::Test::HasFatalFailure()) return;
  server.reply(first, Code::created, "/rd/t0");
  server.execute("/3/0/4");
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

TEST(DeviceOptions, PlainCoapNeedsNosec) {
  DeviceOptions o = base_options(5683, false);
  o.nosec = false;
  const std::atomic<bool> stop{false};
  const Outcome out = run_device(o, stop);
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_NE(out.message.find("--nosec"), std::string::npos) << out.message;
}

TEST(DeviceOptions, BadPskKeyTellsTheFormat) {
  DeviceOptions o = base_options(5684, true);
  o.psk_key_hex = "xyz";
  const std::atomic<bool> stop{false};
  const Outcome out = run_device(o, stop);
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_NE(out.message.find("hex digits"), std::string::npos) << out.message;
}

}  // namespace
}  // namespace tl::device::test
