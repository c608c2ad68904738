// Idle sessions saved and restored, the LRU bound on live contexts, the handshake bound.
#include <gtest/gtest.h>

#include "harness.hpp"

namespace tl::server::dtls::test {
namespace {

using State = PskClient::State;

Config small(uint32_t max_live, uint32_t max_handshakes = 256) {
  Config c;
  c.idle_ms = 5000;
  c.max_live = max_live;
  c.max_handshakes = max_handshakes;
  return c;
}

TEST(ServerDtlsMemory, IdleSessionIsSavedAndRestoredTransparently) {
  Harness h(small(8));
  h.echo = true;
  PskClient client("dev-1", bytes("0123456789abcdef"), fast());
  ASSERT_EQ(h.connect(client, peer(1)), State::ready);
  ASSERT_TRUE(client.send(bytes("register")));
  h.pump(client, peer(1));
  EXPECT_EQ(Harness::received(client), std::vector<std::string>{"register"});
  EXPECT_EQ(h.server.next_deadline(), h.now + 5000);

  for (int round = 0; round < 3; ++round) {
    h.now += 5000;
    h.server.poll(h.now);
    ASSERT_EQ(h.server.state(peer(1)), SessionState::saved) << round;
    Stats s = h.server.stats();
    EXPECT_EQ(s.live, 0u);
    EXPECT_EQ(s.saved, 1u);
    EXPECT_GT(s.saved_bytes, 100u);
    EXPECT_LT(s.saved_bytes, 400u);
    EXPECT_EQ(h.server.next_deadline(), UINT64_MAX);
    // The client knows nothing of it: its next record restores the session.
    const std::string msg = "notify " + std::to_string(round);
    ASSERT_TRUE(client.send(bytes(msg)));
    h.pump(client, peer(1));
    EXPECT_EQ(Harness::received(client), std::vector<std::string>{msg});
    EXPECT_EQ(h.server.state(peer(1)), SessionState::live);
    EXPECT_EQ(h.server.stats().saved_bytes, 0u);
  }
  const Stats s = h.server.stats();
  EXPECT_EQ(s.saves, 3u);
  EXPECT_EQ(s.restores, 3u);
  EXPECT_EQ(s.records_in, 4u);
  EXPECT_EQ(s.decrypt_failures, 0u);
  EXPECT_EQ(h.all(Event::record).back(), "dev-1: notify 2");  // the identity survives a save
}

TEST(ServerDtlsMemory, SendToASavedPeerRestoresIt) {
  Harness h(small(8));
  PskClient client("dev-1", bytes("0123456789abcdef"), fast());
  ASSERT_EQ(h.connect(client, peer(2)), State::ready);
  ASSERT_TRUE(client.send(bytes("register")));
  h.pump(client, peer(2));
  h.now += 6000;
  h.server.poll(h.now);
  ASSERT_EQ(h.server.state(peer(2)), SessionState::saved);
  ASSERT_EQ(h.server.send(peer(2), bytes("observe")), SendResult::ok);
  h.pump(client, peer(2));
  EXPECT_EQ(Harness::received(client), std::vector<std::string>{"observe"});
  // And a saved session closes with a close_notify the client sees.
  h.now += 6000;
  h.server.poll(h.now);
  ASSERT_EQ(h.server.state(peer(2)), SessionState::saved);
  EXPECT_TRUE(h.server.close(peer(2)));
  h.pump(client, peer(2));
  EXPECT_EQ(client.state(), State::closed);
  EXPECT_EQ(h.server.stats().saved, 0u);
}

TEST(ServerDtlsMemory, LeastRecentlyUsedAreSavedBeyondMaxLive) {
  Harness h(small(2));
  h.echo = true;
  std::vector<std::unique_ptr<PskClient>> clients;
  const char* ids[] = {"dev-1", "dev-2", "dev-3"};
  for (uint8_t i = 0; i < 3; ++i) {
    clients.push_back(std::make_unique<PskClient>(ids[i], h.keys[ids[i]], fast(i + 1)));
    ASSERT_EQ(h.connect(*clients[i], peer(i + 1)), State::ready);
    ASSERT_TRUE(clients[i]->send(bytes("hi")));
    h.pump(*clients[i], peer(i + 1));
    EXPECT_EQ(Harness::received(*clients[i]), std::vector<std::string>{"hi"});
    h.now += 10;
  }
  // Each handshake beyond two saved the least recently used session.
  Stats s = h.server.stats();
  EXPECT_EQ(s.live, 2u);
  EXPECT_EQ(s.saved, 1u);
  EXPECT_GE(s.evictions, 1u);
  EXPECT_EQ(h.server.state(peer(1)), SessionState::saved);
  // Everyone keeps talking, round robin: every record restores one session and saves another.
  for (int round = 0; round < 3; ++round) {
    for (uint8_t i = 0; i < 3; ++i) {
      const std::string msg = std::string(ids[i]) + " round " + std::to_string(round);
      ASSERT_TRUE(clients[i]->send(bytes(msg)));
      h.pump(*clients[i], peer(i + 1));
      EXPECT_EQ(Harness::received(*clients[i]), std::vector<std::string>{msg});
      s = h.server.stats();
      EXPECT_LE(s.live, 2u);
      EXPECT_EQ(s.live + s.saved, 3u);
    }
  }
  EXPECT_EQ(h.server.stats().decrypt_failures, 0u);
  EXPECT_TRUE(h.all(Event::closed).empty());
}

// mbedTLS 2.28 serializes only AEAD sessions: an idle CBC session is closed (close_notify),
// never kept live, and the client learns it must handshake again.
TEST(ServerDtlsMemory, IdleCbcSessionIsClosed) {
  Harness h(small(8));
  PskClient::Options o = fast();
  o.suites = {MBEDTLS_TLS_PSK_WITH_AES_128_CBC_SHA256};
  PskClient client("dev-2", bytes("fedcba9876543210"), o);
  ASSERT_EQ(h.connect(client, peer(4)), State::ready);
  ASSERT_TRUE(client.send(bytes("register")));
  h.pump(client, peer(4));
  h.now += 6000;
  h.server.poll(h.now);
  EXPECT_EQ(h.server.state(peer(4)), SessionState::none);
  EXPECT_EQ(h.all(Event::closed), std::vector<std::string>{"unsaveable"});
  EXPECT_EQ(h.server.stats().unsaveable, 1u);
  h.pump(client, peer(4));
  EXPECT_EQ(client.state(), State::closed);
}

// A session whose client never sent a record still holds the handshake's last flight (for
// retransmission), which mbedTLS will not serialize: closed when idle too.
TEST(ServerDtlsMemory, IdleSessionWithoutAnyRecordIsClosed) {
  Harness h(small(8));
  PskClient client("dev-1", bytes("0123456789abcdef"), fast());
  ASSERT_EQ(h.connect(client, peer(5)), State::ready);
  h.now += 6000;
  h.server.poll(h.now);
  EXPECT_EQ(h.all(Event::closed), std::vector<std::string>{"unsaveable"});
  EXPECT_EQ(h.server.stats().live, 0u);
}

// Eviction at max_live closes what cannot be saved, and freed contexts beyond the spares go.
TEST(ServerDtlsMemory, EvictionClosesACbcSessionAndKeepsFewSpares) {
  Config c = small(1);
  c.spare_contexts = 1;
  Harness h(c);
  PskClient::Options o = fast(1);
  o.suites = {MBEDTLS_TLS_PSK_WITH_AES_128_CBC_SHA256};
  PskClient cbc("dev-2", bytes("fedcba9876543210"), o);
  ASSERT_EQ(h.connect(cbc, peer(8)), State::ready);
  ASSERT_TRUE(cbc.send(bytes("hi")));
  h.pump(cbc, peer(8));
  PskClient ccm("dev-1", bytes("0123456789abcdef"), fast(2));
  ASSERT_EQ(h.connect(ccm, peer(9)), State::ready);
  EXPECT_EQ(h.all(Event::closed), std::vector<std::string>{"unsaveable"});
  EXPECT_EQ(h.server.state(peer(8)), SessionState::none);
  h.pump(cbc, peer(8));
  EXPECT_EQ(cbc.state(), State::closed);
  ASSERT_TRUE(ccm.send(bytes("hi")));
  h.pump(ccm, peer(9));
  h.now += 6000;
  h.server.poll(h.now);
  const Stats s = h.server.stats();
  EXPECT_EQ(s.live, 0u);
  EXPECT_EQ(s.saved, 1u);
  EXPECT_LE(s.spare_contexts, 1u);
}

// A device that rebooted while its session was saved: its new ClientHello (cookie checked
// against the restored context) replaces the session.
TEST(ServerDtlsMemory, ReconnectWhileSaved) {
  Harness h(small(8));
  PskClient first("dev-1", bytes("0123456789abcdef"), fast(1));
  ASSERT_EQ(h.connect(first, peer(6)), State::ready);
  ASSERT_TRUE(first.send(bytes("register")));
  h.pump(first, peer(6));
  h.now += 6000;
  h.server.poll(h.now);
  ASSERT_EQ(h.server.state(peer(6)), SessionState::saved);
  PskClient second("dev-1", bytes("0123456789abcdef"), fast(2));
  ASSERT_EQ(h.connect(second, peer(6)), State::ready) << second.last_error();
  EXPECT_EQ(h.all(Event::closed), std::vector<std::string>{"reconnect"});
  EXPECT_EQ(h.server.stats().handshakes_ok, 2u);
  h.echo = true;
  ASSERT_TRUE(second.send(bytes("register again")));
  h.pump(second, peer(6));
  EXPECT_EQ(Harness::received(second), std::vector<std::string>{"register again"});
}

TEST(ServerDtlsMemory, Ipv6PeersAreSessionsToo) {
  Harness h(small(8));
  h.echo = true;
  const Peer v6 = Peer::v6({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7}, 5684);
  const Peer mapped = Peer::v6({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 7}, 5684);
  PskClient a("dev-1", bytes("0123456789abcdef"), fast(1));
  PskClient b("dev-2", bytes("fedcba9876543210"), fast(2));
  ASSERT_EQ(h.connect(a, v6), State::ready);
  ASSERT_EQ(h.connect(b, mapped), State::ready);
  EXPECT_EQ(h.server.state(peer(7, 5684)), SessionState::live);  // the mapped one is IPv4
  ASSERT_TRUE(a.send(bytes("six")));
  h.pump(a, v6);
  EXPECT_EQ(Harness::received(a), std::vector<std::string>{"six"});
  EXPECT_EQ(h.server.stats().live, 2u);
}

}  // namespace
}  // namespace tl::server::dtls::test
