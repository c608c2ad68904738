#include "ml/scaler.hpp"

#include "ml/le.hpp"

namespace tl::ml {

void apply_scaler(const Scaler& s, float* x) {
  for (std::size_t i = 0; i < s.count; ++i) {
    const float d = x[i] - detail::load_at<float>(s.offset, i);
    x[i] = d * detail::load_at<float>(s.scale, i);
  }
}

}  // namespace tl::ml
