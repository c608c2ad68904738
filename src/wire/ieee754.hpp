// Conversions between binary64 and the narrower IEEE-754 formats (binary32, and binary16 for
// CBOR) using integer operations only, so that a device build links no double-precision
// (soft-float) code.
#pragma once
#include <cstdint>

namespace tl::wire {

// Exact: every binary32 value (NaN payloads kept, quiet bit set) is a binary64 value.
uint64_t f64_bits_from_f32(float x);
// Round to nearest, ties to even; overflow to infinity, underflow to subnormal or zero.
float f32_from_f64_bits(uint64_t bits);
// True when the binary64 value converts to binary32 without loss.
bool f64_bits_fit_f32(uint64_t bits);

// The one converter behind the functions above and CBOR's half/single floats: a binary format
// with `exp_bits` exponent and `frac_bits` fraction bits (binary16: 5, 10; binary32: 8, 23),
// its pattern in the low bits of a uint32_t.
// Widening is exact; a NaN keeps its payload bits as they are (no quiet bit is added).
uint64_t f64_bits_widen(uint32_t bits, unsigned exp_bits, unsigned frac_bits);
// Round to nearest, ties to even; overflow to infinity, underflow to subnormal or zero. A NaN
// keeps the top of its payload as is, so a payload that lives only in the dropped bits comes out
// as infinity: the exact round trip f64_bits_widen(narrow(x)) == x tells whether x fits.
uint32_t f64_bits_narrow(uint64_t bits, unsigned exp_bits, unsigned frac_bits);

}  // namespace tl::wire
