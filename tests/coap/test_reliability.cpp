// RFC 7252 4.2/4.8: derived parameters, the retransmission schedule on a fake clock,
// message-ID deduplication with expiry, NSTART accounting.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

#include "wire/coap/reliability.hpp"

namespace tl::wire::coap {
namespace {

TEST(Reliability, DerivedParameters) {
  constexpr TransmissionParams d{};
  static_assert(d.exchange_lifetime_ms() == 247'000);
  EXPECT_EQ(d.max_initial_timeout_ms(), 3'000u);
  EXPECT_EQ(d.max_transmit_span_ms(), 45'000u);
  EXPECT_EQ(d.max_transmit_wait_ms(), 93'000u);
  EXPECT_EQ(d.non_lifetime_ms(), 145'000u);
  // An override recomputes everything derived from it.
  constexpr TransmissionParams fast{.ack_timeout_ms = 500, .max_retransmit = 2};
  EXPECT_EQ(fast.max_initial_timeout_ms(), 750u);
  EXPECT_EQ(fast.max_transmit_span_ms(), 750u * 3);
  EXPECT_EQ(fast.max_transmit_wait_ms(), 750u * 7);
}

TEST(Reliability, InitialTimeoutRange) {
  const TransmissionParams d{};
  EXPECT_EQ(initial_timeout_ms(d, 0), 2'000u);
  EXPECT_EQ(initial_timeout_ms(d, std::numeric_limits<uint32_t>::max()), 3'000u);
  EXPECT_EQ(initial_timeout_ms(d, 1u << 31), 2'500u);
}

// Runs a schedule on a fake clock ticking by 1 ms; returns the times of retransmissions and the
// give-up time as the last element.
std::vector<uint64_t> run_schedule(const TransmissionParams& p, uint32_t random) {
  Retransmission r;
  r.start(p, 1'000, random);
  std::vector<uint64_t> events;
  for (uint64_t now = 1'000; now < 200'000 && r.active(); ++now) {
    const auto step = r.poll(now);
    if (step == Retransmission::Step::retransmit || step == Retransmission::Step::give_up) {
      events.push_back(now - 1'000);
    }
  }
  return events;
}

TEST(Reliability, ScheduleDoublesAndGivesUp) {
  const TransmissionParams d{};
  // Shortest initial timeout (2 s): retransmissions at 2, 6, 14, 30 s; give up at 62 s.
  EXPECT_EQ(run_schedule(d, 0), (std::vector<uint64_t>{2'000, 6'000, 14'000, 30'000, 62'000}));
  // Longest (3 s): the last retransmission is at MAX_TRANSMIT_SPAN, give-up at MAX_TRANSMIT_WAIT.
  const auto longest = run_schedule(d, std::numeric_limits<uint32_t>::max());
  ASSERT_EQ(longest.size(), 5u);
  EXPECT_EQ(longest[3], d.max_transmit_span_ms());
  EXPECT_EQ(longest[4], d.max_transmit_wait_ms());
}

TEST(Reliability, AckStopsAndLatePollKeepsSchedule) {
  Retransmission r;
  EXPECT_EQ(r.poll(0), Retransmission::Step::idle);
  r.start(TransmissionParams{}, 0, 0);
  EXPECT_EQ(r.poll(1'999), Retransmission::Step::wait);
  EXPECT_EQ(r.poll(2'500), Retransmission::Step::retransmit);  // polled late
  EXPECT_EQ(r.retransmissions(), 1u);
  EXPECT_EQ(r.deadline_ms(), 6'000u);  // still 2 s + 4 s, not 2.5 s + 4 s
  r.stop();
  EXPECT_FALSE(r.active());
  EXPECT_EQ(r.poll(10'000), Retransmission::Step::idle);
}

TEST(Reliability, ZeroRetransmitGivesUpAfterFirstTimeout) {
  Retransmission r;
  r.start(TransmissionParams{.max_retransmit = 0}, 0, 0);
  EXPECT_EQ(r.poll(2'000), Retransmission::Step::give_up);
}

TEST(Reliability, DedupRemembersResponse) {
  DedupWindow<4> w;
  auto first = w.receive(7, 0x1234, true, 0);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, Dedup::fresh);
  EXPECT_EQ(w.receive(7, 0x1234, true, 10)->status, Dedup::duplicate);  // still processing
  EXPECT_EQ(w.respond(7, 0x1234, 42, 20), Error::ok);
  auto again = w.receive(7, 0x1234, true, 30);
  EXPECT_EQ(again->status, Dedup::duplicate_reply);
  EXPECT_EQ(again->response, 42);
  // Another peer may use the same message ID independently.
  EXPECT_EQ(w.receive(8, 0x1234, true, 40)->status, Dedup::fresh);
}

TEST(Reliability, DedupExpiresAfterLifetime) {
  DedupWindow<2> w;
  const TransmissionParams d{};
  ASSERT_TRUE(w.receive(1, 1, true, 0));
  ASSERT_TRUE(w.receive(1, 2, false, 0));
  EXPECT_EQ(w.receive(1, 3, true, 0).error(), Error::too_many_items);
  EXPECT_EQ(w.receive(1, 2, false, d.non_lifetime_ms() - 1)->status, Dedup::duplicate);
  // The NON entry expires after NON_LIFETIME, the CON one after EXCHANGE_LIFETIME.
  EXPECT_EQ(w.size(d.non_lifetime_ms()), 1u);
  EXPECT_EQ(w.receive(1, 3, true, d.non_lifetime_ms())->status, Dedup::fresh);
  EXPECT_EQ(w.receive(1, 1, true, d.exchange_lifetime_ms() - 1)->status, Dedup::duplicate);
  EXPECT_EQ(w.receive(1, 1, true, d.exchange_lifetime_ms())->status, Dedup::fresh);
  EXPECT_EQ(w.respond(9, 9, 1, 0), Error::end);
}

TEST(Reliability, NstartPerPeer) {
  NstartLimiter<2> n;  // NSTART 1
  EXPECT_TRUE(n.try_begin(1));
  EXPECT_FALSE(n.try_begin(1));
  EXPECT_TRUE(n.try_begin(2));
  EXPECT_FALSE(n.try_begin(3));  // no slot for a third peer
  EXPECT_EQ(n.outstanding(1), 1u);
  n.end(1);
  EXPECT_EQ(n.outstanding(1), 0u);
  EXPECT_TRUE(n.try_begin(3));
  NstartLimiter<1> two{2};
  EXPECT_TRUE(two.try_begin(5));
  EXPECT_TRUE(two.try_begin(5));
  EXPECT_FALSE(two.try_begin(5));
}

}  // namespace
}  // namespace tl::wire::coap
