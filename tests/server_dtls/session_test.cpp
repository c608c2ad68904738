// Handshakes, records, failures and close over in-memory pipes.
#include <gtest/gtest.h>

#include "harness.hpp"

namespace tl::server::dtls::test {
namespace {

using State = PskClient::State;

TEST(ServerDtls, ContextSerializationIsCompiledIn) {
#if !defined(MBEDTLS_SSL_CONTEXT_SERIALIZATION) || !defined(MBEDTLS_SSL_DTLS_HELLO_VERIFY)
  FAIL() << "this mbedTLS cannot save sessions or send HelloVerifyRequests";
#endif
}

TEST(ServerDtls, HandshakeWithCookieReportsIdentityAndCarriesRecordsBothWays) {
  Harness h;
  PskClient client("dev-1", bytes("0123456789abcdef"), fast());
  ASSERT_EQ(h.connect(client, peer(1)), State::ready) << client.last_error();
  EXPECT_STREQ(client.ciphersuite(), "TLS-PSK-WITH-AES-128-CCM-8");
  Stats s = h.server.stats();
  EXPECT_EQ(s.hello_verify, 1u);  // the first ClientHello had no cookie
  EXPECT_EQ(s.handshakes_ok, 1u);
  EXPECT_EQ(s.live, 1u);
  EXPECT_EQ(s.handshakes, 0u);
  EXPECT_EQ(h.all(Event::handshake), std::vector<std::string>{"dev-1"});
  EXPECT_EQ(h.server.state(peer(1)), SessionState::live);

  ASSERT_TRUE(client.send(bytes("POST /rd?ep=dev-1")));
  h.pump(client, peer(1));
  EXPECT_EQ(h.all(Event::record), std::vector<std::string>{"dev-1: POST /rd?ep=dev-1"});
  ASSERT_EQ(h.server.send(peer(1), bytes("2.01 Created")), SendResult::ok);
  h.pump(client, peer(1));
  EXPECT_EQ(Harness::received(client), std::vector<std::string>{"2.01 Created"});
  s = h.server.stats();
  EXPECT_EQ(s.records_in, 1u);
  EXPECT_EQ(s.records_out, 1u);
  EXPECT_EQ(s.decrypt_failures, 0u);
}

TEST(ServerDtls, CbcSuiteWorks) {
  Harness h;
  PskClient::Options o = fast();
  o.suites = {MBEDTLS_TLS_PSK_WITH_AES_128_CBC_SHA256};
  PskClient client("dev-2", bytes("fedcba9876543210"), o);
  ASSERT_EQ(h.connect(client, peer(2)), State::ready);
  EXPECT_STREQ(client.ciphersuite(), "TLS-PSK-WITH-AES-128-CBC-SHA256");
  h.echo = true;
  ASSERT_TRUE(client.send(bytes("ping")));
  h.pump(client, peer(2));
  EXPECT_EQ(Harness::received(client), std::vector<std::string>{"ping"});
}

TEST(ServerDtls, WrongKeyFailsAndIsReported) {
  Harness h;
  PskClient client("dev-1", bytes("not the right key"), fast());
  EXPECT_EQ(h.connect(client, peer(3)), State::failed);
  EXPECT_EQ(h.all(Event::closed), std::vector<std::string>{"bad_key"});
  EXPECT_TRUE(h.all(Event::handshake).empty());
  EXPECT_EQ(h.server.stats().handshakes_failed, 1u);
  EXPECT_EQ(h.server.state(peer(3)), SessionState::none);
  EXPECT_EQ(client.last_error(), MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE);  // bad_record_mac
}

TEST(ServerDtls, UnknownIdentityFailsAndIsReported) {
  Harness h;
  PskClient client("stranger", bytes("0123456789abcdef"), fast());
  EXPECT_EQ(h.connect(client, peer(4)), State::failed);
  EXPECT_EQ(h.all(Event::closed), std::vector<std::string>{"unknown_identity"});
  EXPECT_EQ(h.server.stats().handshakes_failed, 1u);
  EXPECT_EQ(h.server.state(peer(4)), SessionState::none);
}

TEST(ServerDtls, HandshakeTimesOutWhenTheClientVanishes) {
  Config c;
  c.handshake_min_ms = 100;
  c.handshake_max_ms = 400;
  Harness h(c);
  PskClient client("dev-1", bytes("0123456789abcdef"), fast());
  client.step(h.now);
  // ClientHello, HelloVerifyRequest, ClientHello with cookie: the server's flight goes out and
  // the client never answers.
  for (int i = 0; i < 2; ++i) {
    for (const auto& d : client.outbox()) h.server.on_datagram(peer(5), d, h.now);
    client.outbox().clear();
    for (const auto& d : h.to_client[peer(5)]) client.deliver(d, h.now);
    h.to_client[peer(5)].clear();
  }
  ASSERT_EQ(h.server.stats().handshakes, 1u);
  size_t retransmissions = 0;
  for (int i = 0; i < 10 && h.server.next_deadline() != UINT64_MAX; ++i) {
    h.now = h.server.next_deadline();
    h.server.poll(h.now);
    retransmissions += h.to_client[peer(5)].size();
    h.to_client[peer(5)].clear();
  }
  EXPECT_GE(retransmissions, 2u);  // 100 and 200 ms, then 400 would pass the maximum
  EXPECT_EQ(h.all(Event::closed), std::vector<std::string>{"handshake_timeout"});
  EXPECT_EQ(h.server.stats().handshakes, 0u);
  EXPECT_EQ(h.server.next_deadline(), UINT64_MAX);
}

// The server's last flight (ChangeCipherSpec, Finished) is lost: the client retransmits its own
// and the established server answers with its flight again; the handshake is reported once.
TEST(ServerDtls, LostLastFlightIsResent) {
  Harness h;
  PskClient client("dev-1", bytes("0123456789abcdef"), fast());
  client.step(h.now);
  for (int leg = 0; leg < 3; ++leg) {  // ClientHello, ClientHello + cookie, key exchange + Finished
    for (const auto& d : client.outbox()) h.server.on_datagram(peer(11), d, h.now);
    client.outbox().clear();
    if (leg == 2) break;
    for (const auto& d : h.to_client[peer(11)]) client.deliver(d, h.now);
    h.to_client[peer(11)].clear();
  }
  ASSERT_EQ(h.server.state(peer(11)), SessionState::live);
  h.to_client[peer(11)].clear();  // lost
  ASSERT_EQ(client.state(), State::connecting);
  h.now = client.deadline();
  client.step(h.now);
  ASSERT_FALSE(client.outbox().empty());
  h.pump(client, peer(11));
  EXPECT_EQ(client.state(), State::ready);
  EXPECT_EQ(h.all(Event::handshake), std::vector<std::string>{"dev-1"});
  h.echo = true;
  ASSERT_TRUE(client.send(bytes("after the loss")));
  h.pump(client, peer(11));
  EXPECT_EQ(Harness::received(client), std::vector<std::string>{"after the loss"});
}

TEST(ServerDtls, ServerCloseSendsCloseNotify) {
  Harness h;
  PskClient client("dev-1", bytes("0123456789abcdef"), fast());
  ASSERT_EQ(h.connect(client, peer(6)), State::ready);
  EXPECT_TRUE(h.server.close(peer(6)));
  EXPECT_FALSE(h.server.close(peer(6)));
  h.pump(client, peer(6));
  EXPECT_EQ(client.state(), State::closed);
  EXPECT_EQ(h.server.state(peer(6)), SessionState::none);
  EXPECT_EQ(h.server.send(peer(6), bytes("late")), SendResult::no_session);
  EXPECT_TRUE(h.all(Event::closed).empty());  // close() is the caller's own doing
  EXPECT_EQ(h.server.stats().live, 0u);
}

TEST(ServerDtls, ClientCloseNotifyIsReported) {
  Harness h;
  PskClient client("dev-1", bytes("0123456789abcdef"), fast());
  ASSERT_EQ(h.connect(client, peer(7)), State::ready);
  ASSERT_TRUE(client.close_notify());
  h.pump(client, peer(7));
  EXPECT_EQ(h.all(Event::closed), std::vector<std::string>{"peer_closed"});
  EXPECT_EQ(h.server.state(peer(7)), SessionState::none);
}

TEST(ServerDtls, SendBeforeTheHandshakeOrTooLong) {
  Harness h;
  EXPECT_EQ(h.server.send(peer(8), bytes("x")), SendResult::no_session);
  PskClient client("dev-1", bytes("0123456789abcdef"), fast());
  ASSERT_EQ(h.connect(client, peer(8)), State::ready);
  EXPECT_EQ(h.server.send(peer(8), Datagram(20000, 'x')), SendResult::too_long);
  EXPECT_EQ(h.server.send(peer(8), Datagram(1000, 'y')), SendResult::ok);
}

TEST(ServerDtls, MtuBoundsRecordsAcrossASave) {
  Config c;
  c.mtu = 1152;
  c.idle_ms = 5000;
  Harness h(c);
  PskClient client("dev-1", bytes("0123456789abcdef"), fast());
  ASSERT_EQ(h.connect(client, peer(12)), State::ready);
  ASSERT_TRUE(client.send(bytes("register")));
  h.pump(client, peer(12));
  EXPECT_EQ(h.server.send(peer(12), Datagram(1200, 'x')), SendResult::too_long);
  EXPECT_EQ(h.server.send(peer(12), Datagram(1024, 'x')), SendResult::ok);
  h.now += 5000;
  h.server.poll(h.now);
  ASSERT_EQ(h.server.state(peer(12)), SessionState::saved);
  EXPECT_EQ(h.server.send(peer(12), Datagram(1200, 'x')), SendResult::too_long);  // restored with it
  for (const auto& d : h.to_client[peer(12)]) EXPECT_LE(d.size(), 1152u);
}

// Closes the session from inside its own record callback.
struct Closer : Harness {
  void on_record(const Peer& p, std::string_view id, Bytes b) override {
    Harness::on_record(p, id, b);
    server.close(p);
  }
};

TEST(ServerDtls, HookMayCloseThePeerItIsTold) {
  Closer h;
  PskClient client("dev-1", bytes("0123456789abcdef"), fast());
  ASSERT_EQ(h.connect(client, peer(9)), State::ready);
  // Two records in one datagram: the session is gone after the first.
  ASSERT_TRUE(client.send(bytes("one")));
  ASSERT_TRUE(client.send(bytes("two")));
  Datagram both;
  for (const auto& d : client.outbox()) both.insert(both.end(), d.begin(), d.end());
  client.outbox().clear();
  h.server.on_datagram(peer(9), both, h.now);
  EXPECT_EQ(h.all(Event::record), std::vector<std::string>{"dev-1: one"});
  EXPECT_EQ(h.server.state(peer(9)), SessionState::none);
  h.pump(client, peer(9));
  EXPECT_EQ(client.state(), State::closed);
}

TEST(ServerDtls, ANewHandshakeFromTheSameAddressReplacesTheSession) {
  Harness h;
  PskClient first("dev-1", bytes("0123456789abcdef"), fast(1));
  ASSERT_EQ(h.connect(first, peer(10)), State::ready);
  ASSERT_TRUE(first.send(bytes("hello")));
  h.pump(first, peer(10));
  // The device rebooted and kept its port (RFC 6347 4.2.8): its cookie-checked ClientHello
  // ends the old session and starts a new one in the same context.
  PskClient second("dev-1", bytes("0123456789abcdef"), fast(2));
  ASSERT_EQ(h.connect(second, peer(10)), State::ready) << second.last_error();
  EXPECT_EQ(h.all(Event::closed), std::vector<std::string>{"reconnect"});
  EXPECT_EQ(h.all(Event::handshake), (std::vector<std::string>{"dev-1", "dev-1"}));
  h.echo = true;
  ASSERT_TRUE(second.send(bytes("again")));
  h.pump(second, peer(10));
  EXPECT_EQ(Harness::received(second), std::vector<std::string>{"again"});
  EXPECT_EQ(h.server.stats().live, 1u);
}

}  // namespace
}  // namespace tl::server::dtls::test
