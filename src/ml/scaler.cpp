#include "ml/scaler.hpp"

#include <cstdint>

#include "ml/detail.hpp"
#include "ml/le.hpp"

namespace tl::ml {

namespace detail {

namespace {

// The loop for offset and scale arrays of type T: BlobFloat when both are 4-aligned (the blob's
// sections are 4-aligned inside it, so this is the usual case: one VLDM per entry), else bytes.
template <typename T>
void scale_loop(const T* offset, const T* scale, const float* in, float* out,
                const float* in_end) {
  do {
    const float d = *in++ - entry(offset++);  // two roundings: -ffp-contract=off
    *out++ = d * entry(scale++);
  } while (in < in_end);
}

}  // namespace

void scale_features(const Scaler& s, const float* in, float* out) {
  if (aligned4(s.offset) && aligned4(s.scale)) {
    scale_loop(static_cast<const BlobFloat*>(s.offset), static_cast<const BlobFloat*>(s.scale), in,
               out, in + s.count);
  } else {
    scale_loop(static_cast<const Bytes4*>(s.offset), static_cast<const Bytes4*>(s.scale), in, out,
               in + s.count);
  }
}

}  // namespace detail

void apply_scaler(const Scaler& s, float* x) {
  if (s.count != 0) detail::scale_features(s, x, x);
}

}  // namespace tl::ml
