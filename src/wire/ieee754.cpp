// binary32 <-> binary64 by rearranging bits, so that a device build never needs the soft-float
// double routines (__aeabi_f2d / __aeabi_d2f) that a plain cast would pull in.
#include "wire/ieee754.hpp"

#include <algorithm>
#include <bit>

namespace tl::wire {
namespace {

constexpr uint64_t kFrac64 = (uint64_t{1} << 52) - 1;
constexpr uint64_t kExp64 = uint64_t{0x7FF} << 52;
constexpr uint64_t kQuiet64 = uint64_t{1} << 51;
constexpr uint32_t kInf32 = 0x7F800000;
constexpr uint32_t kQuiet32 = 0x00400000;
// binary64 keeps 29 more fraction bits than binary32.
constexpr int kExtraBits = 29;

float float_from_bits(uint32_t u) { return std::bit_cast<float>(u); }

}  // namespace

uint64_t f64_bits_from_f32(float x) {
  const uint32_t u = std::bit_cast<uint32_t>(x);
  const uint64_t sign = uint64_t{u >> 31} << 63;
  const uint32_t exp = (u >> 23) & 0xFF;
  const uint32_t frac = u & 0x7FFFFF;
  if (exp == 0xFF) {
    // Infinity stays infinity; a NaN keeps its payload and comes out quiet, as an FPU does.
    return sign | kExp64 | (frac == 0 ? 0 : kQuiet64 | (uint64_t{frac} << kExtraBits));
  }
  if (exp == 0) {
    if (frac == 0) return sign;
    // binary32 subnormal: binary64 has the exponent range to make it normal. `top` is the
    // position of its leading bit, which becomes the implicit one.
    const int top = static_cast<int>(std::bit_width(frac)) - 1;
    const auto biased = static_cast<uint64_t>(top - 149 + 1023);
    return sign | (biased << 52) | ((uint64_t{frac} << (52 - top)) & kFrac64);
  }
  return sign | (uint64_t{exp - 127 + 1023} << 52) | (uint64_t{frac} << kExtraBits);
}

float f32_from_f64_bits(uint64_t bits) {
  const uint32_t sign = static_cast<uint32_t>(bits >> 63) << 31;
  const int exp = static_cast<int>((bits >> 52) & 0x7FF);
  const uint64_t frac = bits & kFrac64;
  if (exp == 0x7FF) {
    // Keep the top of a NaN payload and set the quiet bit so it cannot turn into infinity.
    const uint32_t nan = frac == 0 ? 0 : kQuiet32 | static_cast<uint32_t>(frac >> kExtraBits);
    return float_from_bits(sign | kInf32 | nan);
  }
  // Zero, or a binary64 subnormal (< 2^-1022): far below half the smallest binary32 subnormal.
  if (exp == 0) return float_from_bits(sign);
  const int biased = exp - 1023 + 127;  // binary32 biased exponent, if the result is normal
  if (biased >= 0xFF) return float_from_bits(sign | kInf32);
  const uint64_t sig = frac | (uint64_t{1} << 52);
  // A normal result keeps the top 24 of the 53 significand bits; a subnormal one loses one more
  // bit per step below the normal range. Past 54 the result is zero whatever the bits, so the
  // shift is clamped there (it must stay below 64).
  const int shift = biased >= 1 ? kExtraBits : std::min(kExtraBits + 1 - biased, 54);
  uint64_t q = sig >> shift;
  const uint64_t rest = sig & ((uint64_t{1} << shift) - 1);
  const uint64_t half = uint64_t{1} << (shift - 1);
  if (rest > half || (rest == half && (q & 1) != 0)) ++q;
  // Adding q to the exponent field (biased - 1, with q's implicit bit making up the 1) lets a
  // rounding carry move into the next binade, and from the largest float to infinity.
  const uint32_t base = biased >= 1 ? static_cast<uint32_t>(biased - 1) << 23 : 0;
  return float_from_bits(sign | std::min(base + static_cast<uint32_t>(q), kInf32));
}

bool f64_bits_fit_f32(uint64_t bits) {
  // Exact round trip: also false for a NaN whose payload does not fit or that is signalling.
  return f64_bits_from_f32(f32_from_f64_bits(bits)) == bits;
}

}  // namespace tl::wire
