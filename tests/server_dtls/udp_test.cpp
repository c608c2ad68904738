// The device's own DTLS client (src/dtls DtlsTransport on the POSIX port) against DtlsServer on a
// real UDP socket on 127.0.0.1, both driven from this thread; bounded by an iteration count and
// a time limit, it stops by itself.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <string>

#include "dtls/dtls_transport.hpp"
#include "posix/posix_platform.hpp"
#include "server/dtls/dtls_server.hpp"

namespace tl::server::dtls::test {
namespace {

using TransportState = client::Transport::State;

class UdpServer : public Hooks {
 public:
  UdpServer() : fd_(socket(AF_INET, SOCK_DGRAM, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    ok_ = fd_ >= 0 && bind(fd_, reinterpret_cast<sockaddr*>(&a), len) == 0 &&
          getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) == 0;
    port_ = ntohs(a.sin_port);
  }
  ~UdpServer() override {
    if (fd_ >= 0) ::close(fd_);
  }

  bool ok() const { return ok_; }
  uint16_t port() const { return port_; }

  // Waits up to `ms` for one datagram and hands it to the server; then polls it.
  void serve(int ms) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, ms) > 0) {
      uint8_t buf[2048];
      sockaddr_in from{};
      socklen_t len = sizeof from;
      const ssize_t n = recvfrom(fd_, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
      if (n >= 0) {
        std::array<uint8_t, 4> ip;
        std::memcpy(ip.data(), &from.sin_addr, 4);
        server.on_datagram(Peer::v4(ip, ntohs(from.sin_port)), Bytes(buf, size_t(n)), now_ms());
      }
    }
    server.poll(now_ms());
  }

  void send(const Peer& peer, Bytes d) override {
    sockaddr_in to{};
    to.sin_family = AF_INET;
    std::memcpy(&to.sin_addr, peer.address().data(), 4);
    to.sin_port = htons(peer.port());
    sendto(fd_, d.data(), d.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
  }
  std::optional<Psk> psk(Bytes identity) override {
    if (std::string(identity.begin(), identity.end()) != "udp-device") return std::nullopt;
    return Psk::of(wire::as_bytes("0123456789abcdef"));
  }
  void on_handshake(const Peer&, std::string_view identity) override { identity_ = identity; }
  void on_record(const Peer& peer, std::string_view, Bytes plaintext) override {
    last_record_.assign(plaintext.begin(), plaintext.end());
    this->server.send(peer, wire::as_bytes("echo: " + last_record_));
  }
  void on_closed(const Peer&, Reason reason) override { closed_ = to_string(reason); }
  // The server's own clock, moved by the test (the device keeps real time for its timers).
  uint64_t now_ms() override { return now; }
  uint64_t now = 1000;

  std::string identity_, last_record_, closed_;

 private:
  int fd_;
  bool ok_ = false;
  uint16_t port_ = 0;

 public:
  DtlsServer server{Config{}, *this};  // idle_ms 30 s
};

TEST(ServerDtlsUdp, DeviceTransportHandshakesAndTalks) {
  const auto dir = std::filesystem::temp_directory_path() / ("tl-server-dtls-" + std::to_string(getpid()));
  posix::PosixPlatform platform(dir.string());
  UdpServer udp;
  ASSERT_TRUE(udp.ok());

  ::tl::dtls::DtlsTransport device(platform, ::tl::dtls::DtlsConfig{100, 800});
  client::Credentials creds;
  creds.mode = client::SecurityMode::psk;
  creds.identity = wire::as_bytes("udp-device");
  creds.key = wire::as_bytes("0123456789abcdef");
  ASSERT_EQ(device.open("127.0.0.1", udp.port(), creds), wire::Error::ok);

  // Lock-step: the client's poll sends, the server answers within 20 ms; at most 5 s in all.
  const uint64_t end = platform.monotonic_ms() + 5000;
  while (device.state() == TransportState::connecting && platform.monotonic_ms() < end) {
    device.poll(platform.monotonic_ms());
    udp.serve(20);
  }
  ASSERT_EQ(device.state(), TransportState::ready);
  EXPECT_EQ(udp.identity_, "udp-device");
  EXPECT_EQ(udp.server.stats().hello_verify, 1u);
  EXPECT_STREQ(device.ciphersuite(), "TLS-PSK-WITH-AES-128-CCM-8");

  ASSERT_EQ(device.send(wire::as_bytes("POST /rd")), wire::Error::ok);
  std::string reply;
  uint8_t buf[512];
  while (reply.empty() && platform.monotonic_ms() < end) {
    udp.serve(20);
    device.poll(platform.monotonic_ms());
    const auto got = device.receive(buf);
    if (got.ok()) reply.assign(reinterpret_cast<const char*>(buf), *got);
  }
  EXPECT_EQ(udp.last_record_, "POST /rd");
  EXPECT_EQ(reply, "echo: POST /rd");

  // Idle on the server's clock: the session is saved; the device's next record restores it.
  udp.now += 30000;
  udp.server.poll(udp.now);
  ASSERT_EQ(udp.server.stats().saved, 1u);
  ASSERT_EQ(device.send(wire::as_bytes("notify")), wire::Error::ok);
  reply.clear();
  while (reply.empty() && platform.monotonic_ms() < end) {
    udp.serve(20);
    device.poll(platform.monotonic_ms());
    const auto got = device.receive(buf);
    if (got.ok()) reply.assign(reinterpret_cast<const char*>(buf), *got);
  }
  EXPECT_EQ(reply, "echo: notify");
  EXPECT_EQ(udp.server.stats().restores, 1u);

  device.close();  // close_notify
  while (udp.closed_.empty() && platform.monotonic_ms() < end) udp.serve(20);
  EXPECT_EQ(udp.closed_, "peer_closed");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tl::server::dtls::test
