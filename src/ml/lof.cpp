#include "ml/lof.hpp"

#include <cmath>

namespace tl::ml {

Error LofDetector::init(const LofBuffers& buffers, std::size_t features, std::size_t k,
                        std::uint32_t seed) {
  if (buffers.vectors == nullptr || buffers.kdist == nullptr || buffers.lrd == nullptr ||
      buffers.neighbours == nullptr || buffers.capacity == 0 || buffers.capacity > 65535 ||
      features == 0 || features > buffers.max_features || k == 0 || k > kMaxLofK ||
      k >= buffers.capacity) {
    return Error::bad_argument;
  }
  buf_ = buffers;
  rng_.seed(seed);
  features_ = features;
  k_ = k;
  count_ = 0;
  seen_ = 0;
  fitted_ = false;
  return Error::ok;
}

bool LofDetector::learn(const float* x) {
  for (std::size_t f = 0; f < features_; ++f) {
    if (!std::isfinite(x[f])) return false;
  }
  ++seen_;
  std::size_t slot = count_;
  if (count_ < buf_.capacity) {
    ++count_;
  } else {
    slot = rng_.below(seen_);  // Algorithm R: keep with probability capacity / seen
    if (slot >= buf_.capacity) return false;
  }
  float* dst = buf_.vectors + slot * buf_.max_features;
  for (std::size_t f = 0; f < features_; ++f) dst[f] = x[f];
  fitted_ = false;
  return true;
}

float LofDetector::distance(const float* a, const float* b) const {
  float sum = 0.0f;
  for (std::size_t f = 0; f < features_; ++f) {
    const float d = a[f] - b[f];
    sum += d * d;
  }
  return std::sqrt(sum);
}

// The k nearest stored vectors of x (slot `skip` excluded), ascending by distance, ties to the
// lower slot: insertion into a sorted list of k.
void LofDetector::nearest(const float* x, std::size_t skip, std::uint16_t* idx, float* dist) const {
  std::size_t found = 0;
  for (std::size_t s = 0; s < count_; ++s) {
    if (s == skip) continue;
    const float d = distance(x, vector(s));
    if (found == k_ && !(d < dist[k_ - 1])) continue;
    std::size_t pos = found < k_ ? found++ : k_ - 1;
    for (; pos > 0 && d < dist[pos - 1]; --pos) {
      dist[pos] = dist[pos - 1];
      idx[pos] = idx[pos - 1];
    }
    dist[pos] = d;
    idx[pos] = static_cast<std::uint16_t>(s);
  }
}

void LofDetector::refit() {
  if (fitted_ || count_ <= k_) return;
  float dist[kMaxLofK];
  for (std::size_t s = 0; s < count_; ++s) {
    nearest(vector(s), s, buf_.neighbours + s * kMaxLofK, dist);
    buf_.kdist[s] = dist[k_ - 1];
  }
  for (std::size_t s = 0; s < count_; ++s) {
    const std::uint16_t* nb = buf_.neighbours + s * kMaxLofK;
    float reach = 0.0f;
    for (std::size_t j = 0; j < k_; ++j) {
      const float d = distance(vector(s), vector(nb[j]));
      reach += d > buf_.kdist[nb[j]] ? d : buf_.kdist[nb[j]];
    }
    const float mean = reach / static_cast<float>(k_);
    buf_.lrd[s] = 1.0f / (mean > kMinReach ? mean : kMinReach);
  }
  fitted_ = true;
}

Error LofDetector::score(const float* x, float* out) {
  for (std::size_t f = 0; f < features_; ++f) {
    if (!std::isfinite(x[f])) return Error::non_finite_input;
  }
  if (count_ <= k_) return Error::not_ready;
  refit();
  std::uint16_t idx[kMaxLofK];
  float dist[kMaxLofK];
  nearest(x, count_, idx, dist);
  float reach = 0.0f;
  float lrd_sum = 0.0f;
  for (std::size_t j = 0; j < k_; ++j) {
    reach += dist[j] > buf_.kdist[idx[j]] ? dist[j] : buf_.kdist[idx[j]];
    lrd_sum += buf_.lrd[idx[j]];
  }
  const float mean = reach / static_cast<float>(k_);
  // LOF = mean lrd(o) / lrd(x), with lrd(x) = 1 / max(mean reach, kMinReach).
  *out = (lrd_sum / static_cast<float>(k_)) * (mean > kMinReach ? mean : kMinReach);
  return Error::ok;
}

}  // namespace tl::ml
