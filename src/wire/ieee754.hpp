// Conversions between binary32 and binary64 using integer operations only, so that a device
// build links no double-precision (soft-float) code.
#pragma once
#include <cstdint>

namespace tl::wire {

// Exact: every binary32 value (NaN payloads kept, quiet bit set) is a binary64 value.
uint64_t f64_bits_from_f32(float x);
// Round to nearest, ties to even; overflow to infinity, underflow to subnormal or zero.
float f32_from_f64_bits(uint64_t bits);
// True when the binary64 value converts to binary32 without loss.
bool f64_bits_fit_f32(uint64_t bits);

}  // namespace tl::wire
