#include "gesture_model.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "ml/blob.hpp"
#include "train/blob.hpp"
#include "train/dataset.hpp"
#include "train/loaders.hpp"
#include "train/trainer.hpp"
#include "train/windowing.hpp"

namespace tl::device::test {
namespace {

const std::string kGestures = std::string(TL_SHARED_DIR) + "/datasets/gestures-100hz/";

ml::Pipeline gesture_pipeline() {
  ml::Pipeline p = ml::paper_pipeline();
  p.hop = 10;
  p.input_scale = 9.80665f / 16384.0f;  // raw int16 accelerometer counts at +-2 g
  return p;
}

std::vector<std::string> training_files() {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(kGestures)) {
    if (e.path().extension() == ".npy") files.push_back(e.path().string());
  }
  return files;
}

GestureModel train_model() {
  train::Warnings warnings;
  train::DataOptions data;
  data.pipeline = gesture_pipeline();
  data.input_rate_hz = 100;
  const train::FeatureTable table = train::load_dataset(training_files(), data, warnings);
  train::TrainOptions options;
  options.folds = 0;
  options.forest.n_trees = 20;
  const train::TrainResult result = train::train(table, data.pipeline, options, warnings);
  const std::vector<uint8_t> blob = train::make_blob(result.model, train::TreeForm::best);
  GestureModel m;
  const auto dir = std::filesystem::temp_directory_path() / ("tl-device-test-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  m.blob_path = (dir / "model.tlm").string();
  std::ofstream(m.blob_path, std::ios::binary).write(reinterpret_cast<const char*>(blob.data()), std::streamsize(blob.size()));
  m.labels = table.classes;
  return m;
}

// Removes the model's directory when the program ends.
struct Cleanup {
  std::string dir;
  ~Cleanup() {
    std::error_code ignored;
    if (!dir.empty()) std::filesystem::remove_all(dir, ignored);
  }
};

}  // namespace

const GestureModel& gesture_model() {
  static const GestureModel model = train_model();
  static const Cleanup cleanup{std::filesystem::path(model.blob_path).parent_path().string()};
  return model;
}

std::vector<std::string> replay_recordings() {
  return {kGestures + "2025-06-15T192906_wave.npy", kGestures + "2025-06-15T193704_idle.npy",
          kGestures + "2025-06-15T192744_snake.npy", kGestures + "2025-06-15T192823_updown.npy"};
}

std::map<int, unsigned> expected_counts(const std::string& blob_path, const std::vector<std::string>& recordings) {
  const std::string bytes = train::read_file_bytes(blob_path);
  ml::ModelView m;
  if (ml::open_blob(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), &m) != ml::Error::ok) {
    throw std::runtime_error("the test model does not open");
  }
  const ml::Pipeline& p = m.pipeline;
  std::map<int, unsigned> counts;
  for (const auto& file : recordings) {
    train::Warnings warnings;
    const train::Recording r = train::resample(train::load_recording(file, 100, warnings), p.sample_rate_hz);
    std::vector<float> window(size_t(p.window) * p.axes);
    for (size_t start : train::window_starts(r.rows(), p.window, p.hop)) {
      for (size_t i = 0; i < window.size(); ++i) window[i] = r.samples[start * p.axes + i] * p.input_scale;
      ml::Result out;
      if (ml::run_window(m, window.data(), &out) != ml::Error::ok) throw std::runtime_error("window did not run");
      ++counts[out.predicted];
    }
  }
  return counts;
}

}  // namespace tl::device::test
