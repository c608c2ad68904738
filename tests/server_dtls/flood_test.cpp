// Hostile input: ClientHello floods, garbage, truncated and forged records.
#include <gtest/gtest.h>

#include <random>

#include "harness.hpp"

namespace tl::server::dtls::test {
namespace {

using State = PskClient::State;

// The client's first ClientHello (no cookie).
Datagram first_hello(uint64_t seed) {
  PskClient c("dev-1", bytes("0123456789abcdef"), fast(seed));
  c.step(0);
  return c.outbox().at(0);
}

TEST(ServerDtlsFlood, ClientHellosWithoutCookieLeaveNoState) {
  Harness h;
  const Datagram hello = first_hello(1);
  // From one address, then from many spoofed ones.
  for (int i = 0; i < 500; ++i) h.server.on_datagram(peer(1), hello, h.now);
  for (uint16_t port = 1; port <= 2000; ++port) h.server.on_datagram(peer(2, port), hello, h.now);
  const Stats s = h.server.stats();
  EXPECT_EQ(s.hello_verify, 2500u);
  EXPECT_EQ(s.handshakes, 0u);
  EXPECT_EQ(s.live + s.saved, 0u);
  EXPECT_EQ(h.server.state(peer(1)), SessionState::none);
  // No amplification: a HelloVerifyRequest is smaller than the ClientHello.
  EXPECT_LT(h.to_client[peer(1)].at(0).size(), hello.size());
}

TEST(ServerDtlsFlood, HandshakesAreBoundedOldestEvicted) {
  Config c;
  c.max_handshakes = 4;
  Harness h(c);
  // Ten clients pass the cookie exchange and then stall after the server's flight.
  std::vector<std::unique_ptr<PskClient>> stalled;
  for (uint8_t i = 0; i < 10; ++i) {
    stalled.push_back(std::make_unique<PskClient>("dev-1", bytes("0123456789abcdef"), fast(i + 1)));
    PskClient& client = *stalled.back();
    client.step(h.now);
    for (int leg = 0; leg < 2; ++leg) {
      for (const auto& d : client.outbox()) h.server.on_datagram(peer(i + 1), d, h.now);
      client.outbox().clear();
      for (const auto& d : h.to_client[peer(i + 1)]) client.deliver(d, h.now);
      h.to_client[peer(i + 1)].clear();
    }
    EXPECT_LE(h.server.stats().handshakes, 4u);
  }
  EXPECT_EQ(h.server.stats().handshakes, 4u);
  EXPECT_EQ(h.all(Event::closed), std::vector<std::string>(6, "handshake_evicted"));
  EXPECT_EQ(h.server.state(peer(1)), SessionState::none);
  EXPECT_EQ(h.server.state(peer(10)), SessionState::handshake);
  // The newest ones still complete.
  h.pump(*stalled.back(), peer(10));
  EXPECT_EQ(stalled.back()->state(), State::ready);
}

class ServerDtlsGarbage : public ::testing::Test {
 protected:
  void SetUp() override {
    h.echo = true;
    ASSERT_EQ(h.connect(client, peer(1)), State::ready);
  }
  // A real record from the client, not delivered.
  Datagram record(const std::string& text) {
    EXPECT_TRUE(client.send(bytes(text)));
    Datagram d = client.outbox().at(0);
    client.outbox().clear();
    return d;
  }
  void expect_session_alive(const std::string& text) {
    ASSERT_TRUE(client.send(bytes(text)));
    h.pump(client, peer(1));
    EXPECT_EQ(Harness::received(client), std::vector<std::string>{text});
  }

  Harness h;
  PskClient client{"dev-1", bytes("0123456789abcdef"), fast()};
};

TEST_F(ServerDtlsGarbage, NotDtlsIsDroppedAndCounted) {
  std::mt19937 rng(3);
  h.server.on_datagram(peer(1), Datagram{}, h.now);
  h.server.on_datagram(peer(1), bytes("GET /index.html HTTP/1.1\r\n"), h.now);
  h.server.on_datagram(peer(9), bytes("\x40\x01\x00\x01"), h.now);  // CoAP on the DTLS port
  for (int i = 0; i < 200; ++i) {
    Datagram d(rng() % 100);
    for (auto& b : d) b = uint8_t(rng());
    h.server.on_datagram(peer(uint8_t(1 + i % 3)), d, h.now);
  }
  EXPECT_GE(h.server.stats().dropped, 3u);
  EXPECT_EQ(h.server.stats().records_in, 0u);
  EXPECT_TRUE(h.all(Event::closed).empty());
  EXPECT_EQ(h.server.stats().handshakes, 0u);
  expect_session_alive("still here");
}

TEST_F(ServerDtlsGarbage, ForgedTruncatedAndReplayedRecordsAreDropped) {
  const Datagram good = record("genuine");
  Datagram bad_mac = good;
  bad_mac.back() ^= 0x01;  // the CCM tag
  h.server.on_datagram(peer(1), bad_mac, h.now);
  EXPECT_EQ(h.server.stats().decrypt_failures, 1u);
  for (size_t cut = 1; cut < good.size(); ++cut) {
    h.server.on_datagram(peer(1), Bytes(good.data(), cut), h.now);
  }
  EXPECT_EQ(h.server.stats().decrypt_failures, 1u);
  h.server.on_datagram(peer(1), good, h.now);
  h.server.on_datagram(peer(1), good, h.now);  // replayed: the window drops it
  EXPECT_EQ(h.all(Event::record), std::vector<std::string>{"dev-1: genuine"});
  // A good record and a truncated one after it in one datagram: the first still counts.
  const Datagram next = record("second");
  Datagram with_tail = next;
  with_tail.insert(with_tail.end(), next.begin(), next.begin() + 20);
  h.server.on_datagram(peer(1), with_tail, h.now);
  EXPECT_EQ(h.all(Event::record).back(), "dev-1: second");
  // The same bytes from another address are not this session.
  h.server.on_datagram(peer(2), record("elsewhere"), h.now);
  EXPECT_EQ(h.server.state(peer(2)), SessionState::none);
  EXPECT_TRUE(h.all(Event::closed).empty());
  h.to_client.clear();
  expect_session_alive("still here");
}

TEST_F(ServerDtlsGarbage, GarbageToASavedPeerDoesNotHurtIt) {
  h.now += 40000;
  ASSERT_TRUE(client.send(bytes("register")));  // a record first, so the session can be saved
  h.pump(client, peer(1));
  Harness::received(client);
  h.now += 40000;
  h.server.poll(h.now);
  ASSERT_EQ(h.server.state(peer(1)), SessionState::saved);
  Datagram forged = record("x");
  forged[20] ^= 0xff;
  // An epoch-0 record that is no ClientHello does not even restore the session.
  Datagram epoch0 = forged;
  epoch0[3] = epoch0[4] = 0;
  h.server.on_datagram(peer(1), epoch0, h.now);
  EXPECT_EQ(h.server.stats().restores, 0u);
  h.server.on_datagram(peer(1), forged, h.now);
  h.server.on_datagram(peer(1), bytes("nonsense"), h.now);
  EXPECT_EQ(h.server.stats().decrypt_failures, 1u);
  EXPECT_EQ(h.server.stats().restores, 1u);
  h.to_client.clear();
  expect_session_alive("after the noise");
}

}  // namespace
}  // namespace tl::server::dtls::test
