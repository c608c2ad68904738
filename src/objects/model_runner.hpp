// The model behind the TinyML objects: the loaded blob, one run per window, the counters and
// scores the objects 33650-33654 report, on-device LOF learning, the swap of a new blob written
// by the server, and what of it survives a reboot (Platform::store). Pure logic without any
// LwM2M path: the objects in tinyml_objects.hpp read from it and call changed().
//
// Freestanding: every buffer comes from the application (RunnerBuffers), no heap.
// Persistence keys, the swap and rollback rules and the 33653 encoding: docs/objects.md.
#pragma once
#include <cstddef>
#include <cstdint>

#include "client/object.hpp"
#include "client/platform.hpp"
#include "ml/blob.hpp"
#include "ml/lof.hpp"

namespace tl::objects {

using client::Status;

inline constexpr const char* kBlobKey = "tl.ml.blob";       // the model written by the server
inline constexpr const char* kPrevBlobKey = "tl.ml.prev";   // the model it replaced (rollback)
inline constexpr const char* kThresholdKey = "tl.ml.thr";   // 33651/2002 when written
inline constexpr const char* kCountersKey = "tl.ml.cnt";    // 33650/2001 and 33651/2001

// 33653/2001: header of the raw window encoding (all little-endian).
inline constexpr uint8_t kRawMagic[4] = {'T', 'L', 'R', 'W'};
inline constexpr uint8_t kRawVersion = 1;
inline constexpr uint8_t kRawFloat32 = 2;       // sample type: IEEE-754 binary32
inline constexpr size_t kRawHeaderSize = 20;

// Memory the application gives the runner (static arrays; none is allocated).
struct RunnerBuffers {
  // Two RAM slots, each as large as the largest blob accepted: one holds the model loaded from
  // storage, the other stages a blob the server writes. Empty slots: only the built-in model.
  wire::MutableBytes slot[2];
  // 33653/2001: kRawHeaderSize + 4 * window * axes bytes of the device pipeline.
  wire::MutableBytes raw_window;
  // LOF store for Learn (33654/2002); capacity 0 disables learning (Learn answers 4.05).
  ml::LofBuffers lof;
};

struct RunnerConfig {
  ml::Pipeline device;                // this device's sensor pipeline (windows it delivers)
  wire::Bytes builtin;                // the firmware's own blob (flash); used when none is stored
  uint32_t persist_every = 100;       // windows between two saves of the counters
};

class ModelRunner {
 public:
  // Nothing is loaded until restore() is called.
  ModelRunner(client::Platform& platform, const RunnerConfig& config, const RunnerBuffers& buffers);
  ModelRunner(const ModelRunner&) = delete;
  ModelRunner& operator=(const ModelRunner&) = delete;

  // Loads the stored model (else the previous one, else the built-in one), its threshold and
  // counters. Returns false when no usable model exists (the objects then report no classes).
  bool restore();

  // One window of device.window * device.axes samples (interleaved, physical units). Returns
  // ml::Error::ok when the model ran; the readings below are then updated.
  ml::Error run(const float* samples);

  bool loaded() const { return loaded_; }
  const ml::ModelView& model() const { return view_; }
  wire::Bytes blob() const { return active_; }
  size_t class_count() const { return loaded_ ? view_.class_count : 0; }
  const char* label(size_t c) const { return ml::label(view_, c); }

  // Latest window.
  bool has_result() const { return has_result_; }
  int predicted() const { return has_result_ ? predicted_ : -1; }
  float class_output(size_t c) const;   // votes / trees of class c
  float score() const { return score_; }
  bool anomaly() const { return has_result_ && score_ > threshold_; }

  // Counters since the first boot of this model (persisted every persist_every windows).
  uint32_t class_counter(size_t c) const { return c < ml::kMaxClasses ? counters_.cls[c] : 0; }
  uint32_t anomaly_counter() const { return counters_.anomalies; }
  // Saves the counters now (e.g. before a planned reboot).
  void persist_counters();

  float threshold() const { return threshold_; }
  // Finite and >= 0, else bad_request; persisted.
  Status set_threshold(float t);

  // 33653: highest score since the last reset and its window (empty before the first window).
  float max_score() const { return max_score_; }
  wire::Bytes raw_window() const { return {buffers_.raw_window.data(), raw_size_}; }
  void reset_analyzer();
  // The latest window set a new maximum (its window is now in raw_window()).
  bool new_max() const { return new_max_; }

  // Learn over the next `windows` windows (more than the LOF's k, else bad_request): LOF store re-initialised,
  // then one reservoir insert per window; afterwards the LOF score replaces the k-means score
  // and the threshold becomes the LOF's. not_allowed without a model or LOF buffers.
  Status learn(uint32_t windows);
  bool learning() const { return learn_left_ > 0; }
  bool lof_active() const { return lof_ready_; }

  // A new blob streamed by the server: begin, chunks at increasing offsets, last one commits.
  // commit: bad_request on an invalid or incompatible blob (the old model stays), internal when
  // storage fails. `swapped` tells the caller a new model is now active.
  void knowledge_begin() { staged_ = 0; }
  Status knowledge_chunk(size_t offset, wire::Bytes data, bool last, bool* swapped);

 private:
  struct Counters {
    uint32_t anomalies = 0;
    uint32_t cls[ml::kMaxClasses] = {};
  };
  int staging_slot() const { return active_slot_ == 0 ? 1 : 0; }
  bool activate(wire::Bytes bytes, int slot);
  bool load_slot(const char* key, int slot);
  Status commit(size_t size);
  void reset_model_state();
  uint32_t model_crc() const;
  float default_threshold() const;
  void load_threshold();
  void load_counters();
  void update_score(const ml::Result& r);
  void count();
  void track_max(const float* samples);
  void feed_lof(const float* scaled);
  size_t lof_k() const;

  client::Platform& platform_;
  RunnerConfig config_;
  RunnerBuffers buffers_;
  wire::Bytes active_;
  int active_slot_ = -1;  // -1: the built-in blob
  bool loaded_ = false;
  ml::ModelView view_{};
  // Of the latest window only what the objects serve (the features live on run()'s stack).
  uint16_t votes_[ml::kMaxClasses] = {};  // 33652/2001: votes / trees
  int8_t predicted_ = -1;                 // 33650/2000: class index, -1 without a forest
  bool has_result_ = false;
  float score_ = 0.0f;
  float threshold_ = 0.0f;
  Counters counters_{};
  uint32_t unsaved_ = 0;
  bool has_max_ = false;
  bool new_max_ = false;
  float max_score_ = 0.0f;
  size_t raw_size_ = 0;
  size_t staged_ = 0;
  ml::LofDetector lof_{};
  uint32_t learn_left_ = 0;
  bool lof_ready_ = false;
};

}  // namespace tl::objects
