// The objects fed with windows of a real recording (shared/datasets/gestures-100hz): a hand-made
// model on the x-axis energy separates still from moving hands, and the objects' readings must
// agree with what the runtime computes for the same windows.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>

#include "fixtures.hpp"
#include "objects/le.hpp"

namespace tl::objects::test {
namespace {

constexpr float kGravityScale = 9.80665f / 16384;  // raw int16 -> m/s^2

// A NumPy v1 file of int16 rows x 3 axes (the dataset's format).
std::vector<float> load_npy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.size() < 10 || bytes.compare(1, 5, "NUMPY") != 0) return {};
  const size_t header = 10 + static_cast<uint8_t>(bytes[8]) + (static_cast<size_t>(static_cast<uint8_t>(bytes[9])) << 8);
  std::vector<int16_t> raw((bytes.size() - header) / 2);
  std::memcpy(raw.data(), bytes.data() + header, raw.size() * 2);
  std::vector<float> out(raw.size());
  ml::convert_samples(raw.data(), raw.size(), kGravityScale, out.data());
  return out;
}

// 100 Hz, windows of 50 x 3, BASE + ENERGY: 9 features; class 1 when the x energy exceeds 2.
ml::Pipeline recording_pipeline() {
  ml::Pipeline p;
  p.sample_rate_hz = 100.0f;
  p.window = 50;
  p.hop = 50;
  p.axes = 3;
  p.block_count = 2;
  p.blocks[0] = {ml::BlockKind::base, 0.0f};
  p.blocks[1] = {ml::BlockKind::energy, 0.0f};
  return p;
}

std::vector<uint8_t> energy_blob() {
  const ml::TreeNode nodes[] = {ml::test::split(6, 2.0f, 2), ml::test::leaf(0), ml::test::leaf(1)};
  const uint16_t roots[] = {0};
  const ml::Forest forest{nodes, roots, 3, 1, 2, 9};
  static const char* const kLabels[] = {"still", "moving"};
  const float centroid[9] = {};
  const float radius[] = {10.0f};
  const ml::KMeans km{centroid, radius, 1, 9, 1.5f};
  ml::ModelSpec spec;
  spec.name = "energy";
  spec.version = 3;
  spec.pipeline = recording_pipeline();
  spec.class_count = 2;
  spec.labels = kLabels;
  spec.forest = &forest;
  spec.kmeans = &km;
  std::vector<uint8_t> out(ml::blob_size(spec));
  ml::ByteSink sink{out.data(), out.size(), 0};
  EXPECT_EQ(ml::write_blob(spec, &sink), ml::Error::ok);
  return out;
}

TEST(Recording, ObjectsAgreeWithTheRuntime) {
  client::test::FakePlatform platform;
  const std::vector<uint8_t> blob = energy_blob();
  Memory memory;
  memory.raw.resize(kRawHeaderSize + 4 * 150);
  TinyMlObjects ml(platform, RunnerConfig{recording_pipeline(), blob, 100}, memory.buffers());
  ASSERT_TRUE(ml.runner().loaded());
  ml::ModelView view;
  ASSERT_EQ(ml::open_blob(blob.data(), blob.size(), &view), ml::Error::ok);

  uint32_t expected[2] = {};
  float max_score = -1.0f;
  std::vector<float> max_window;
  for (const char* name : {"2025-06-15T193704_idle.npy", "2025-06-15T192906_wave.npy"}) {
    const std::vector<float> samples = load_npy(std::string(TL_SHARED_DIR) + "/datasets/gestures-100hz/" + name);
    ASSERT_EQ(samples.size(), 1200u) << name;
    for (size_t start = 0; start + 150 <= samples.size(); start += 150) {
      ml::Result r;
      ASSERT_EQ(ml::run_window(view, samples.data() + start, &r), ml::Error::ok);
      ++expected[r.predicted];
      if (r.anomaly_score > max_score) {
        max_score = r.anomaly_score;
        max_window.assign(samples.begin() + static_cast<long>(start), samples.begin() + static_cast<long>(start + 150));
      }
      ASSERT_EQ(ml.on_window(samples.data() + start), ml::Error::ok);
      EXPECT_EQ(ml.runner().predicted(), r.predicted);
      EXPECT_EQ(ml.runner().score(), r.anomaly_score);
    }
  }
  // A still hand and a waving one: both classes occur.
  EXPECT_GT(expected[0], 0u);
  EXPECT_GT(expected[1], 0u);
  EXPECT_EQ(ml.runner().class_counter(0), expected[0]);
  EXPECT_EQ(ml.runner().class_counter(1), expected[1]);
  EXPECT_EQ(ml.runner().max_score(), max_score);
  const wire::Bytes raw = ml.runner().raw_window();
  ASSERT_EQ(raw.size(), kRawHeaderSize + 4 * 150);
  for (size_t i = 0; i < 150; ++i) EXPECT_EQ(get_f32(raw.data() + kRawHeaderSize + 4 * i), max_window[i]);
}

}  // namespace
}  // namespace tl::objects::test
