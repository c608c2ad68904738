// The loopback baseline moves datagrams both ways and counts them on the right side.
#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <thread>

#include "sim/loadgen/echo.hpp"

namespace tl::sim::loadgen {
namespace {

class EchoTest : public ::testing::Test {
 protected:
  EchoTest() : server_(loopback(0)) {
    thread_ = std::thread([this] { server_.run(stop_); });
  }
  ~EchoTest() override {
    stop_ = true;
    thread_.join();
  }
  static sockaddr_in loopback(uint16_t port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    return a;
  }
  EchoOptions options() {
    EchoOptions o;
    o.server = loopback(server_.port());
    o.sockets = 2;
    o.seconds = 0.3;
    return o;
  }

  EchoServer server_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

TEST_F(EchoTest, RoundTripMovesDatagrams) {
  const EchoResult r = echo_round_trip(options());
  EXPECT_GT(r.received, 0u);
  EXPECT_LE(r.received, r.sent);
  EXPECT_GT(r.rate(), 0.0);
  EXPECT_GT(server_.echoed(), 0u);  // counted after sendmmsg returns: it may trail the client
}

TEST_F(EchoTest, OneWayIsCountedByTheServer) {
  const EchoResult r = echo_one_way(options());
  EXPECT_GT(r.received, 0u);
  EXPECT_LE(r.received, r.sent);
  EXPECT_EQ(server_.counted(), r.received);
}

TEST(Echo, NoServerSaysWhatToStart) {
  EchoOptions o;
  o.server = parse_address("127.0.0.1:9").value();
  o.seconds = 0.1;
  o.sockets = 1;
  try {
    echo_round_trip(o);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("echo-server"), std::string::npos);
  }
}

}  // namespace
}  // namespace tl::sim::loadgen
