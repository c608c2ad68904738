// What a scenario counts per kind of message a virtual device sends.
#pragma once
#include <cstddef>
#include <cstdint>

#include "sim/loadgen/histogram.hpp"

namespace tl::sim::loadgen {

enum class Kind : uint8_t { register_, notify, send };
inline constexpr size_t kKinds = 3;

struct Stats {
  uint64_t sent = 0;             // first transmissions
  uint64_t answered = 0;         // 2.xx (or an Empty ACK for a CON notification)
  uint64_t rejected = 0;         // 4.xx, 5.xx or RST
  uint64_t timeouts = 0;         // no answer after MAX_RETRANSMIT retransmissions
  uint64_t retransmissions = 0;
  Histogram latency;             // first transmission -> answer, microseconds (CON only)
};

}  // namespace tl::sim::loadgen
