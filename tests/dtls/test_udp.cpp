// PosixPlatform's UDP sockets and PlainTransport over loopback.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "posix/plain_transport.hpp"
#include "posix/posix_platform.hpp"

namespace tl::dtls::test {
namespace {

using client::SocketId;
using wire::Error;

class Udp : public ::testing::Test {
 protected:
  std::string receive(SocketId s) {
    std::array<uint8_t, 256> buf{};
    if (!platform_.wait(s, platform_.monotonic_ms() + 2000)) return "<timeout>";
    const auto r = platform_.receive(s, buf);
    if (!r) return std::string("<") + wire::error_name(r.error()) + ">";
    return std::string(reinterpret_cast<const char*>(buf.data()), *r);
  }

  TempDir dir_;
  posix::PosixPlatform platform_{dir_.path()};
  UdpPeer peer_;
};

TEST_F(Udp, SendAndReceiveIPv4) {
  ASSERT_TRUE(peer_.ok());
  const auto s = platform_.open_udp("127.0.0.1", peer_.port());
  ASSERT_TRUE(s.ok());
  std::array<uint8_t, 16> buf{};
  EXPECT_EQ(platform_.receive(*s, buf).error(), Error::end);  // non-blocking
  ASSERT_EQ(platform_.send(*s, bytes("ping")), Error::ok);
  EXPECT_EQ(peer_.receive(), "ping");
  peer_.reply("pong");
  EXPECT_EQ(receive(*s), "pong");
  peer_.reply("");
  EXPECT_EQ(receive(*s), "");  // an empty datagram is a datagram
  platform_.close(*s);
}

TEST_F(Udp, HostNameAndIPv6) {
  ASSERT_TRUE(peer_.ok());
  const auto named = platform_.open_udp("localhost", peer_.port());
  ASSERT_TRUE(named.ok());
  platform_.close(*named);

  UdpPeer peer6(AF_INET6);
  if (!peer6.ok()) GTEST_SKIP() << "no IPv6 loopback";
  const auto s = platform_.open_udp("[::1]", peer6.port());
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(platform_.send(*s, bytes("six")), Error::ok);
  EXPECT_EQ(peer6.receive(), "six");
  peer6.reply("back");
  EXPECT_EQ(receive(*s), "back");
}

TEST_F(Udp, DatagramTooLongIsDropped) {
  const auto s = platform_.open_udp("127.0.0.1", peer_.port());
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(platform_.send(*s, bytes("x")), Error::ok);
  ASSERT_EQ(peer_.receive(), "x");
  peer_.reply("0123456789");
  ASSERT_TRUE(platform_.wait(*s, platform_.monotonic_ms() + 2000));
  std::array<uint8_t, 4> small{};
  EXPECT_EQ(platform_.receive(*s, small).error(), Error::buffer_too_small);
  EXPECT_EQ(platform_.receive(*s, small).error(), Error::end);
}

TEST_F(Udp, OnlyTheServerIsHeard) {
  posix::UdpSockets sockets;
  const auto s = sockets.open("127.0.0.1", peer_.port());
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(sockets.send(*s, bytes("hello")), Error::ok);
  ASSERT_EQ(peer_.receive(), "hello");
  sockaddr_in local{};
  socklen_t len = sizeof local;
  ASSERT_EQ(getsockname(sockets.fd(*s), reinterpret_cast<sockaddr*>(&local), &len), 0);
  UdpPeer stranger;
  stranger.send_to(ntohs(local.sin_port), "intruder");
  peer_.reply("server");
  std::array<uint8_t, 16> buf{};
  wire::Result<size_t> r = Error::end;
  for (int i = 0; i < 200 && r.error() == Error::end; ++i) {
    r = sockets.receive(*s, buf);
    if (r.error() == Error::end) usleep(5000);
  }
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(buf.data()), *r), "server");
  EXPECT_EQ(sockets.receive(*s, buf).error(), Error::end);
}

TEST_F(Udp, Errors) {
  EXPECT_EQ(platform_.open_udp("", 5683).error(), Error::malformed);
  EXPECT_EQ(platform_.open_udp("[]", 5683).error(), Error::malformed);
  std::vector<SocketId> open;
  for (size_t i = 0; i < posix::UdpSockets::kMaxSockets; ++i) {
    const auto s = platform_.open_udp("127.0.0.1", peer_.port());
    ASSERT_TRUE(s.ok());
    open.push_back(*s);
  }
  EXPECT_EQ(platform_.open_udp("127.0.0.1", peer_.port()).error(), Error::too_many_items);
  platform_.close(open.back());
  EXPECT_TRUE(platform_.open_udp("127.0.0.1", peer_.port()).ok());  // the slot is free again
  EXPECT_EQ(platform_.send(client::kNoSocket, bytes("x")), Error::malformed);
}

TEST_F(Udp, PlainTransportRoundTrip) {
  posix::PlainTransport t(platform_);
  EXPECT_EQ(t.state(), client::Transport::State::closed);
  EXPECT_EQ(t.send(bytes("early")), Error::end);
  client::Credentials nosec;
  nosec.mode = client::SecurityMode::nosec;
  ASSERT_EQ(t.open("127.0.0.1", peer_.port(), nosec), Error::ok);
  EXPECT_EQ(t.state(), client::Transport::State::ready);
  EXPECT_EQ(t.poll(platform_.monotonic_ms()), UINT64_MAX);
  ASSERT_EQ(t.send(bytes("coap")), Error::ok);
  EXPECT_EQ(peer_.receive(), "coap");
  peer_.reply("reply");
  EXPECT_EQ(receive_one(platform_, t), "reply");
  t.close();
  EXPECT_EQ(t.state(), client::Transport::State::closed);
  EXPECT_EQ(t.socket(), client::kNoSocket);
}

TEST_F(Udp, PlainTransportRefusesPsk) {
  posix::PlainTransport t(platform_);
  EXPECT_EQ(t.open("127.0.0.1", peer_.port(), client::Credentials{}), Error::unsupported);
  EXPECT_EQ(t.state(), client::Transport::State::closed);
}

}  // namespace
}  // namespace tl::dtls::test
