#include "wire/senml/numbers.hpp"

#include <bit>
#include <limits>

namespace tl::wire::senml {
namespace {

constexpr unsigned kMantBits = 52;
constexpr int kBias = 1023;
constexpr uint64_t kImplicit = uint64_t{1} << kMantBits;
constexpr uint64_t kSign = uint64_t{1} << 63;
constexpr uint64_t kInt64Max = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());

constexpr uint64_t low_mask(unsigned bits) { return (uint64_t{1} << bits) - 1; }

int biased_exponent(uint64_t bits) { return static_cast<int>((bits >> kMantBits) & 0x7FF); }

}  // namespace

Error integral_magnitude(uint64_t bits, uint64_t& magnitude) {
  const int exp = biased_exponent(bits);
  const uint64_t mant = bits & low_mask(kMantBits);
  if (exp == 0x7FF) return mant != 0 ? Error::wrong_type : Error::out_of_range;
  if (exp == 0) {  // zero, or a subnormal (which is never integral)
    magnitude = 0;
    return mant == 0 ? Error::ok : Error::wrong_type;
  }
  const int e = exp - kBias;
  if (e < 0) return Error::wrong_type;
  if (e > 63) return Error::out_of_range;
  // The significand with its leading 1 at bit 63: the value is its top e + 1 bits, and any 1
  // below them is a fraction (e = 63 leaves none).
  const uint64_t m = (mant | kImplicit) << 11;
  if (e < 63 && (m << (e + 1)) != 0) return Error::wrong_type;
  magnitude = m >> (63 - e);
  return Error::ok;
}

uint64_t f64_from_integer(bool negative, uint64_t magnitude) {
  if (magnitude == 0) return 0;
  // Normalised so that the leading 1 is bit 63, the significand and the bits rounded away sit at
  // fixed places: one variable shift instead of one per case (each a long sequence on a 32-bit
  // core).
  const int lz = std::countl_zero(magnitude);
  const uint64_t m = magnitude << lz;
  uint64_t sig = m >> 11;           // 53 bits, the leading 1 at bit 52
  const uint64_t rest = m & 0x7FF;  // the 11 bits below, rounded half to even
  if (rest > 0x400 || (rest == 0x400 && (sig & 1) != 0)) ++sig;
  // Adding sig to the exponent field (biased - 1) lets its leading 1 make up the difference, and a
  // rounding carry to 2^53 move into the next binade.
  const auto field = static_cast<uint64_t>(63 - lz + kBias - 1);
  return (negative ? kSign : 0) | ((field << kMantBits) + sig);
}

Result<int64_t> int64_from_parts(bool negative, uint64_t magnitude) {
  // The negative range reaches one further; negating in unsigned arithmetic turns 2^63 into
  // INT64_MIN without overflow.
  if (magnitude > kInt64Max + (negative ? 1 : 0)) return Error::out_of_range;
  return static_cast<int64_t>(negative ? 0 - magnitude : magnitude);
}

Result<uint64_t> uint64_from_parts(bool negative, uint64_t magnitude) {
  if (negative && magnitude != 0) return Error::out_of_range;
  return magnitude;
}

Result<int64_t> int64_from_f64(uint64_t bits) {
  uint64_t m = 0;
  Error e = integral_magnitude(bits, m);
  if (e != Error::ok) return e;
  return int64_from_parts((bits & kSign) != 0, m);
}

Result<uint64_t> uint64_from_f64(uint64_t bits) {
  uint64_t m = 0;
  Error e = integral_magnitude(bits, m);
  if (e != Error::ok) return e;
  return uint64_from_parts((bits & kSign) != 0, m);
}

Result<int64_t> ms_from_f64(uint64_t bits) {
  const int exp = biased_exponent(bits);
  if (exp == 0x7FF) return Error::out_of_range;
  if (exp == 0) return int64_t{0};  // zero or subnormal: far below a millisecond
  // value * 1000 == sig * 1000 * 2^(e - 52); sig * 1000 < 2^63, so the product is exact.
  const uint64_t scaled = ((bits & low_mask(kMantBits)) | kImplicit) * 1000;
  const int shift = static_cast<int>(kMantBits) - (exp - kBias);
  uint64_t ms = 0;
  if (shift <= 0) {
    if (shift < -62 || scaled > (kInt64Max >> -shift)) return Error::out_of_range;
    ms = scaled << -shift;
  } else if (shift < 64) {
    // Half away from zero on the magnitude: keep the bit below the point, add it, drop it.
    ms = ((scaled >> (shift - 1)) + 1) >> 1;
  }
  const auto v = static_cast<int64_t>(ms);
  return (bits & kSign) != 0 ? -v : v;
}

}  // namespace tl::wire::senml
