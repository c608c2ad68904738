// Self-contained models for the objects tests, and the rig that serves TinyMlObjects through the
// real client engine (tests/client's fake platform and scripted server, with our object list).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "../client/harness.hpp"
#include "../ml/fixtures.hpp"
#include "objects/tinyml_objects.hpp"

namespace tl::objects::test {

// Windows of 4 samples of 1 axis at 10 Hz; features: BASE (amplitude, mean), no scaler.
inline ml::Pipeline device_pipeline(float rate = 10.0f) {
  ml::Pipeline p;
  p.sample_rate_hz = rate;
  p.window = 4;
  p.hop = 4;
  p.axes = 1;
  p.block_count = 1;
  p.blocks[0] = {ml::BlockKind::base, 0.0f};
  return p;
}

// A window whose mean is `mean` and whose amplitude is `amp`.
inline std::vector<float> window(float mean, float amp = 0.0f) {
  return {mean - amp / 2, mean + amp / 2, mean - amp / 2, mean + amp / 2};
}

// One tree on the mean: class c for mean in (c - 0.5, c + 0.5] (the last class takes the rest),
// plus k-means with one cluster at (0, 0), radius 1 (score = distance from the origin).
inline std::vector<uint8_t> make_blob(uint8_t classes, uint32_t version, float rate = 10.0f,
                                      bool lof = false) {
  using ml::test::leaf;
  using ml::test::split;
  ml::test::OwnedForest f;
  f.classes = classes;
  f.features = 2;
  f.roots = {0};
  for (uint8_t c = 0; c + 1 < classes; ++c) {
    const auto right = static_cast<uint16_t>(f.nodes.size() + 2);
    f.nodes.push_back(split(1, static_cast<float>(c) + 0.5f, right));
    f.nodes.push_back(leaf(c));
  }
  f.nodes.push_back(leaf(static_cast<uint8_t>(classes - 1)));
  static const char* const kLabels[] = {"rest", "wave", "shake", "tap"};
  static const float kCentroid[] = {0.0f, 0.0f};
  static const float kRadius[] = {1.0f};
  const ml::KMeans km{kCentroid, kRadius, 1, 2, 2.0f};
  const ml::LofParams lof_params{2, 20, 1.5f};
  const ml::Forest forest = f.view();
  ml::ModelSpec spec;
  spec.name = version == 1 ? "gestures" : "gestures-v2";
  spec.version = version;
  spec.pipeline = device_pipeline(rate);
  spec.class_count = classes;
  spec.labels = kLabels;
  spec.forest = &forest;
  spec.kmeans = &km;
  spec.lof = lof ? &lof_params : nullptr;
  std::vector<uint8_t> out(ml::blob_size(spec));
  ml::ByteSink sink{out.data(), out.size(), 0};
  if (ml::write_blob(spec, &sink) != ml::Error::ok) out.clear();
  return out;
}

// The memory an application would give the objects, as vectors.
struct Memory {
  std::vector<uint8_t> slot_a = std::vector<uint8_t>(4096);
  std::vector<uint8_t> slot_b = std::vector<uint8_t>(4096);
  std::vector<uint8_t> raw = std::vector<uint8_t>(kRawHeaderSize + 16);
  std::vector<float> lof_vectors = std::vector<float>(20 * 2);
  std::vector<float> kdist = std::vector<float>(20), lrd = std::vector<float>(20);
  std::vector<uint16_t> neighbours = std::vector<uint16_t>(20 * ml::kMaxLofK);

  RunnerBuffers buffers() {
    return RunnerBuffers{{slot_a, slot_b}, raw,
                         ml::LofBuffers{lof_vectors.data(), kdist.data(), lrd.data(), neighbours.data(), 20, 2}};
  }
};

// The objects over tests/client's Rig: its client is replaced by one serving our objects.
struct MlRig {
  client::test::Rig rig;
  std::vector<uint8_t> builtin = make_blob(3, 1);
  Memory memory;
  RunnerConfig config{device_pipeline(), builtin, 10};
  std::unique_ptr<TinyMlObjects> ml;
  int objects_changed = 0;

  MlRig() { boot(); }
  // A (re)boot: new objects and a new client over the same platform and key-value store.
  void boot() {
    rig.client.reset();
    ml = std::make_unique<TinyMlObjects>(rig.platform, config, memory.buffers());
    rig.client = std::make_unique<client::test::TestClient>(rig.platform, rig.transport, ml->objects(), rig.config);
    ml->set_objects_changed_hook([](void* self) { ++static_cast<MlRig*>(self)->objects_changed; }, this);
  }
  void run(float mean, float amp = 0.0f) {
    const auto w = window(mean, amp);
    ASSERT_EQ(ml->on_window(w.data()), ml::Error::ok);
  }
};

}  // namespace tl::objects::test
