#include "objects/model_runner.hpp"

#include <cstring>

#include "objects/le.hpp"

namespace tl::objects {

namespace {

bool finite(float x) { return x == x && x - x == 0.0f; }  // NaN != NaN; inf - inf is NaN

// The blob's own total size (the slot may be larger).
size_t blob_total(const uint8_t* data) { return get_u32(data + 8); }

}  // namespace

ModelRunner::ModelRunner(client::Platform& platform, const RunnerConfig& config,
                         const RunnerBuffers& buffers)
    : platform_(platform), config_(config), buffers_(buffers) {}

bool ModelRunner::activate(wire::Bytes bytes, int slot) {
  ml::ModelView v;
  if (ml::open_blob(bytes.data(), bytes.size(), &v) != ml::Error::ok) return false;
  if (ml::check_compatible(v, config_.device) != ml::Error::ok) return false;
  view_ = v;
  active_ = bytes.first(blob_total(bytes.data()));
  active_slot_ = slot;
  loaded_ = true;
  return true;
}

bool ModelRunner::load_slot(const char* key, int slot) {
  const wire::MutableBytes buf = buffers_.slot[slot];
  if (buf.empty()) return false;
  const client::Result<size_t> n = platform_.load(key, buf);
  return n && activate(wire::Bytes(buf.data(), *n), slot);
}

bool ModelRunner::restore() {
  loaded_ = false;
  // A stored blob that no longer opens (or no longer fits the pipeline after a firmware update)
  // falls back to the one it replaced, then to the firmware's own.
  if (!load_slot(kBlobKey, 0) && !load_slot(kPrevBlobKey, 0)) {
    (void)activate(config_.builtin, -1);
  }
  reset_model_state();
  if (loaded_) {
    load_threshold();
    load_counters();
  }
  return loaded_;
}

void ModelRunner::reset_model_state() {
  has_result_ = false;
  score_ = 0.0f;
  counters_ = Counters{};
  unsaved_ = 0;
  learn_left_ = 0;
  lof_ready_ = false;
  threshold_ = default_threshold();
  reset_analyzer();
}

uint32_t ModelRunner::model_crc() const {
  return active_.size() >= 4 ? get_u32(active_.data() + active_.size() - 4) : 0;
}

float ModelRunner::default_threshold() const {
  if (lof_ready_ && (view_.kinds & ml::kKindLof) != 0) return view_.lof.threshold;
  if (lof_ready_) return ml::LofParams{}.threshold;
  if ((view_.kinds & ml::kKindKMeans) != 0) return view_.kmeans.threshold;
  return 0.0f;
}

// Record: u32 model CRC, f32 threshold, u8 1 when set on the LOF score. A record of another
// model, or of the LOF score (the learnt store does not survive a reboot), is ignored.
void ModelRunner::load_threshold() {
  uint8_t rec[9];
  const client::Result<size_t> n = platform_.load(kThresholdKey, rec);
  if (!n || *n != sizeof(rec) || get_u32(rec) != model_crc() || rec[8] != 0) return;
  const float t = get_f32(rec + 4);
  if (finite(t) && t >= 0.0f) threshold_ = t;
}

Status ModelRunner::set_threshold(float t) {
  if (!finite(t) || t < 0.0f) return Status::bad_request;
  uint8_t rec[9];
  put_u32(rec, model_crc());
  put_f32(rec + 4, t);
  rec[8] = lof_ready_ ? 1 : 0;
  if (platform_.store(kThresholdKey, rec) != wire::Error::ok) return Status::internal;
  threshold_ = t;
  return Status::ok;
}

// Record: u32 model CRC, u8 classes, 3 x 0, u32 anomalies, u32 per class.
void ModelRunner::load_counters() {
  uint8_t rec[12 + 4 * ml::kMaxClasses];
  const client::Result<size_t> n = platform_.load(kCountersKey, rec);
  const size_t classes = view_.class_count;
  if (!n || *n != 12 + 4 * classes || get_u32(rec) != model_crc() || rec[4] != classes) return;
  counters_.anomalies = get_u32(rec + 8);
  for (size_t c = 0; c < classes; ++c) counters_.cls[c] = get_u32(rec + 12 + 4 * c);
}

void ModelRunner::persist_counters() {
  uint8_t rec[12 + 4 * ml::kMaxClasses] = {};
  const size_t classes = view_.class_count;
  put_u32(rec, model_crc());
  rec[4] = static_cast<uint8_t>(classes);
  put_u32(rec + 8, counters_.anomalies);
  for (size_t c = 0; c < classes; ++c) put_u32(rec + 12 + 4 * c, counters_.cls[c]);
  (void)platform_.store(kCountersKey, wire::Bytes(rec, 12 + 4 * classes));
  unsaved_ = 0;
}

float ModelRunner::class_output(size_t c) const {
  if (!has_result_ || c >= view_.class_count) return 0.0f;
  const size_t trees = (view_.kinds & ml::kKindPackedForest) != 0 ? view_.packed.tree_count
                                                                  : view_.forest.tree_count;
  return trees == 0 ? 0.0f : static_cast<float>(votes_[c]) / static_cast<float>(trees);
}

ml::Error ModelRunner::run(const float* samples) {
  if (!loaded_) return ml::Error::not_ready;
  // The whole ml::Result (features, 560 B) lives on this stack frame only; the runner keeps
  // what the objects serve. A rejected window (a NaN sample) leaves the latest readings as they were.
  ml::Result r;
  const ml::Error e = ml::run_window(view_, samples, &r);
  if (e != ml::Error::ok) return e;
  predicted_ = static_cast<int8_t>(r.predicted);  // < kMaxClasses (16), or -1
  for (size_t c = 0; c < ml::kMaxClasses; ++c) votes_[c] = r.votes[c];
  has_result_ = true;
  feed_lof(r.scaled);
  update_score(r);
  count();
  track_max(samples);
  return ml::Error::ok;
}

void ModelRunner::feed_lof(const float* scaled) {
  if (learn_left_ == 0) return;
  (void)lof_.learn(scaled);
  if (--learn_left_ > 0) return;
  lof_.refit();
  lof_ready_ = lof_.size() > lof_k();
  threshold_ = default_threshold();
}

void ModelRunner::update_score(const ml::Result& r) {
  score_ = r.anomaly_score;
  if (lof_ready_ && lof_.score(r.scaled, &score_) != ml::Error::ok) score_ = 0.0f;
}

void ModelRunner::count() {
  if (predicted_ >= 0) ++counters_.cls[static_cast<size_t>(predicted_)];
  if (anomaly()) ++counters_.anomalies;
  if (++unsaved_ >= config_.persist_every) persist_counters();
}

// Header: magic "TLRW", u8 version, u8 sample type, u8 axes, u8 0, u16 samples per axis, u16 0,
// f32 sample rate (Hz), f32 the window's score; then the samples, interleaved.
void ModelRunner::track_max(const float* samples) {
  new_max_ = !has_max_ || score_ > max_score_;
  if (!new_max_) return;
  has_max_ = true;
  max_score_ = score_;
  const ml::Pipeline& p = config_.device;
  const size_t count = static_cast<size_t>(p.window) * p.axes;
  const wire::MutableBytes out = buffers_.raw_window;
  if (out.size() < kRawHeaderSize + 4 * count) return;
  std::memcpy(out.data(), kRawMagic, 4);
  out[4] = kRawVersion;
  out[5] = kRawFloat32;
  out[6] = p.axes;
  out[7] = 0;
  put_u16(out.data() + 8, p.window);
  put_u16(out.data() + 10, 0);
  put_f32(out.data() + 12, p.sample_rate_hz);
  put_f32(out.data() + 16, score_);
  for (size_t i = 0; i < count; ++i) put_f32(out.data() + kRawHeaderSize + 4 * i, samples[i]);
  raw_size_ = kRawHeaderSize + 4 * count;
}

void ModelRunner::reset_analyzer() {
  has_max_ = false;
  new_max_ = false;
  max_score_ = 0.0f;
  raw_size_ = 0;
}

size_t ModelRunner::lof_k() const {
  return (view_.kinds & ml::kKindLof) != 0 ? view_.lof.k : ml::LofParams{}.k;
}

Status ModelRunner::learn(uint32_t windows) {
  if (!loaded_) return Status::not_allowed;
  if (windows <= lof_k()) return Status::bad_request;  // LOF needs more than k stored vectors
  ml::LofBuffers b = buffers_.lof;
  const ml::LofParams params = (view_.kinds & ml::kKindLof) != 0 ? view_.lof : ml::LofParams{};
  if (b.capacity > params.capacity) b.capacity = params.capacity;
  if (b.capacity == 0 || lof_.init(b, view_.feature_count, params.k, platform_.random32()) != ml::Error::ok) {
    return Status::not_allowed;
  }
  lof_ready_ = false;
  learn_left_ = windows;
  // The k-means threshold until the LOF is ready, then the LOF's: a written one is on the old
  // score's scale, so it is dropped.
  threshold_ = default_threshold();
  (void)platform_.erase(kThresholdKey);
  return Status::ok;
}

Status ModelRunner::knowledge_chunk(size_t offset, wire::Bytes data, bool last, bool* swapped) {
  *swapped = false;
  const wire::MutableBytes staging = buffers_.slot[staging_slot()];
  if (offset != staged_) return Status::bad_request;
  if (data.size() > staging.size() - staged_) return Status::too_large;
  std::memcpy(staging.data() + staged_, data.data(), data.size());
  staged_ += data.size();
  if (!last) return Status::ok;
  const Status s = commit(staged_);
  staged_ = 0;
  *swapped = s == Status::ok;
  return s;
}

// Validates the staged blob, stores it (the active one kept as the previous), then switches.
Status ModelRunner::commit(size_t size) {
  const int slot = staging_slot();
  const uint8_t* data = buffers_.slot[slot].data();
  ml::ModelView v;
  if (ml::open_blob(data, size, &v) != ml::Error::ok) return Status::bad_request;
  if (ml::check_compatible(v, config_.device) != ml::Error::ok) return Status::bad_request;
  const wire::Bytes blob(data, blob_total(data));
  // The previous model first: a power cut between the two stores leaves the old model under
  // both keys. The built-in model needs no copy: it is the last fallback anyway.
  const wire::Error prev = active_slot_ < 0 ? platform_.erase(kPrevBlobKey)
                                            : platform_.store(kPrevBlobKey, active_);
  if (prev != wire::Error::ok || platform_.store(kBlobKey, blob) != wire::Error::ok) {
    return Status::internal;
  }
  (void)activate(blob, slot);
  reset_model_state();
  (void)platform_.erase(kThresholdKey);
  persist_counters();
  return Status::ok;
}

}  // namespace tl::objects
