// Peer keys and the flat table that holds them.
#include <gtest/gtest.h>

#include <random>
#include <unordered_map>

#include "server/dtls/peer.hpp"
#include "server/dtls/peer_map.hpp"

namespace tl::server::dtls {
namespace {

TEST(Peer, TextForms) {
  EXPECT_EQ(Peer::v4({192, 0, 2, 1}, 5684).text(), "192.0.2.1:5684");
  EXPECT_EQ(Peer{}.text(), "-");
  EXPECT_EQ(Peer::v6({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 5684).text(), "[2001:db8::1]:5684");
  EXPECT_EQ(Peer::v6({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 1).text(), "[::1]:1");
  EXPECT_EQ(Peer::v6({}, 2).text(), "[::]:2");
  // Only the longest zero run is compressed, and a single zero group is not.
  EXPECT_EQ(Peer::v6({0x20, 0x01, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 3).text(), "[2001:0:1::1]:3");
  EXPECT_EQ(Peer::v6({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1}, 4).text(),
            "[2001:db8:0:1:1:1:1:1]:4");
  EXPECT_EQ(Peer::v6({0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 5).text(), "[fe80::]:5");
}

TEST(Peer, MappedIpv4IsTheIpv4Peer) {
  const Peer mapped = Peer::v6({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1}, 5684);
  EXPECT_FALSE(mapped.is_v6());
  EXPECT_EQ(mapped, Peer::v4({127, 0, 0, 1}, 5684));
  EXPECT_EQ(mapped.hash(), Peer::v4({127, 0, 0, 1}, 5684).hash());
  EXPECT_EQ(mapped.address().size(), 4u);
}

TEST(Peer, EqualityAndHashCoverAddressPortAndFamily) {
  const Peer a = Peer::v4({10, 0, 0, 1}, 1);
  EXPECT_NE(a, Peer::v4({10, 0, 0, 1}, 2));
  EXPECT_NE(a, Peer::v4({10, 0, 0, 2}, 1));
  EXPECT_NE(a, Peer::v6({10, 0, 0, 1}, 1));
  EXPECT_NE(a.hash(), Peer::v4({10, 0, 0, 1}, 2).hash());
  EXPECT_NE(a.hash(7), a.hash(8));
}

struct TestSlot {
  Peer peer;
  uint32_t value = 0;
};

// Random inserts and erases against std::unordered_map: backward-shift erase must keep every
// remaining key reachable, across growth and wrap-around.
TEST(PeerMap, MatchesAReferenceMapUnderChurn) {
  PeerMap<TestSlot> map(12345);
  std::unordered_map<Peer, uint32_t> ref;
  std::mt19937 rng(1);
  for (uint32_t i = 0; i < 20000; ++i) {
    const Peer p = Peer::v4({10, 0, uint8_t(rng() % 4), uint8_t(rng() % 64)}, uint16_t(rng() % 8));
    if (rng() % 3 == 0) {
      EXPECT_EQ(map.erase(p), ref.erase(p) == 1);
    } else if (TestSlot* s = map.find(p)) {
      ASSERT_EQ(s->value, ref.at(p));
      s->value = i;
      ref[p] = i;
    } else {
      ASSERT_EQ(ref.count(p), 0u);
      map.insert(TestSlot{p, i});
      ref[p] = i;
    }
    ASSERT_EQ(map.size(), ref.size());
  }
  for (const auto& [p, v] : ref) {
    const TestSlot* s = map.find(p);
    ASSERT_NE(s, nullptr) << p.text();
    EXPECT_EQ(s->value, v);
  }
  size_t seen = 0;
  map.for_each([&](TestSlot&) { ++seen; });
  EXPECT_EQ(seen, ref.size());
  EXPECT_LE(map.size() * 4, map.capacity() * 3);
}

}  // namespace
}  // namespace tl::server::dtls
