// binary64 <-> narrower IEEE formats by rearranging bits, so that a device build never needs the
// soft-float double routines (__aeabi_f2d / __aeabi_d2f) that a plain cast would pull in. One
// converter, parameterised by the narrow format's field widths, serves binary32 here and
// binary16/binary32 in CBOR: two specialised copies would cost more flash than the variable
// shifts do.
#include "wire/ieee754.hpp"

#include <algorithm>
#include <bit>

namespace tl::wire {
namespace {

constexpr unsigned kFrac64Bits = 52;
constexpr uint64_t kFrac64 = (uint64_t{1} << kFrac64Bits) - 1;
constexpr uint64_t kExp64 = uint64_t{0x7FF} << kFrac64Bits;
constexpr uint64_t kQuiet64 = uint64_t{1} << 51;
constexpr uint32_t kQuiet32 = 0x00400000;
constexpr int kBias64 = 1023;

bool is_nan64(uint64_t bits) { return (bits & kExp64) == kExp64 && (bits & kFrac64) != 0; }

}  // namespace

// The narrow side works in 32-bit words: every narrow format fits one, and 64-bit shifts by a
// variable amount are long instruction sequences on a 32-bit core.
uint64_t f64_bits_widen(uint32_t bits, unsigned exp_bits, unsigned frac_bits) {
  const uint32_t frac_mask = (1u << frac_bits) - 1;
  const uint32_t exp_max = (1u << exp_bits) - 1;
  const uint32_t exp = (bits >> frac_bits) & exp_max;
  uint32_t frac = bits & frac_mask;
  int biased = static_cast<int>(exp) - static_cast<int>(exp_max >> 1) + kBias64;
  if (exp == exp_max) {
    biased = 0x7FF;  // infinity or NaN, payload as is
  } else if (exp == 0) {
    biased = 0;  // zero
    if (frac != 0) {
      // Subnormal: binary64 has the exponent range to make it normal; its leading bit becomes
      // the implicit one.
      const auto top = static_cast<unsigned>(std::bit_width(frac)) - 1;
      biased = static_cast<int>(top + 1) - static_cast<int>(frac_bits) -
               static_cast<int>(exp_max >> 1) + kBias64;
      frac = (frac << (frac_bits - top)) & frac_mask;
    }
  }
  return (uint64_t{bits >> (exp_bits + frac_bits)} << 63) |
         (static_cast<uint64_t>(biased) << kFrac64Bits) | (uint64_t{frac} << (kFrac64Bits - frac_bits));
}

uint32_t f64_bits_narrow(uint64_t bits, unsigned exp_bits, unsigned frac_bits) {
  const uint32_t sign = static_cast<uint32_t>(bits >> 63) << (exp_bits + frac_bits);
  const int exp = static_cast<int>((bits >> kFrac64Bits) & 0x7FF);
  const uint32_t exp_max = (1u << exp_bits) - 1;
  const uint32_t inf = exp_max << frac_bits;
  // The significand's top 32 bits (implicit bit at 31); the 21 bits below only matter as a
  // sticky bit, folded into bit 0, which lies below every round bit (frac_bits <= 23).
  const uint64_t frac = bits & kFrac64;
  uint32_t sig = 0x80000000u | static_cast<uint32_t>(frac >> 21) | ((frac & 0x1FFFFF) != 0 ? 1u : 0u);
  const unsigned drop = 31 - frac_bits;  // bits of `sig` a normal result drops
  if (exp == 0x7FF) return sign | inf | (static_cast<uint32_t>(frac >> 21) >> drop);
  // Zero, or a binary64 subnormal (< 2^-1022): far below half the smallest narrow subnormal.
  if (exp == 0) return sign;
  const int biased = exp - kBias64 + static_cast<int>(exp_max >> 1);  // if the result is normal
  if (biased >= static_cast<int>(exp_max)) return sign | inf;
  // A subnormal result loses one more bit per step below the normal range; from 33 dropped bits
  // on, even the implicit bit lies below the round bit: zero.
  const int shift = biased >= 1 ? static_cast<int>(drop) : static_cast<int>(drop) + 1 - biased;
  if (shift > 32) return sign;
  const uint32_t kept_and_round = sig >> (shift - 1);
  uint32_t q = kept_and_round >> 1;
  const bool sticky = (sig & ((1u << (shift - 1)) - 1)) != 0;
  if ((kept_and_round & 1) != 0 && (sticky || (q & 1) != 0)) ++q;
  // Adding q to the exponent field (biased - 1, with q's implicit bit making up the 1) lets a
  // rounding carry move into the next binade, and from the largest finite value to infinity.
  const uint32_t base = biased >= 1 ? static_cast<uint32_t>(biased - 1) << frac_bits : 0;
  return sign | std::min(base + q, inf);
}

uint64_t f64_bits_from_f32(float x) {
  const uint64_t wide = f64_bits_widen(std::bit_cast<uint32_t>(x), 8, 23);
  // An FPU quietens a NaN as it widens it.
  return is_nan64(wide) ? wide | kQuiet64 : wide;
}

float f32_from_f64_bits(uint64_t bits) {
  uint32_t narrow = f64_bits_narrow(bits, 8, 23);
  // The quiet bit keeps a NaN whose payload was all in the dropped bits from becoming infinity.
  if (is_nan64(bits)) narrow |= kQuiet32;
  return std::bit_cast<float>(narrow);
}

bool f64_bits_fit_f32(uint64_t bits) {
  // Exact round trip: also false for a NaN whose payload does not fit or that is signalling.
  return f64_bits_from_f32(f32_from_f64_bits(bits)) == bits;
}

}  // namespace tl::wire
