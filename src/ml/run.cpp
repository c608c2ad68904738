#include "ml/blob.hpp"
#include "ml/detail.hpp"
#include "ml/le.hpp"

namespace tl::ml {

// m comes from open_blob (its section pointers are only valid from there), so its pipeline is
// valid and its feature and scaler counts equal feature_count(pipeline) (>= 1): the features skip
// the pipeline check, and the scaler writes scaled[] straight from raw[].
Error run_window(const ModelView& m, const float* window, Result* out) {
  if (window == nullptr || out == nullptr) return Error::bad_argument;
  if (const Error e = detail::compute_features_unchecked(m.pipeline, window, out->raw);
      e != Error::ok) {
    return e;
  }
  out->feature_count = m.feature_count;
  if (m.scaler.count != 0) {  // == feature_count
    detail::scale_features(m.scaler, out->raw, out->scaled);
  } else {
    for (std::size_t i = 0; i < m.feature_count; ++i) out->scaled[i] = out->raw[i];
  }
  out->predicted = -1;
  // The votes as words: 2 counters per store.
  static_assert(kMaxClasses % 2 == 0);
  auto* votes = reinterpret_cast<std::uint8_t*>(out->votes);
#pragma GCC unroll 16
  for (std::size_t i = 0; i < kMaxClasses / 2; ++i) detail::store<std::uint32_t>(votes + 4 * i, 0);
  if ((m.kinds & kKindForest) != 0) forest_votes(m.forest, out->scaled, out->votes);
  if ((m.kinds & kKindPackedForest) != 0) packed_forest_votes(m.packed, out->scaled, out->votes);
  if ((m.kinds & (kKindForest | kKindPackedForest)) != 0) {
    out->predicted = argmax_votes(out->votes, m.class_count);
  }
  out->anomaly_score = 0.0f;
  out->anomaly = false;
  if ((m.kinds & kKindKMeans) != 0) {
    out->anomaly_score = kmeans_score(m.kmeans, out->scaled);
    out->anomaly = kmeans_is_anomaly(m.kmeans, out->anomaly_score);
  }
  return Error::ok;
}

}  // namespace tl::ml
