#include "ml/blob.hpp"

namespace tl::ml {

Error run_window(const ModelView& m, const float* window, Result* out) {
  if (window == nullptr || out == nullptr) return Error::bad_argument;
  if (const Error e = compute_features(m.pipeline, window, out->raw); e != Error::ok) return e;
  out->feature_count = m.feature_count;
  for (std::size_t i = 0; i < m.feature_count; ++i) out->scaled[i] = out->raw[i];
  apply_scaler(m.scaler, out->scaled);
  out->predicted = -1;
  for (std::uint16_t& v : out->votes) v = 0;
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
