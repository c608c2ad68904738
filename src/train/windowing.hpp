// Time-series preparation before feature extraction: resampling and overlapping windows.
#pragma once
#include <cstddef>
#include <vector>

#include "train/recording.hpp"

namespace tl::train {

// Linear interpolation from the recording's rate to `to_hz`: output sample k is taken at time
// k / to_hz, for every k whose time lies within the recording. No anti-alias filter (the
// device does not have one either).
Recording resample(const Recording& in, float to_hz);

// Start rows of the windows of `window` rows every `hop` rows that fit entirely.
std::vector<size_t> window_starts(size_t rows, size_t window, size_t hop);

}  // namespace tl::train
