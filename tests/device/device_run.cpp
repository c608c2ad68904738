#include "device_run.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "gesture_model.hpp"

namespace tl::device::test {

using wire::coap::Code;
using wire::coap::Type;

const std::string kIdentity = "e2e-device";
const std::string kKey = "0123456789abcdef";
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

uint64_t total_windows(const std::map<int, unsigned>& expected) {
  uint64_t total = 0;
  for (const auto& [cls, count] : expected) total += count;
  return total;
}

}  // namespace tl::device::test
