#include "device/replay.hpp"

#include "train/dataset.hpp"
#include "train/windowing.hpp"

namespace tl::device {
namespace {

// Appends the windows of one recording (already at the pipeline's rate) starting at stream
// time `offset_s`.
void cut(const train::Recording& r, size_t index, double offset_s, const ml::Pipeline& p,
         std::vector<ReplayWindow>& out) {
  const size_t n = size_t(p.window) * p.axes;
  for (size_t start : train::window_starts(r.rows(), p.window, p.hop)) {
    ReplayWindow w;
    w.recording = index;
    w.start = start;
    w.due_s = offset_s + double(start + p.window) / double(p.sample_rate_hz);
    w.samples.resize(n);
    for (size_t i = 0; i < n; ++i) w.samples[i] = r.samples[start * p.axes + i] * p.input_scale;
    out.push_back(std::move(w));
  }
}

}  // namespace

std::vector<ReplayWindow> load_replay(const std::vector<std::string>& files, float npy_rate_hz,
                                      const ml::Pipeline& p, train::Warnings& warnings) {
  std::vector<ReplayWindow> out;
  double offset_s = 0;
  for (size_t i = 0; i < files.size(); ++i) {
    const train::Recording rec = train::load_recording(files[i], npy_rate_hz, warnings);
    if (rec.axes != p.axes) {
      throw train::InputError(files[i], "", "has " + std::to_string(rec.axes) + " axes, the model expects " +
                                               std::to_string(p.axes),
                              "replay recordings of the sensor the model was trained on");
    }
    const train::Recording r = rec.rate_hz == p.sample_rate_hz ? rec : train::resample(rec, p.sample_rate_hz);
    cut(r, i, offset_s, p, out);
    offset_s += double(r.rows()) / double(p.sample_rate_hz);
  }
  return out;
}

}  // namespace tl::device
