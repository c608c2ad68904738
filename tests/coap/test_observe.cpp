// RFC 7641: Observe values, the 24-bit freshness rule of section 3.4 and its wrap cases.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>

#include "wire/coap/observe.hpp"

namespace tl::wire::coap {
namespace {

constexpr uint32_t k2p23 = 1u << 23;

TEST(Observe, OptionValues) {
  std::array<uint8_t, 4> out{};
  EXPECT_EQ(*encode_observe(kObserveRegister, out), 0u);
  EXPECT_EQ(*encode_observe(kObserveDeregister, out), 1u);
  EXPECT_EQ(out[0], 1);
  EXPECT_EQ(*encode_observe(0x1234567, out), 3u);  // masked to 24 bits
  EXPECT_EQ(*decode_observe(Bytes{out.data(), 3}), 0x234567u);
  EXPECT_EQ(*decode_observe(Bytes{}), 0u);
  const std::array<uint8_t, 4> too_long{1, 0, 0, 0};
  EXPECT_EQ(decode_observe(Bytes{too_long}).error(), Error::option_too_long);
}

TEST(Observe, NewerByNumber) {
  EXPECT_TRUE(observe_is_newer(5, 0, 6, 0));
  EXPECT_FALSE(observe_is_newer(6, 0, 5, 0));
  EXPECT_FALSE(observe_is_newer(5, 0, 5, 0));
  EXPECT_TRUE(observe_is_newer(0, 0, k2p23 - 1, 0));   // ahead by just under 2^23
  EXPECT_FALSE(observe_is_newer(0, 0, k2p23, 0));      // exactly 2^23 ahead is not newer
  EXPECT_FALSE(observe_is_newer(0, 0, k2p23 + 1, 0));  // too far ahead: it is an old one
}

TEST(Observe, NewerAcrossWrap) {
  EXPECT_TRUE(observe_is_newer(kObserveSeqMask, 0, 0, 0));  // 0xFFFFFF -> 0 wraps forward
  EXPECT_TRUE(observe_is_newer(kObserveSeqMask - 10, 0, 20, 0));
  EXPECT_FALSE(observe_is_newer(20, 0, kObserveSeqMask - 10, 0));
  EXPECT_TRUE(observe_is_newer(k2p23 + 1, 0, 0, 0));  // V1 - V2 > 2^23
  EXPECT_FALSE(observe_is_newer(k2p23, 0, 0, 0));     // V1 - V2 == 2^23
}

TEST(Observe, NewerAfter128Seconds) {
  EXPECT_FALSE(observe_is_newer(100, 1'000, 50, 1'000 + kObserveFreshnessMs));
  EXPECT_TRUE(observe_is_newer(100, 1'000, 50, 1'001 + kObserveFreshnessMs));
}

TEST(Observe, FreshnessDropsStale) {
  ObserveFreshness f;
  EXPECT_TRUE(f.accept(10, 0));  // the first notification is always taken
  EXPECT_TRUE(f.accept(12, 100));
  EXPECT_FALSE(f.accept(11, 200));  // reordered: older than 12
  EXPECT_FALSE(f.accept(12, 300));  // the same one again
  EXPECT_EQ(f.last_seq(), 12u);
  EXPECT_TRUE(f.accept(3, 300 + kObserveFreshnessMs + 1));  // server restarted long ago
  EXPECT_EQ(f.last_seq(), 3u);
  f.reset();
  EXPECT_FALSE(f.seen());
  EXPECT_TRUE(f.accept(1, 0));
}

TEST(Observe, CounterWraps) {
  ObserveCounter c{kObserveSeqMask - 1};
  EXPECT_EQ(c.next(), kObserveSeqMask - 1);
  EXPECT_EQ(c.next(), kObserveSeqMask);
  EXPECT_EQ(c.next(), 0u);
  EXPECT_EQ(c.peek(), 1u);
  // Every value the counter produces is newer than the previous one, across the wrap.
  ObserveFreshness f;
  ObserveCounter d{kObserveSeqMask - 3};
  for (int i = 0; i < 8; ++i) EXPECT_TRUE(f.accept(d.next(), 0));
}

}  // namespace
}  // namespace tl::wire::coap
