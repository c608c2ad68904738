// Per-feature affine scaler: x'[i] = (x[i] - offset[i]) * scale[i]. The trainer computes offset
// and scale (helpers below, so the trainer and the runtime agree on the degenerate cases).
#pragma once

#include <cstddef>

namespace tl::ml {

// A view of two float arrays of `count` entries. The pointers may be unaligned (they point into a
// blob); entries are read with memcpy. A plain `float[]` converts implicitly.
struct Scaler {
  const void* offset = nullptr;
  const void* scale = nullptr;
  std::size_t count = 0;
};

// x[i] = (x[i] - offset[i]) * scale[i] for i < s.count, in place. Two roundings per feature
// (the subtraction, then the product); -ffp-contract=off keeps them separate on every target.
void apply_scaler(const Scaler& s, float* x);

// Min-max parameters of one feature: offset = min, scale = 1 / (max - min), or 1 when max == min.
inline void minmax_params(float min, float max, float* offset, float* scale) {
  *offset = min;
  *scale = (max > min) ? 1.0f / (max - min) : 1.0f;
}

// Standard parameters of one feature: offset = mean, scale = 1 / std, or 1 when std == 0.
inline void standard_params(float mean, float std_dev, float* offset, float* scale) {
  *offset = mean;
  *scale = (std_dev > 0.0f) ? 1.0f / std_dev : 1.0f;
}

}  // namespace tl::ml
