#include "wire/coap/reliability.hpp"

namespace tl::wire::coap {

uint32_t initial_timeout_ms(const TransmissionParams& params, uint32_t random) {
  const uint64_t spread = params.max_initial_timeout_ms() - params.ack_timeout_ms;
  // Multiply-and-shift maps the 32-bit random value onto [0, spread] without modulo bias.
  const uint64_t share = (uint64_t{random} * (spread + 1)) >> 32;
  return static_cast<uint32_t>(params.ack_timeout_ms + share);
}

void Retransmission::start(const TransmissionParams& params, uint64_t now_ms, uint32_t random) {
  timeout_ms_ = initial_timeout_ms(params, random);
  deadline_ms_ = now_ms + timeout_ms_;
  count_ = 0;
  max_retransmit_ = params.max_retransmit;
  active_ = true;
}

Retransmission::Step Retransmission::poll(uint64_t now_ms) {
  if (!active_) return Step::idle;
  if (now_ms < deadline_ms_) return Step::wait;
  if (count_ >= max_retransmit_) {
    active_ = false;
    return Step::give_up;
  }
  ++count_;
  timeout_ms_ *= 2;
  // From the deadline, not from now: a late poll does not stretch the schedule.
  deadline_ms_ += timeout_ms_;
  return Step::retransmit;
}

}  // namespace tl::wire::coap
