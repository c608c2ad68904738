// Many sessions under a small max_live and a short idle time, random traffic both ways and
// random clock jumps: every session is saved and restored many times, and every record must
// arrive, in order, at the right side with the right identity.
#include <gtest/gtest.h>

#include <random>

#include "harness.hpp"

namespace tl::server::dtls::test {
namespace {

using State = PskClient::State;

TEST(ServerDtlsChurn, EveryRecordArrivesAcrossSavesAndRestores) {
  Config c;
  c.idle_ms = 500;
  c.max_live = 5;
  c.spare_contexts = 2;
  Harness h(c);
  constexpr uint8_t kClients = 40;
  std::vector<std::unique_ptr<PskClient>> clients;
  for (uint8_t i = 0; i < kClients; ++i) {
    const std::string id = "dev-" + std::to_string(i % 3 + 1);
    clients.push_back(std::make_unique<PskClient>(id, h.keys[id], fast(i + 1)));
    ASSERT_EQ(h.connect(*clients.back(), peer(i + 1)), State::ready) << int(i);
    ASSERT_TRUE(clients.back()->send(bytes("register")));
    h.pump(*clients.back(), peer(i + 1));
  }
  std::mt19937 rng(42);
  size_t up = 0, down = 0;
  for (int step = 0; step < 2000; ++step) {
    const uint8_t i = uint8_t(rng() % kClients);
    PskClient& client = *clients[i];
    const std::string msg = "m" + std::to_string(step);
    switch (rng() % 4) {
      case 0: {  // device to server
        ASSERT_TRUE(client.send(bytes(msg)));
        const size_t before = h.events.size();
        h.pump(client, peer(i + 1));
        ASSERT_EQ(h.events.size(), before + 1) << step;
        EXPECT_EQ(h.events.back().data, "dev-" + std::to_string(i % 3 + 1) + ": " + msg);
        ++up;
        break;
      }
      case 1: {  // server to device
        ASSERT_EQ(h.server.send(peer(i + 1), bytes(msg)), SendResult::ok) << step;
        h.pump(client, peer(i + 1));
        ASSERT_EQ(Harness::received(client), std::vector<std::string>{msg}) << step;
        ++down;
        break;
      }
      case 2:
        h.now += rng() % 700;
        h.server.poll(h.now);
        break;
      default: break;
    }
    const Stats s = h.server.stats();
    ASSERT_LE(s.live, 5u);
    ASSERT_EQ(s.live + s.saved, kClients);
  }
  const Stats s = h.server.stats();
  EXPECT_GT(s.saves, 100u);
  EXPECT_GT(s.restores, 100u);
  EXPECT_EQ(s.records_in, up + kClients);
  EXPECT_EQ(s.records_out, down);
  EXPECT_EQ(s.decrypt_failures, 0u);
  EXPECT_TRUE(h.all(Event::closed).empty());
}

}  // namespace
}  // namespace tl::server::dtls::test
