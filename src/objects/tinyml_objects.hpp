// The TinyML objects 33650-33654 over one ModelRunner. The application creates one
// TinyMlObjects, lists objects() in its Client, and calls on_window() for every sensor window;
// the objects' values change only then (or when the server writes a new model, a threshold,
// resets the analyzer), and observers are notified through changed(). Semantics: docs/objects.md.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

#include "client/object.hpp"
#include "objects/model_runner.hpp"

namespace tl::objects {

using client::Object;
using client::Path;
using client::SingleInstanceObject;
using client::Value;

// 33650 Pattern Detector: instance c per class c of the loaded model.
class PatternDetector final : public Object {
 public:
  explicit PatternDetector(const ModelRunner& runner);
  uint16_t instance(size_t index) const override;
  Status read(const Path& path, Value& out, wire::MutableBytes scratch) override;
  // After a window: the states of the previous and the new class, the new class's counter.
  void window_done(int previous);

 private:
  const ModelRunner& runner_;
};

// 33651 Anomaly Detector.
class AnomalyDetector final : public SingleInstanceObject {
 public:
  explicit AnomalyDetector(ModelRunner& runner);
  Status read(const Path& path, Value& out, wire::MutableBytes scratch) override;
  Status write(const Path& path, const Value& value) override;
  void window_done(bool was_anomaly, uint32_t old_count);

 private:
  ModelRunner& runner_;
};

// 33652 Classifier: one resource instance per class in 2000 and 2001.
class Classifier final : public SingleInstanceObject {
 public:
  explicit Classifier(const ModelRunner& runner);
  uint16_t resource_instance(uint16_t iid, uint16_t rid, size_t index) const override;
  Status read(const Path& path, Value& out, wire::MutableBytes scratch) override;
  void window_done();

 private:
  const ModelRunner& runner_;
};

// 33653 Anomaly Analyzer.
class AnomalyAnalyzer final : public SingleInstanceObject {
 public:
  explicit AnomalyAnalyzer(ModelRunner& runner);
  Status read(const Path& path, Value& out, wire::MutableBytes scratch) override;
  Status execute(const Path& path, std::string_view args) override;
  void window_done();

 private:
  ModelRunner& runner_;
};

// Told by MlModel when a new model became active.
class ModelSwapListener {
 public:
  virtual void on_model_swapped() = 0;

 protected:
  ~ModelSwapListener() = default;
};

// 33654 ML Model.
class MlModel final : public SingleInstanceObject {
 public:
  MlModel(ModelRunner& runner, ModelSwapListener& listener);
  Status read(const Path& path, Value& out, wire::MutableBytes scratch) override;
  wire::Result<size_t> read_chunk(const Path& path, size_t offset, wire::MutableBytes out) override;
  Status write_begin(const Path& target, client::WriteMode mode) override;
  Status write(const Path& path, const Value& value) override;
  Status write_chunk(const Path& path, size_t offset, wire::Bytes data, bool last) override;
  Status execute(const Path& path, std::string_view args) override;

 private:
  ModelRunner& runner_;
  ModelSwapListener& listener_;
};

class TinyMlObjects final : private ModelSwapListener {
 public:
  // Loads the model (ModelRunner::restore): stored blob, else the previous one, else
  // config.builtin. Buffers must outlive the object.
  TinyMlObjects(client::Platform& platform, const RunnerConfig& config, const RunnerBuffers& buffers);

  // The five objects, for the Client's object array.
  std::span<Object* const> objects() const { return objects_; }
  // Called when the set of 33650 instances changed (a model with other classes): the
  // application forwards it to Client::objects_changed() so the server gets an Update.
  void set_objects_changed_hook(void (*hook)(void* context), void* context);

  // One window of config.device.window * axes samples: runs the model, updates the objects and
  // notifies observers. Errors of ml::run_window (and not_ready without a model).
  ml::Error on_window(const float* samples);

  ModelRunner& runner() { return runner_; }

 private:
  void on_model_swapped() override;

  ModelRunner runner_;
  PatternDetector pattern_{runner_};
  AnomalyDetector anomaly_{runner_};
  Classifier classifier_{runner_};
  AnomalyAnalyzer analyzer_{runner_};
  MlModel model_{runner_, *this};
  Object* objects_[5] = {&pattern_, &anomaly_, &classifier_, &analyzer_, &model_};
  void (*hook_)(void*) = nullptr;
  void* hook_context_ = nullptr;
  size_t listed_classes_ = 0;  // 33650 instances the server was last told about
};

}  // namespace tl::objects
