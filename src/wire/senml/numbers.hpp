// Integer <-> binary64 conversions on bit patterns, with integer operations only, for SenML
// values and times (a SenML "v" may be an integer on the wire and a float in the model, and the
// other way round).
#pragma once
#include <cstdint>

#include "wire/bytes.hpp"

namespace tl::wire::senml {

// Nearest binary64 (ties to even) to the integer `negative ? -magnitude : magnitude`.
uint64_t f64_from_integer(bool negative, uint64_t magnitude);
// The value of a binary64 pattern as an integer: Error::wrong_type when it has a fraction or is
// NaN, Error::out_of_range when it does not fit.
Result<int64_t> int64_from_f64(uint64_t bits);
Result<uint64_t> uint64_from_f64(uint64_t bits);
// The steps of the two above, shared with SenML's integer and text numbers: |value| of a
// binary64 (its sign is bit 63) when it is integral and below 2^64 (else the errors above), and
// the integer `negative ? -magnitude : magnitude` range-checked (Error::out_of_range).
Error integral_magnitude(uint64_t bits, uint64_t& magnitude);
Result<int64_t> int64_from_parts(bool negative, uint64_t magnitude);
Result<uint64_t> uint64_from_parts(bool negative, uint64_t magnitude);
// Seconds as binary64 -> milliseconds, rounded to nearest (ties away from zero);
// Error::out_of_range for NaN, infinities and values beyond int64 milliseconds.
Result<int64_t> ms_from_f64(uint64_t bits);

}  // namespace tl::wire::senml
