// The load generator against the stub server over 127.0.0.1: registrations, retransmission,
// notifications and Send counted on both sides, a silent fleet, and the echo baseline.
#include <gtest/gtest.h>

#include <thread>

#include "sim/loadgen/clock.hpp"
#include "sim/loadgen/net.hpp"
#include "sim/loadgen/scenarios.hpp"
#include "stub_server.hpp"

namespace tl::sim::loadgen {
namespace {

using test::StubOptions;
using test::StubServer;

PlainConfig plain(const StubServer& stub, uint32_t devices, uint32_t sockets) {
  PlainConfig c;
  c.server = stub.address();
  c.sockets = sockets;
  c.engine.devices = devices;
  c.engine.transmission.ack_timeout_ms = 200;  // quick retransmissions keep the tests short
  c.engine.transmission.max_retransmit = 3;
  return c;
}

// Pumps until `done()` or two seconds.
template <class Done>
bool pump_until(Net& net, Done done) {
  const uint64_t end = now_us() + 2'000'000;
  while (!done() && now_us() < end) net.pump(5);
  return done();
}

TEST(Register, EveryDeviceIsAnsweredAndTimed) {
  StubServer stub({.drop_first_register = false, .observe = false});
  PlainNet net(plain(stub, 300, 7));
  const RegisterResult r = register_fleet(net, 3000, 5, {});
  EXPECT_EQ(r.devices, 300u);
  EXPECT_EQ(r.registered, 300u);
  EXPECT_EQ(r.stats.sent, 300u);
  EXPECT_EQ(r.stats.answered, 300u);
  EXPECT_EQ(r.stats.latency.count(), 300u);
  EXPECT_EQ(r.stats.rejected + r.stats.timeouts, 0u);
  EXPECT_EQ(stub.registers.load(), 300u);
  EXPECT_GT(r.achieved_rate(), 0.0);
  EXPECT_LE(r.stats.latency.quantile(0.5), r.stats.latency.max());
  // Every endpoint registered under its own name and kept its location.
  const std::vector<std::string> names = stub.endpoints();
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), 300u);
  EXPECT_EQ(names.front().rfind("tl-lg-", 0), 0u);
  EXPECT_EQ(net.engine().endpoint(0).location.rfind("/rd/", 0), 0u);
}

TEST(Register, LostFirstCopyIsRetransmitted) {
  StubServer stub({.drop_first_register = true, .observe = false});
  PlainNet net(plain(stub, 20, 4));
  const RegisterResult r = register_fleet(net, 0, 5, {});
  EXPECT_EQ(r.registered, 20u);
  EXPECT_EQ(r.stats.answered, 20u);
  EXPECT_EQ(r.stats.timeouts, 0u);
  EXPECT_GE(r.stats.retransmissions, 20u);
  EXPECT_EQ(stub.dropped.load(), 20u);
  EXPECT_EQ(stub.registers.load(), 20u);
  // The latency counts from the first transmission: at least one ACK_TIMEOUT.
  EXPECT_GE(r.stats.latency.quantile(0.0), 190'000u);
}

TEST(Register, NobodyListeningTimesOut) {
  StubServer stub({.drop_first_register = false, .observe = false});
  PlainConfig c = plain(stub, 3, 1);
  c.server.sin_port = htons(static_cast<uint16_t>(stub.port() == 65535 ? 1 : stub.port() + 1));
  c.engine.transmission.ack_timeout_ms = 50;
  c.engine.transmission.max_retransmit = 1;
  PlainNet net(c);
  const RegisterResult r = register_fleet(net, 0, 5, {});
  EXPECT_EQ(r.registered, 0u);
  EXPECT_EQ(r.stats.timeouts, 3u);
  EXPECT_EQ(r.stats.retransmissions, 3u);
}

TEST(Notify, NonNotificationsCountedByTheServerEqualThoseSent) {
  StubServer stub;
  PlainNet net(plain(stub, 40, 4));
  ASSERT_EQ(register_fleet(net, 0, 5, {}).registered, 40u);
  NotifyOptions o;
  o.rate = 1000;
  o.duration_seconds = 0.3;
  const NotifyResult r = notify_fleet(net, o, {});
  EXPECT_EQ(r.targets, 40u);
  EXPECT_EQ(stub.observe_answers.load(), 40u);
  EXPECT_EQ(r.stats.sent, 300u);
  EXPECT_TRUE(pump_until(net, [&] { return stub.notifications.load() >= r.stats.sent; }));
  EXPECT_EQ(stub.notifications.load(), r.stats.sent);
}

TEST(Notify, ConNotificationsAreAcked) {
  StubServer stub;
  PlainNet net(plain(stub, 10, 10));
  ASSERT_EQ(register_fleet(net, 0, 5, {}).registered, 10u);
  NotifyOptions o;
  o.rate = 500;
  o.duration_seconds = 0.2;
  o.confirmable = true;
  const NotifyResult r = notify_fleet(net, o, {});
  EXPECT_EQ(r.stats.sent, 100u);
  EXPECT_EQ(r.stats.answered, 100u);
  EXPECT_EQ(r.stats.latency.count(), 100u);
  EXPECT_EQ(stub.notifications.load(), 100u);
}

TEST(Notify, SendToDpIsValidSenmlCbor) {
  StubServer stub({.drop_first_register = false, .observe = false});
  PlainNet net(plain(stub, 10, 2));
  ASSERT_EQ(register_fleet(net, 0, 5, {}).registered, 10u);
  NotifyOptions o;
  o.rate = 500;
  o.duration_seconds = 0.1;
  o.confirmable = true;
  o.use_send = true;
  const NotifyResult r = notify_fleet(net, o, {});
  EXPECT_EQ(r.stats.sent, 50u);
  EXPECT_EQ(r.stats.answered, 50u);
  EXPECT_EQ(stub.sends_valid.load(), 50u);
  EXPECT_EQ(stub.sends_invalid.load(), 0u);
}

TEST(Notify, WithoutObservationItSaysWhatToDo) {
  StubServer stub({.drop_first_register = false, .observe = false});
  PlainNet net(plain(stub, 2, 1));
  ASSERT_EQ(register_fleet(net, 0, 5, {}).registered, 2u);
  NotifyOptions o;
  o.observe_wait_seconds = 0.1;
  try {
    notify_fleet(net, o, {});
    FAIL() << "no observation, no notification";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("--send"), std::string::npos);
  }
}

TEST(Idle, SilentFleetRegistersAndAnswersNothing) {
  StubServer stub;
  PlainConfig c = plain(stub, 10, 2);
  c.engine.answer_requests = false;
  PlainNet net(c);
  EXPECT_EQ(register_fleet(net, 0, 5, {}).registered, 10u);
  std::atomic<bool> stop{false};
  hold(net, 0.2, {.progress = {}, .stop = &stop});
  EXPECT_EQ(stub.observe_answers.load(), 0u);
  EXPECT_EQ(net.engine().requests_answered(), 0u);
}

TEST(Idle, HoldStopsOnTheFlag) {
  StubServer stub({.drop_first_register = false, .observe = false});
  PlainNet net(plain(stub, 1, 1));
  std::atomic<bool> stop{true};
  const uint64_t start = now_us();
  hold(net, 0, {.progress = {}, .stop = &stop});
  EXPECT_LT(now_us() - start, 1'000'000u);
}

}  // namespace
}  // namespace tl::sim::loadgen
