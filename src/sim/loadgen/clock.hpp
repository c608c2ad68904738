// The one clock of the load generator: monotonic microseconds.
#pragma once
#include <cstdint>
#include <ctime>

namespace tl::sim::loadgen {

inline uint64_t now_us() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000u + static_cast<uint64_t>(ts.tv_nsec) / 1000u;
}

}  // namespace tl::sim::loadgen
