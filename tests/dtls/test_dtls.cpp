// DtlsTransport against the mbedTLS echo server of echo_server.hpp.
#include <gtest/gtest.h>
#include <mbedtls/error.h>

#include <string>
#include <vector>

#include "dtls/dtls_transport.hpp"
#include "echo_server.hpp"
#include "helpers.hpp"

namespace tl::dtls::test {
namespace {

using client::SecurityMode;
using State = client::Transport::State;
using wire::Error;

constexpr const char* kIdentity = "tinyloop-node-1";
constexpr const char* kKey = "0123456789abcdef";

client::Credentials psk(const char* identity, const std::string& key) {
  client::Credentials c;
  c.mode = SecurityMode::psk;
  c.identity = wire::as_bytes(identity);
  c.key = wire::as_bytes(key);
  return c;
}

std::string mbedtls_text(int code) {
  char buf[128];
  mbedtls_strerror(code, buf, sizeof buf);
  return buf;
}

class Dtls : public ::testing::Test {
 protected:
  // Short retransmission timeouts: loopback answers in microseconds, and a failure must show
  // within a couple of seconds.
  static constexpr DtlsConfig kFast{100, 800};

  bool handshake(DtlsTransport& t, uint16_t port, const client::Credentials& c, uint64_t limit_ms = 5000) {
    if (t.open("127.0.0.1", port, c) != Error::ok) return false;
    drive(platform_, t, [&] { return t.state() != State::connecting; }, limit_ms);
    return t.state() == State::ready;
  }

  TempDir dir_;
  posix::PosixPlatform platform_{dir_.path()};
};

TEST_F(Dtls, HandshakeAndEchoWithEachMandatorySuite) {
  const std::vector<std::pair<int, std::string>> suites = {
      {MBEDTLS_TLS_PSK_WITH_AES_128_CCM_8, "TLS-PSK-WITH-AES-128-CCM-8"},
      {MBEDTLS_TLS_PSK_WITH_AES_128_CBC_SHA256, "TLS-PSK-WITH-AES-128-CBC-SHA256"}};
  for (const auto& [id, name] : suites) {
    EchoServer server(kIdentity, kKey, id);
    DtlsTransport t(platform_, kFast);
    ASSERT_TRUE(handshake(t, server.port(), psk(kIdentity, kKey))) << mbedtls_text(t.last_error());
    EXPECT_EQ(t.ciphersuite(), name);
    ASSERT_EQ(t.send(bytes("hello over dtls")), Error::ok);
    EXPECT_EQ(receive_one(platform_, t), "hello over dtls");
    ASSERT_EQ(t.send(bytes("second")), Error::ok);
    EXPECT_EQ(receive_one(platform_, t), "second");
    EXPECT_EQ(server.sessions(), 1);
  }
}

TEST_F(Dtls, PrefersCcm8) {
  EchoServer server(kIdentity, kKey);
  DtlsTransport t(platform_, kFast);
  ASSERT_TRUE(handshake(t, server.port(), psk(kIdentity, kKey)));
  EXPECT_STREQ(t.ciphersuite(), "TLS-PSK-WITH-AES-128-CCM-8");
}

TEST_F(Dtls, WrongKeyFailsWithinTheHandshakeTimeout) {
  EchoServer server(kIdentity, kKey);
  DtlsTransport t(platform_, kFast);
  const uint64_t start = platform_.monotonic_ms();
  EXPECT_FALSE(handshake(t, server.port(), psk(kIdentity, "not the right key"), 10000));
  EXPECT_EQ(t.state(), State::failed);
  // 100 + 200 + 400 + 800 ms of retransmissions, then the timeout.
  EXPECT_LT(platform_.monotonic_ms() - start, 4000u);
  EXPECT_NE(t.last_error(), 0);
  EXPECT_EQ(t.send(bytes("x")), Error::end);
  EXPECT_EQ(server.sessions(), 0);
}

TEST_F(Dtls, UnknownIdentityFails) {
  EchoServer server(kIdentity, kKey);
  DtlsTransport t(platform_, kFast);
  EXPECT_FALSE(handshake(t, server.port(), psk("someone-else", kKey)));
  EXPECT_EQ(t.state(), State::failed);
}

TEST_F(Dtls, NobodyListeningFails) {
  const uint16_t port = UdpPeer().port();  // free again once the peer is gone
  DtlsTransport t(platform_, kFast);
  const uint64_t start = platform_.monotonic_ms();
  EXPECT_FALSE(handshake(t, port, psk(kIdentity, kKey)));
  EXPECT_EQ(t.state(), State::failed);
  EXPECT_LT(platform_.monotonic_ms() - start, 4000u);
}

TEST_F(Dtls, ReceiveDropsADatagramLongerThanTheBuffer) {
  EchoServer server(kIdentity, kKey);
  DtlsTransport t(platform_, kFast);
  ASSERT_TRUE(handshake(t, server.port(), psk(kIdentity, kKey)));
  ASSERT_EQ(t.send(bytes("0123456789")), Error::ok);
  std::vector<uint8_t> small(4);
  Error e = Error::end;
  ASSERT_TRUE(drive(platform_, t, [&] { return (e = t.receive(small).error()) != Error::end; }, 3000));
  EXPECT_EQ(e, Error::buffer_too_small);
  ASSERT_EQ(t.send(bytes("ok")), Error::ok);
  EXPECT_EQ(receive_one(platform_, t), "ok");  // the rest of the long one was not handed out
}

TEST_F(Dtls, ReopenAfterClose) {
  EchoServer server(kIdentity, kKey);
  DtlsTransport t(platform_, kFast);
  ASSERT_TRUE(handshake(t, server.port(), psk(kIdentity, kKey)));
  t.close();
  EXPECT_EQ(t.state(), State::closed);
  EXPECT_EQ(t.socket(), client::kNoSocket);
  EXPECT_STREQ(t.ciphersuite(), "");
  ASSERT_TRUE(handshake(t, server.port(), psk(kIdentity, kKey))) << mbedtls_text(t.last_error());
  ASSERT_EQ(t.send(bytes("again")), Error::ok);
  EXPECT_EQ(receive_one(platform_, t), "again");
  EXPECT_EQ(server.sessions(), 2);
}

TEST_F(Dtls, PeerCloseNotifyClosesTheTransport) {
  DtlsTransport t(platform_, kFast);
  {
    EchoServer server(kIdentity, kKey);
    ASSERT_TRUE(handshake(t, server.port(), psk(kIdentity, kKey)));
  }  // the server sends close_notify as it stops
  std::vector<uint8_t> buf(16);
  drive(platform_, t, [&] { return t.receive(buf).error() != Error::end || t.state() != State::ready; }, 3000);
  EXPECT_EQ(t.state(), State::closed);
  EXPECT_EQ(t.socket(), client::kNoSocket);
}

TEST_F(Dtls, BadCredentialsAndModes) {
  DtlsTransport t(platform_, kFast);
  client::Credentials nosec;
  nosec.mode = SecurityMode::nosec;
  EXPECT_EQ(t.open("127.0.0.1", 5684, nosec), Error::unsupported);
  EXPECT_EQ(t.open("127.0.0.1", 5684, psk(kIdentity, "")), Error::malformed);
  EXPECT_EQ(t.open("127.0.0.1", 5684, psk("", kKey)), Error::malformed);
  EXPECT_EQ(t.open("127.0.0.1", 5684, psk(kIdentity, std::string(MBEDTLS_PSK_MAX_LEN + 1, 'k'))), Error::unsupported);
  EXPECT_EQ(t.open("", 5684, psk(kIdentity, kKey)), Error::malformed);
  EXPECT_EQ(t.state(), State::closed);
  EXPECT_EQ(t.send(bytes("x")), Error::end);
  std::vector<uint8_t> buf(8);
  EXPECT_EQ(t.receive(buf).error(), Error::end);
}

}  // namespace
}  // namespace tl::dtls::test
