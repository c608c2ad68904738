// Internal: the unchecked pieces run_window is made of (a ModelView from open_blob is valid).
#pragma once

#include <cstddef>

#include "ml/pipeline.hpp"
#include "ml/scaler.hpp"

namespace tl::ml::detail {

// compute_features for a pipeline that passed validate_pipeline, with non-null window and out.
// Errors: non_finite_input.
Error compute_features_unchecked(const Pipeline& p, const float* window, float* out);

// out[i] = (in[i] - offset[i]) * scale[i] for i < s.count (>= 1), as apply_scaler; out may be in.
void scale_features(const Scaler& s, const float* in, float* out);

}  // namespace tl::ml::detail
