#include "ml/scaler.hpp"

#include <cstdint>

#include "ml/detail.hpp"
#include "ml/le.hpp"

namespace tl::ml {

namespace detail {

namespace {

// Aligned: offset and scale are 4-aligned, so each entry is one VLDR (the blob's sections are
// 4-aligned inside it, so this is the usual case); else any alignment.
template <bool Aligned>
void scale_loop(const std::uint8_t* offset, const std::uint8_t* scale, const float* in,
                float* out, const float* in_end) {
  do {
    float o;
    float k;
    if constexpr (Aligned) {
      o = load<float>(__builtin_assume_aligned(offset, 4));
      k = load<float>(__builtin_assume_aligned(scale, 4));
    } else {
      o = load<float>(offset);
      k = load<float>(scale);
    }
    const float d = *in++ - o;  // two roundings: -ffp-contract=off keeps them apart
    *out++ = d * k;
    offset += sizeof(float);
    scale += sizeof(float);
  } while (in < in_end);
}

}  // namespace

void scale_features(const Scaler& s, const float* in, float* out) {
  const auto* offset = static_cast<const std::uint8_t*>(s.offset);
  const auto* scale = static_cast<const std::uint8_t*>(s.scale);
  if (((reinterpret_cast<std::uintptr_t>(offset) | reinterpret_cast<std::uintptr_t>(scale)) & 3u) ==
      0) {
    scale_loop<true>(offset, scale, in, out, in + s.count);
  } else {
    scale_loop<false>(offset, scale, in, out, in + s.count);
  }
}

}  // namespace detail

void apply_scaler(const Scaler& s, float* x) {
  if (s.count != 0) detail::scale_features(s, x, x);
}

}  // namespace tl::ml
