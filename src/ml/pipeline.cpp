#include "ml/pipeline.hpp"

#include <cmath>

#include "ml/fft.hpp"

namespace tl::ml {

namespace {

bool finite_positive(float v) { return std::isfinite(v) && v > 0.0f; }

bool block_valid(const FeatureBlock& b, std::size_t window) {
  switch (b.kind) {
    case BlockKind::crossings:
      return std::isfinite(b.param) && b.param >= 0.0f;
    case BlockKind::fft_peak:
      return b.param == 0.0f && window >= 2;
    case BlockKind::base:
    case BlockKind::energy:
    case BlockKind::rms:
    case BlockKind::variance:
    case BlockKind::minmax:
      return b.param == 0.0f;
  }
  return false;
}

std::size_t raw_feature_count(const Pipeline& p) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < p.block_count; ++i) n += block_outputs(p.blocks[i].kind) * p.axes;
  return n;
}

// Per-axis statistics shared by the blocks: pass 1 (min, max, mean), pass 2 (energy).
struct AxisStats {
  float min;
  float max;
  float mean;
  float energy;  // sum of squared deviations from the mean
};

// One axis as a strided view: samples at begin, begin + stride, ... before end.
struct Axis {
  const float* begin;
  const float* end;
  std::size_t stride;
};

Axis axis_of(const Pipeline& p, const float* w, std::size_t a) {
  return Axis{w + a, w + a + std::size_t{p.window} * p.axes, p.axes};
}

bool all_finite(const Axis& x) {
  for (const float* v = x.begin; v < x.end; v += x.stride) {
    if (!std::isfinite(*v)) return false;
  }
  return true;
}

// Pass 1: min, max and mean in one loop. A NaN or infinite sample makes the sum non-finite, so
// the per-sample finiteness test runs only then (a finite window whose sum overflows passes it).
Error first_pass(const Pipeline& p, const float* w, AxisStats* s) {
  for (std::size_t a = 0; a < p.axes; ++a) {
    const Axis x = axis_of(p, w, a);
    float lo = *x.begin;
    float hi = *x.begin;
    float sum = 0.0f;
    const float* v = x.begin;
    do {  // window >= 1; bottom-tested, -Os would test at the top and jump back
      if (*v < lo) {  // then *v < hi too: lo <= hi throughout (a NaN fails both tests)
        lo = *v;
      } else if (*v > hi) {
        hi = *v;
      }
      sum += *v;
      v += x.stride;
    } while (v < x.end);
    if (!std::isfinite(sum) && !all_finite(x)) return Error::non_finite_input;
    s[a] = AxisStats{lo, hi, sum / static_cast<float>(p.window), 0.0f};
  }
  return Error::ok;
}

// Pass 2, only for the blocks that use it: sum of (x - mean)^2 in sample order.
float energy(const Axis& x, float mean) {
  float e = 0.0f;
  const float* v = x.begin;
  do {
    const float d = *v - mean;
    e += d * d;
    v += x.stride;
  } while (v < x.end);
  return e;
}

bool needs_energy(const Pipeline& p) {
  for (std::size_t i = 0; i < p.block_count; ++i) {
    const BlockKind k = p.blocks[i].kind;
    if (k == BlockKind::energy || k == BlockKind::rms || k == BlockKind::variance) return true;
  }
  return false;
}

// First sample at or after v with sign * sample > edge, or end.
const float* next_beyond(const Axis& x, const float* v, float sign, float edge) {
  while (v < x.end && !(sign * *v > edge)) v += x.stride;
  return v;
}

// Mean crossings with hysteresis h: state changes between "below mean - h" and "above mean + h".
// The state lives in which edge is awaited: below awaits x > mean + h, above awaits
// -x > -(mean - h) (negation is exact), so each sample costs one compare.
float crossings(const Axis& x, float mean, float h) {
  const float lo = mean - h;
  const float hi = mean + h;
  const float* v = x.begin;
  while (v < x.end && !(*v < lo) && !(*v > hi)) v += x.stride;  // state not yet known
  if (v == x.end) return 0.0f;
  float sign = *v < lo ? 1.0f : -1.0f;  // below: await above
  unsigned count = 0;
  for (v = next_beyond(x, v, sign, sign > 0.0f ? hi : -lo); v < x.end;
       v = next_beyond(x, v, sign, sign > 0.0f ? hi : -lo)) {
    ++count;
    sign = -sign;
  }
  return static_cast<float>(count);
}

// Largest non-DC bin of the mean-removed axis, zero-padded to a power of two.
void fft_peak(const Pipeline& p, const float* w, std::size_t a, float mean, float* out) {
  std::size_t m = 1;
  while (m < p.window) m <<= 1;
  float re[detail::kMaxFft];
  float im[detail::kMaxFft];
  for (std::size_t n = 0; n < m; ++n) {
    re[n] = n < p.window ? w[n * p.axes + a] - mean : 0.0f;
    im[n] = 0.0f;
  }
  detail::fft(re, im, m);
  std::size_t best = 1;
  float best_mag2 = -1.0f;
  for (std::size_t k = 1; k <= m / 2; ++k) {
    const float mag2 = re[k] * re[k] + im[k] * im[k];
    if (mag2 > best_mag2) {
      best_mag2 = mag2;
      best = k;
    }
  }
  out[0] = static_cast<float>(best) * p.sample_rate_hz / static_cast<float>(m);
  out[1] = std::sqrt(best_mag2) * 2.0f / static_cast<float>(p.window);
}

// Writes the outputs of one block for axis a; returns the number written.
std::size_t block_features(const Pipeline& p, const FeatureBlock& b, const float* w, std::size_t a,
                           const AxisStats& s, float* out) {
  const float n = static_cast<float>(p.window);
  switch (b.kind) {
    case BlockKind::base:
      out[0] = s.max - s.min;
      out[1] = s.mean;
      return 2;
    case BlockKind::energy:
      out[0] = s.energy;
      return 1;
    case BlockKind::rms:
      out[0] = std::sqrt(s.energy / n);
      return 1;
    case BlockKind::variance:
      out[0] = s.energy / n;
      return 1;
    case BlockKind::minmax:
      out[0] = s.min;
      out[1] = s.max;
      return 2;
    case BlockKind::crossings:
      out[0] = crossings(axis_of(p, w, a), s.mean, b.param);
      return 1;
    case BlockKind::fft_peak:
      fft_peak(p, w, a, s.mean, out);
      return 2;
  }
  return 0;
}

}  // namespace

Pipeline paper_pipeline() {
  Pipeline p;
  p.sample_rate_hz = 10.0f;
  p.window = 20;
  p.hop = 20;
  p.axes = 3;
  p.block_count = 3;
  p.scaler = ScalerKind::minmax;
  p.input_scale = 1.0f;
  p.blocks[0] = FeatureBlock{BlockKind::base, 0.0f};
  p.blocks[1] = FeatureBlock{BlockKind::energy, 0.0f};
  p.blocks[2] = FeatureBlock{BlockKind::crossings, 0.0f};
  return p;
}

std::size_t block_outputs(BlockKind kind) {
  switch (kind) {
    case BlockKind::base:
    case BlockKind::minmax:
    case BlockKind::fft_peak:
      return 2;
    case BlockKind::energy:
    case BlockKind::rms:
    case BlockKind::variance:
    case BlockKind::crossings:
      return 1;
  }
  return 0;
}

Error validate_pipeline(const Pipeline& p) {
  const bool shape_ok = finite_positive(p.sample_rate_hz) && finite_positive(p.input_scale) &&
                        p.window >= 1 && p.window <= kMaxWindow && p.hop >= 1 &&
                        p.hop <= kMaxWindow && p.axes >= 1 && p.axes <= kMaxAxes &&
                        p.block_count >= 1 && p.block_count <= kMaxBlocks &&
                        static_cast<std::uint8_t>(p.scaler) <= 2;
  if (!shape_ok) return Error::bad_pipeline;
  for (std::size_t i = 0; i < p.block_count; ++i) {
    if (!block_valid(p.blocks[i], p.window)) return Error::bad_pipeline;
  }
  return raw_feature_count(p) <= kMaxFeatures ? Error::ok : Error::bad_pipeline;
}

std::size_t feature_count(const Pipeline& p) {
  return validate_pipeline(p) == Error::ok ? raw_feature_count(p) : 0;
}

Error compute_features(const Pipeline& p, const float* window, float* out) {
  if (window == nullptr || out == nullptr) return Error::bad_argument;
  if (validate_pipeline(p) != Error::ok) return Error::bad_pipeline;
  AxisStats stats[kMaxAxes];
  if (const Error e = first_pass(p, window, stats); e != Error::ok) return e;
  if (needs_energy(p)) {
    for (std::size_t a = 0; a < p.axes; ++a) stats[a].energy = energy(axis_of(p, window, a), stats[a].mean);
  }
  for (std::size_t i = 0; i < p.block_count; ++i) {
    for (std::size_t a = 0; a < p.axes; ++a) {
      out += block_features(p, p.blocks[i], window, a, stats[a], out);
    }
  }
  return Error::ok;
}

void convert_samples(const std::int16_t* raw, std::size_t count, float scale, float* out) {
  for (std::size_t i = 0; i < count; ++i) out[i] = static_cast<float>(raw[i]) * scale;
}

}  // namespace tl::ml
