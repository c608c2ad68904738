// Our client (tl::coaptool::Client) against libcoap's coap-server-notls on 127.0.0.1.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "coaptool/client.hpp"
#include "process.hpp"

namespace tl::interop {
namespace {

constexpr const char* kServer = "coap-server-notls";

// coap-server's /example_data: 1500 bytes of "a123456789b123456789...z123456789" repeated.
std::string example_data() {
  std::string s;
  for (size_t i = 0; i < 1500; ++i) {
    s += i % 10 == 0 ? static_cast<char>('a' + (i / 10) % 26) : static_cast<char>('0' + i % 10);
  }
  return s;
}

class LibcoapServer : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_program(kServer)) GTEST_SKIP() << kServer << " not installed (Debian package libcoap3-bin)";
    port_ = free_udp_port();
    server_ = std::make_unique<Background>(
        std::vector<std::string>{kServer, "-A", "127.0.0.1", "-p", std::to_string(port_)});
    wait_until_ready();
  }

  coaptool::ClientConfig config() const {
    coaptool::ClientConfig c;
    c.port = port_;
    c.params.ack_timeout_ms = 500;  // loopback: fail fast when something is wrong
    return c;
  }

  // The server needs a moment to bind; poll it with short NON requests.
  void wait_until_ready() {
    for (int attempt = 0; attempt < 50; ++attempt) {
      try {
        coaptool::ClientConfig c = config();
        c.params.ack_timeout_ms = 100;
        c.params.max_retransmit = 0;
        coaptool::Client(c).get("/.well-known/core");
        return;
      } catch (const std::exception&) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
    FAIL() << kServer << " did not answer on port " << port_;
  }

  uint16_t port_ = 0;
  std::unique_ptr<Background> server_;
};

TEST_F(LibcoapServer, GetWellKnownCore) {
  coaptool::Client client(config());
  const auto r = client.get("/.well-known/core");
  EXPECT_EQ(r.code, coaptool::coap::Code::content);
  EXPECT_NE(r.text().find("</time>"), std::string::npos) << r.text();
  EXPECT_NE(r.text().find("</example_data>"), std::string::npos) << r.text();
}

TEST_F(LibcoapServer, GetLargeBodyWithBlock2) {
  for (const uint8_t szx : {uint8_t{2}, uint8_t{4}, uint8_t{6}}) {
    coaptool::ClientConfig c = config();
    c.szx = szx;
    const auto r = coaptool::Client(c).get("/example_data");
    EXPECT_EQ(r.code, coaptool::coap::Code::content);
    EXPECT_EQ(r.text(), example_data()) << "szx " << int{szx};
  }
  const auto r = coaptool::Client(config()).get("/example_data");  // the server picks the size
  EXPECT_EQ(r.text(), example_data());
}

TEST_F(LibcoapServer, GetNonConfirmable) {
  coaptool::ClientConfig c = config();
  c.confirmable = false;
  const auto r = coaptool::Client(c).get("/");
  EXPECT_EQ(r.code, coaptool::coap::Code::content);
  EXPECT_NE(r.text().find("libcoap"), std::string::npos) << r.text();
}

TEST_F(LibcoapServer, SeparateResponseFromAsync) {
  // /async answers with an empty ACK first and the response in a later CON (RFC 7252 5.2.2).
  const auto r = coaptool::Client(config()).get("/async");
  EXPECT_EQ(r.code, coaptool::coap::Code::content);
  EXPECT_EQ(r.text(), "done");
}

TEST_F(LibcoapServer, ObserveTime) {
  coaptool::Client client(config());
  std::vector<coaptool::Notification> seen;
  client.observe(
      "/time", 3, [&](const coaptool::Notification& n) { seen.push_back(n); }, 5'000);
  ASSERT_EQ(seen.size(), 3u);
  for (const auto& n : seen) EXPECT_FALSE(n.response.payload.empty());
  EXPECT_NE(seen.front().sequence, seen.back().sequence);
}

TEST_F(LibcoapServer, PutWithBlock1ThenGet) {
  std::vector<uint8_t> body(2500);
  for (size_t i = 0; i < body.size(); ++i) body[i] = static_cast<uint8_t>('A' + i % 23);
  coaptool::ClientConfig c = config();
  c.szx = 3;  // 128-byte blocks
  const auto put = coaptool::Client(c).put("/example_data", body);
  EXPECT_EQ(coaptool::coap::code_class(put.code), 2) << coaptool::code_text(put.code);
  const auto get = coaptool::Client(config()).get("/example_data");
  EXPECT_EQ(get.payload, body);
}

}  // namespace
}  // namespace tl::interop
