// The time and randomness the wire layer's reliability helpers ask their caller for.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace tl::coaptool {

// Monotonic milliseconds (std::chrono::steady_clock).
uint64_t now_ms();
// Uniform 32-bit values from a generator seeded once per process.
uint32_t random32();
// A fresh token of `size` bytes (1..8).
std::vector<uint8_t> new_token(size_t size = 4);

}  // namespace tl::coaptool
