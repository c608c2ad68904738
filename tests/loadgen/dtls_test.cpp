// The DTLS variants through a DTLS front on the stub server: a handshake and Register per
// endpoint, sessions dropped after registering for the idle fleet, notifications over DTLS, and a
// wrong key failing the handshake.
#include <gtest/gtest.h>

#include "dtls_proxy.hpp"
#include "sim/loadgen/clock.hpp"
#include "sim/loadgen/dtls_net.hpp"
#include "sim/loadgen/scenarios.hpp"
#include "stub_server.hpp"

namespace tl::sim::loadgen {
namespace {

using test::DtlsProxy;
using test::StubOptions;
using test::StubServer;

const std::vector<uint8_t> kKey = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
                                   0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};

DtlsConfig dtls(const DtlsProxy& proxy, uint32_t devices, bool keep) {
  DtlsConfig c;
  c.server = proxy.address();
  c.engine.devices = devices;
  c.engine.transmission.ack_timeout_ms = 500;
  c.identity_prefix = "tl-lg-";
  c.key = kKey;
  c.max_handshakes = 4;
  c.keep_sessions = keep;
  c.handshake_min_ms = 200;
  c.handshake_max_ms = 800;
  return c;
}

TEST(Dtls, EachEndpointHandshakesAndRegisters) {
  StubServer stub({.drop_first_register = false, .observe = false});
  DtlsProxy proxy(stub.address(), "tl-lg-", kKey);
  DtlsNet net(dtls(proxy, 10, false));
  const RegisterResult r = register_fleet(net, 0, 5, {});
  EXPECT_EQ(r.registered, 10u);
  EXPECT_EQ(r.stats.latency.count(), 10u);
  EXPECT_EQ(net.handshake_latency().count(), 10u);
  EXPECT_EQ(net.handshake_failures(), 0u);
  EXPECT_EQ(proxy.handshakes.load(), 10u);
  EXPECT_EQ(stub.registers.load(), 10u);
  EXPECT_EQ(net.live_sessions(), 0u);  // idle fleet: the sockets are let go once registered
}

TEST(Dtls, NotificationsOverKeptSessions) {
  StubServer stub;
  DtlsProxy proxy(stub.address(), "tl-lg-", kKey);
  DtlsNet net(dtls(proxy, 4, true));
  ASSERT_EQ(register_fleet(net, 0, 5, {}).registered, 4u);
  EXPECT_EQ(net.live_sessions(), 4u);
  NotifyOptions o;
  o.rate = 200;
  o.duration_seconds = 0.2;
  o.confirmable = true;
  const NotifyResult r = notify_fleet(net, o, {});
  EXPECT_EQ(r.targets, 4u);
  EXPECT_EQ(r.stats.sent, 40u);
  EXPECT_EQ(r.stats.answered, 40u);
  EXPECT_EQ(stub.notifications.load(), 40u);
}

TEST(Dtls, WrongKeyFailsTheHandshake) {
  StubServer stub({.drop_first_register = false, .observe = false});
  std::vector<uint8_t> other = kKey;
  other[0] ^= 0xFF;
  DtlsProxy proxy(stub.address(), "tl-lg-", other);
  DtlsNet net(dtls(proxy, 2, false));
  net.start_register(0, now_us());
  net.start_register(1, now_us());
  const uint64_t start = now_us();
  while (net.handshake_failures() < 2 && now_us() - start < 3'000'000) net.pump(10);
  EXPECT_EQ(net.handshake_failures(), 2u);
  EXPECT_EQ(net.engine().registered(), 0u);
  EXPECT_EQ(stub.registers.load(), 0u);
}

}  // namespace
}  // namespace tl::sim::loadgen
