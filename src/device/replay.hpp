// The replayed accelerometer: recordings played back to back at the model's sample rate, cut
// into the windows of the model's pipeline, each with the stream time at which its last sample
// arrives, so the main loop can deliver it when a real sensor would.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ml/pipeline.hpp"
#include "train/input_error.hpp"

namespace tl::device {

struct ReplayWindow {
  size_t recording = 0;       // index into the files
  size_t start = 0;           // first row, at the model's rate
  double due_s = 0;           // stream time of the window's last sample
  std::vector<float> samples; // window * axes, interleaved, scaled by input_scale
};

// Loads each file (throws train::InputError with a remedy), resamples it to the pipeline's
// rate and cuts its windows. A recording with another axis count is an InputError too.
std::vector<ReplayWindow> load_replay(const std::vector<std::string>& files, float npy_rate_hz,
                                      const ml::Pipeline& pipeline, train::Warnings& warnings);

}  // namespace tl::device
