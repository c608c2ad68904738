// Our client against our responder: size negotiation both ways, 4.13, CON notifications, and a
// retransmitted CON answered from the deduplication cache.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>

#include "coaptool/client.hpp"
#include "coaptool/clock.hpp"
#include "coaptool/responder.hpp"

namespace tl::interop {
namespace {

using coaptool::coap::Code;

class SelfLoop : public ::testing::Test {
 protected:
  void start(coaptool::ResponderConfig cfg) {
    cfg.port = 0;
    responder_ = std::make_unique<coaptool::Responder>(cfg);
    thread_ = std::thread([this] { responder_->run(stop_); });
  }
  void TearDown() override {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  coaptool::ClientConfig client_config() const {
    coaptool::ClientConfig c;
    c.port = responder_->port();
    c.params.ack_timeout_ms = 300;
    return c;
  }

  std::unique_ptr<coaptool::Responder> responder_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
};

TEST_F(SelfLoop, ServerLimitsBlock2Size) {
  coaptool::ResponderConfig cfg;
  cfg.max_szx = 2;  // 64-byte blocks although the client asks for 1024
  cfg.large_size = 1000;
  start(cfg);
  coaptool::ClientConfig c = client_config();
  c.szx = 6;
  EXPECT_EQ(coaptool::Client(c).get("/large").text(), coaptool::large_body(1000));
}

TEST_F(SelfLoop, ServerLimitsBlock1Size) {
  coaptool::ResponderConfig cfg;
  cfg.max_szx = 1;  // 2.31 answers ask for 32-byte blocks (RFC 7959 Figure 7)
  start(cfg);
  coaptool::ClientConfig c = client_config();
  c.szx = 4;
  std::vector<uint8_t> body(1000);
  for (size_t i = 0; i < body.size(); ++i) body[i] = static_cast<uint8_t>(i * 7);
  EXPECT_EQ(coaptool::Client(c).put("/store", body).code, Code::changed);
  EXPECT_EQ(coaptool::Client(client_config()).get("/store").payload, body);
}

TEST_F(SelfLoop, TooLargeBodyIs413) {
  coaptool::ResponderConfig cfg;
  cfg.max_body = 500;
  start(cfg);
  coaptool::ClientConfig c = client_config();
  c.szx = 2;
  EXPECT_EQ(coaptool::Client(c).put("/store", std::vector<uint8_t>(600, 'x')).code,
            Code::request_entity_too_large);
}

TEST_F(SelfLoop, ConfirmableNotifications) {
  coaptool::ResponderConfig cfg;
  cfg.observe_interval_ms = 50;
  cfg.confirmable_notifications = true;
  start(cfg);
  std::vector<uint32_t> seqs;
  coaptool::Client(client_config())
      .observe(
          "/obs", 5, [&](const coaptool::Notification& n) { seqs.push_back(n.sequence); }, 2'000);
  ASSERT_EQ(seqs.size(), 5u);
  for (size_t i = 1; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], (seqs[i - 1] + 1) & 0xFFFFFF);
}

TEST_F(SelfLoop, NonConfirmableRequests) {
  start({});
  coaptool::ClientConfig c = client_config();
  c.confirmable = false;
  EXPECT_EQ(coaptool::Client(c).get("/hello").text(), "Hello from tinyloop");
}

TEST_F(SelfLoop, DuplicateConGetsTheSameResponse) {
  start({});
  coaptool::Msg req;
  req.code = Code::put;
  req.mid = 0x4242;
  req.token = {1, 2, 3};
  req.set_path("/store");
  req.payload = {'o', 'n', 'e'};
  coaptool::UdpSocket sock("127.0.0.1", 0);
  const auto server = coaptool::Endpoint::resolve("127.0.0.1", responder_->port());
  sock.send(server, coaptool::encode(req));
  const auto first = sock.receive(2'000);
  // The same message ID again with a different body: a retransmission, so it is not applied.
  req.payload = {'t', 'w', 'o'};
  sock.send(server, coaptool::encode(req));
  const auto second = sock.receive(2'000);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->data, second->data);
  EXPECT_EQ(coaptool::Client(client_config()).get("/store").text(), "one");
}

TEST_F(SelfLoop, DuplicateNonIsIgnored) {
  start({});
  coaptool::Msg req;
  req.type = coaptool::coap::Type::non;
  req.code = Code::get;
  req.mid = 0x1717;
  req.token = {9};
  req.set_path("/hello");
  coaptool::UdpSocket sock("127.0.0.1", 0);
  const auto server = coaptool::Endpoint::resolve("127.0.0.1", responder_->port());
  sock.send(server, coaptool::encode(req));
  EXPECT_TRUE(sock.receive(2'000));
  sock.send(server, coaptool::encode(req));
  EXPECT_FALSE(sock.receive(300));
}

TEST_F(SelfLoop, SilentObserverIsDropped) {
  coaptool::ResponderConfig cfg;
  cfg.observe_interval_ms = 20;
  cfg.params.ack_timeout_ms = 50;
  cfg.params.max_retransmit = 1;
  start(cfg);
  coaptool::Msg reg;
  reg.code = Code::get;
  reg.mid = 0x2020;
  reg.token = {4, 2};
  reg.set_path("/obs");
  reg.add_uint(coaptool::coap::OptionNumber::observe, coaptool::coap::kObserveRegister);
  coaptool::UdpSocket sock("127.0.0.1", 0);
  sock.send(coaptool::Endpoint::resolve("127.0.0.1", responder_->port()), coaptool::encode(reg));
  // Never acknowledge: the fifth notification is CON, its retransmission gives up within
  // 2 * 75 ms, and the observation ends. Drain for a second, then expect silence.
  size_t received = 0;
  for (const uint64_t end = coaptool::now_ms() + 1'000; coaptool::now_ms() < end;) {
    if (sock.receive(50)) ++received;
  }
  EXPECT_GE(received, 5u);
  EXPECT_FALSE(sock.receive(300));
}

}  // namespace
}  // namespace tl::interop
