#include "ml/pipeline.hpp"

#include <cmath>

#include "ml/detail.hpp"
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

// Per-axis statistics shared by the blocks: pass 1 (min, max, mean), pass 2 (energy and the
// crossings of the pipeline's first CROSSINGS block).
struct AxisStats {
  float min;
  float max;
  float mean;
  float energy;     // sum of squared deviations from the mean
  float crossings;  // with the hysteresis of the first CROSSINGS block
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

// The passes run over L adjacent axes at once (L = 3 when A is a multiple of 3, else 1): one
// pointer step and one loop test per row of L samples, and the lanes stay in registers. Each lane
// does exactly the operations of the one-axis loop, in sample order.

// Pass 1: min, max and mean in one loop. A NaN or infinite sample makes the sum non-finite, so
// the per-sample finiteness test runs only then (a finite window whose sum overflows passes it).
// A sample below the minimum cannot be above the maximum (lo <= hi throughout; a NaN fails both).
template <std::size_t L>
Error first_pass(const Pipeline& p, const float* w, std::size_t a0, AxisStats* s) {
  const std::size_t stride = p.axes;
  const float* v = w + a0;
  const float* const end = v + std::size_t{p.window} * stride;
  float lo[L];
  float hi[L];
  float sum[L];
#pragma GCC unroll 8
  for (std::size_t l = 0; l < L; ++l) {  // the first row: only the sum has work to do
    lo[l] = v[l];
    hi[l] = v[l];
    sum[l] = 0.0f + v[l];  // not v[l]: 0 + -0 is +0
  }
  v += stride;
  if (p.window > 1) {  // not v < end: GCC -Os would then test at the top and jump back
    do {
#pragma GCC unroll 8
      for (std::size_t l = 0; l < L; ++l) {
        const float x = v[l];
        if (x < lo[l]) {
          lo[l] = x;
        } else if (x > hi[l]) {
          hi[l] = x;
        }
        sum[l] += x;
      }
      v += stride;
    } while (v < end);
  }
  const float n = static_cast<float>(p.window);
#pragma GCC unroll 8
  for (std::size_t l = 0; l < L; ++l) {
    if (!std::isfinite(sum[l]) && !all_finite(axis_of(p, w, a0 + l))) return Error::non_finite_input;
    s[l].min = lo[l];
    s[l].max = hi[l];
    s[l].mean = sum[l] / n;
  }
  return Error::ok;
}

// Pass 2: energy (sum of (x - mean)^2 in sample order) and crossings with hysteresis h in one
// loop. The crossing state lives in which edge a lane awaits: below awaits x > mean + h, above
// awaits -x > -(mean - h) (negation is exact), so each sample costs one compare. The state starts
// as the first sample outside [mean - h, mean + h] says (none: no crossings). The samples before
// that one are inside, so they trigger neither edge and the loop can start at the first sample.
template <std::size_t L>
void second_pass(const Pipeline& p, const float* w, std::size_t a0, float h, AxisStats* s) {
  const std::size_t stride = p.axes;
  const float* v = w + a0;
  const float* const end = v + std::size_t{p.window} * stride;
  float mean[L];
  float energy[L];
  float sign[L];   // +1 awaiting above, -1 awaiting below
  float edge[L];   // the awaited edge: mean + h, or -(mean - h)
  float other[L];  // the other one
  unsigned count[L];
#pragma GCC unroll 8
  for (std::size_t l = 0; l < L; ++l) {
    mean[l] = s[l].mean;
    energy[l] = 0.0f;
    count[l] = 0;
    const float lo = mean[l] - h;
    const float hi = mean[l] + h;
    const float* u = v + l;
    while (u < end && !(*u < lo) && !(*u > hi)) u += stride;
    const bool above = u < end && *u > hi;
    sign[l] = above ? -1.0f : 1.0f;
    edge[l] = above ? -lo : hi;
    other[l] = above ? hi : -lo;
  }
  do {
#pragma GCC unroll 8
    for (std::size_t l = 0; l < L; ++l) {
      const float x = v[l];
      const float d = x - mean[l];
      energy[l] += d * d;
      if (sign[l] * x > edge[l]) {
        ++count[l];
        sign[l] = -sign[l];
        const float t = edge[l];
        edge[l] = other[l];
        other[l] = t;
      }
    }
    v += stride;
  } while (v < end);
#pragma GCC unroll 8
  for (std::size_t l = 0; l < L; ++l) {
    s[l].energy = energy[l];
    s[l].crossings = static_cast<float>(count[l]);
  }
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

// Which passes the blocks need: energy (ENERGY, RMS, VARIANCE) and the hysteresis of the first
// CROSSINGS block. Pass 2 computes both whenever either is needed.
struct Needs {
  bool second_pass = false;
  float h = 0.0f;
};

Needs needs_of(const Pipeline& p) {
  Needs n;
  unsigned kinds = 0;  // bit k for BlockKind k
  for (std::size_t i = p.block_count; i-- > 0;) {  // backwards: the first CROSSINGS block wins
    const unsigned k = static_cast<unsigned>(p.blocks[i].kind);
    kinds |= 1u << k;
    if (k == static_cast<unsigned>(BlockKind::crossings)) n.h = p.blocks[i].param;
  }
  constexpr unsigned second = 1u << static_cast<unsigned>(BlockKind::energy) |
                              1u << static_cast<unsigned>(BlockKind::rms) |
                              1u << static_cast<unsigned>(BlockKind::variance) |
                              1u << static_cast<unsigned>(BlockKind::crossings);
  n.second_pass = (kinds & second) != 0;
  return n;
}

template <std::size_t L>
Error passes(const Pipeline& p, const float* w, const Needs& needs, AxisStats* stats) {
  for (std::size_t a = 0; a < p.axes; a += L) {
    if (const Error e = first_pass<L>(p, w, a, stats + a); e != Error::ok) return e;
    if (needs.second_pass) second_pass<L>(p, w, a, needs.h, stats + a);
  }
  return Error::ok;
}

}  // namespace

namespace detail {

Error compute_features_unchecked(const Pipeline& p, const float* window, float* out) {
  AxisStats stats[kMaxAxes];
  const Needs needs = needs_of(p);
  const Error e = p.axes % 3 == 0 ? passes<3>(p, window, needs, stats)
                                  : passes<1>(p, window, needs, stats);
  if (e != Error::ok) return e;
  const float n = static_cast<float>(p.window);
  const AxisStats* const stats_end = stats + p.axes;
  for (std::size_t i = 0; i < p.block_count; ++i) {
    const FeatureBlock& b = p.blocks[i];
    switch (b.kind) {
      case BlockKind::base:
        for (const AxisStats* s = stats; s < stats_end; ++s, out += 2) {
          out[0] = s->max - s->min;
          out[1] = s->mean;
        }
        break;
      case BlockKind::energy:
        for (const AxisStats* s = stats; s < stats_end; ++s) *out++ = s->energy;
        break;
      case BlockKind::rms:
        for (const AxisStats* s = stats; s < stats_end; ++s) *out++ = std::sqrt(s->energy / n);
        break;
      case BlockKind::variance:
        for (const AxisStats* s = stats; s < stats_end; ++s) *out++ = s->energy / n;
        break;
      case BlockKind::minmax:
        for (const AxisStats* s = stats; s < stats_end; ++s, out += 2) {
          out[0] = s->min;
          out[1] = s->max;
        }
        break;
      case BlockKind::crossings:
        // Pass 2 used the first CROSSINGS block's h; a block with another h makes its own pass.
        if (b.param == needs.h) {
          for (const AxisStats* s = stats; s < stats_end; ++s) *out++ = s->crossings;
        } else {
          for (std::size_t a = 0; a < p.axes; ++a) {
            *out++ = crossings(axis_of(p, window, a), stats[a].mean, b.param);
          }
        }
        break;
      case BlockKind::fft_peak:
        for (std::size_t a = 0; a < p.axes; ++a, out += 2) fft_peak(p, window, a, stats[a].mean, out);
        break;
    }
  }
  return Error::ok;
}

}  // namespace detail

namespace {
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
  return detail::compute_features_unchecked(p, window, out);
}

void convert_samples(const std::int16_t* raw, std::size_t count, float scale, float* out) {
  for (std::size_t i = 0; i < count; ++i) out[i] = static_cast<float>(raw[i]) * scale;
}

}  // namespace tl::ml
