// Internal: in-place radix-2 complex FFT (float only) for the fft_peak feature block.
#pragma once

#include <cstddef>

namespace tl::ml::detail {

inline constexpr std::size_t kMaxFft = 512;

// Forward transform X_k = sum_n x_n e^{-2 pi i k n / m} of m complex values (re[], im[]),
// m a power of two in [1, kMaxFft]. Twiddles come from a float quarter-sine table (no libm).
void fft(float* re, float* im, std::size_t m);

}  // namespace tl::ml::detail
