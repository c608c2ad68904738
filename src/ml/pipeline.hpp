// Signal pipeline description and feature extraction (FogML-style DSP blocks).
//
// A window is N samples of A axes, interleaved: sample n of axis a is window[n * A + a], already in
// physical units (raw int16 * input_scale, see convert_samples). The feature vector is laid out
// block by block in pipeline order; inside a block axis by axis; inside an axis the block's outputs
// in the order listed below. With blocks BASE, ENERGY, CROSSINGS on 3 axes this gives FogML's
// 12-column vectors: x amp, x mean, y amp, y mean, z amp, z mean, energy x, y, z, crossings x, y, z.
//
// Numerics: single-precision float only, and only IEEE-exact operations (+ - * / sqrt) in a fixed
// order, compiled with -ffp-contract=off: host and Cortex-M4F produce bit-identical features.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "ml/error.hpp"

namespace tl::ml {

inline constexpr std::size_t kMaxWindow = 512;  // samples per window (N)
inline constexpr std::size_t kMaxAxes = 6;      // A
inline constexpr std::size_t kMaxBlocks = 8;
inline constexpr std::size_t kMaxFeatures = 64;  // pipelines producing more are rejected

enum class BlockKind : std::uint8_t {
  base = 1,       // 2 outputs: amplitude (max - min), mean
  energy = 2,     // 1 output: sum over the window of (x - mean)^2 -- FogML's "RMS" block; NOT / N
  rms = 3,        // 1 output: sqrt(energy / N), the true root-mean-square deviation
  variance = 4,   // 1 output: energy / N (population variance)
  minmax = 5,     // 2 outputs: min, max
  crossings = 6,  // 1 output: mean crossings with hysteresis param (see below), as a float count
  fft_peak = 7,   // 2 outputs: frequency [Hz] and amplitude of the largest non-DC bin (see below)
};

// One DSP block. `param` is only used by:
//  - crossings: hysteresis h >= 0 in physical units. The signal is "below" when x < mean - h and
//    "above" when x > mean + h; samples in between keep the previous state. One crossing is counted
//    per change below <-> above (the first state reached is not a crossing). h = 0 counts sign
//    changes of x - mean, ignoring samples exactly equal to the mean.
//  - fft_peak: unused (must be 0). The window (mean removed) is zero-padded to the next power of two
//    M >= N (M <= 512); bins k = 1 .. M/2 are searched; frequency = k * sample_rate / M;
//    amplitude = |X_k| * 2 / N (the amplitude of a sinusoid that fits a bin exactly). Ties: lowest k.
// All other kinds require param == 0.
struct FeatureBlock {
  BlockKind kind = BlockKind::base;
  float param = 0.0f;
};

enum class ScalerKind : std::uint8_t {
  none = 0,      // features go to the model unchanged
  minmax = 1,    // offset = min, scale = 1 / (max - min)   (scale = 1 when max == min)
  standard = 2,  // offset = mean, scale = 1 / std          (scale = 1 when std == 0)
};

struct Pipeline {
  float sample_rate_hz = 0.0f;  // > 0, finite
  std::uint16_t window = 0;     // N, 1 .. kMaxWindow (crossings/fft/variance accept N = 1 too)
  std::uint16_t hop = 0;        // samples between window starts, 1 .. kMaxWindow (not used here)
  std::uint8_t axes = 0;        // A, 1 .. kMaxAxes
  std::uint8_t block_count = 0; // 1 .. kMaxBlocks
  ScalerKind scaler = ScalerKind::none;
  float input_scale = 1.0f;     // raw int16 * input_scale = physical unit; > 0, finite
  std::array<FeatureBlock, kMaxBlocks> blocks{};  // the first block_count are used
};

// The configuration of the paper's case study (Tab. 2): 10 Hz, windows of 20 samples x 3 axes
// (hop 20), blocks BASE, ENERGY (FogML "RMS"), CROSSINGS (h = 0), min-max scaler, input already in
// m/s^2 (input_scale 1). feature_count() == 12.
Pipeline paper_pipeline();

// Number of outputs of one block kind per axis (0 for an unknown kind).
std::size_t block_outputs(BlockKind kind);

// Checks every field of the pipeline; Error::ok or Error::bad_pipeline. Also rejects pipelines
// whose feature_count would exceed kMaxFeatures.
Error validate_pipeline(const Pipeline& p);

// Length of the feature vector; 0 when validate_pipeline() fails.
std::size_t feature_count(const Pipeline& p);

// Computes the feature vector of one window (N * A floats, interleaved) into out[feature_count].
// Errors: bad_argument (null), bad_pipeline, non_finite_input (any NaN / inf sample; out is then
// unspecified). Uses no heap and about 4 KB of stack for fft_peak, less otherwise.
Error compute_features(const Pipeline& p, const float* window, float* out);

// out[i] = float(raw[i]) * scale for i < count (e.g. scale = 9.80665f / 16384 for the gestures).
void convert_samples(const std::int16_t* raw, std::size_t count, float scale, float* out);

}  // namespace tl::ml
