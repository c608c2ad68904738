// In-memory forms of the training data: raw recordings (time series) and featurised tables.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace tl::train {

// One recording file: rows of `axes` samples, interleaved, in the file's raw units.
struct Recording {
  std::string file;        // path as given: messages, and the group of the group split
  std::string label;
  float rate_hz = 0.0f;    // 0 when the format does not say (NumPy)
  size_t axes = 0;
  std::vector<float> samples;

  size_t rows() const { return axes == 0 ? 0 : samples.size() / axes; }
};

// Feature vectors, already computed, with their class and the recording they came from.
struct FeatureTable {
  size_t n_features = 0;
  std::vector<float> x;  // row-major, rows() * n_features
  std::vector<int> y;    // index into classes
  std::vector<int> group;  // index into groups
  std::vector<std::string> classes;
  std::vector<std::string> groups;

  size_t rows() const { return y.size(); }
  const float* row(size_t i) const { return x.data() + i * n_features; }
};

}  // namespace tl::train
