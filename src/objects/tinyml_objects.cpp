#include "objects/tinyml_objects.hpp"

#include "model/object_def.hpp"

namespace tl::objects {

namespace {

constexpr uint16_t kPattern = 33650, kAnomaly = 33651, kClassifier = 33652, kAnalyzer = 33653,
                   kModel = 33654;
constexpr uint32_t kMaxLearnWindows = 1'000'000;

Path res(uint16_t object, uint16_t iid, uint16_t rid) { return Path::resource(object, iid, rid); }

// Execute argument of Learn: "N" or the TS 1.1 form "0='N'"; empty means `fallback`. 0 when
// the text is not a number in 1..kMaxLearnWindows.
uint32_t parse_windows(std::string_view args, uint32_t fallback) {
  const size_t open = args.find('\'');
  if (open != std::string_view::npos) {
    const size_t close = args.find('\'', open + 1);
    if (close == std::string_view::npos) return 0;
    args = std::string_view(args.data() + open + 1, close - open - 1);  // substr() may throw
  }
  if (args.empty()) return fallback;
  uint32_t n = 0;
  for (const char c : args) {
    if (c < '0' || c > '9') return 0;
    n = n * 10 + static_cast<uint32_t>(c - '0');
    if (n > kMaxLearnWindows) return 0;
  }
  return n;
}

}  // namespace

// ---- 33650 --------------------------------------------------------------------------------

PatternDetector::PatternDetector(const ModelRunner& runner)
    : Object(*model::find_object(kPattern)), runner_(runner) {}

uint16_t PatternDetector::instance(size_t index) const {
  return index < runner_.class_count() ? static_cast<uint16_t>(index) : client::kNoId;
}

Status PatternDetector::read(const Path& path, Value& out, wire::MutableBytes) {
  const uint16_t c = path.instance_id();
  if (c >= runner_.class_count()) return Status::not_found;
  switch (path.resource_id()) {
    case 2000: out = Value::boolean(runner_.predicted() == c); return Status::ok;
    case 2001: out = Value::integer(runner_.class_counter(c)); return Status::ok;
    case 2002: out = Value::string(runner_.label(c)); return Status::ok;
    default: return Status::not_found;
  }
}

void PatternDetector::window_done(int previous) {
  const int now = runner_.predicted();
  if (now < 0) return;
  const auto c = static_cast<uint16_t>(now);
  if (previous != now) {
    if (previous >= 0) changed(res(kPattern, static_cast<uint16_t>(previous), 2000));
    changed(res(kPattern, c, 2000));
  }
  changed(res(kPattern, c, 2001));
}

// ---- 33651 --------------------------------------------------------------------------------

AnomalyDetector::AnomalyDetector(ModelRunner& runner)
    : SingleInstanceObject(*model::find_object(kAnomaly)), runner_(runner) {}

Status AnomalyDetector::read(const Path& path, Value& out, wire::MutableBytes) {
  switch (path.resource_id()) {
    case 2000: out = Value::boolean(runner_.anomaly()); return Status::ok;
    case 2001: out = Value::integer(runner_.anomaly_counter()); return Status::ok;
    case 2002: out = Value::floating(runner_.threshold()); return Status::ok;
    default: return Status::not_found;
  }
}

Status AnomalyDetector::write(const Path& path, const Value& value) {
  if (path.resource_id() != 2002) return Status::not_found;
  return runner_.set_threshold(value.as_float());
}

void AnomalyDetector::window_done(bool was_anomaly, uint32_t old_count) {
  if (runner_.anomaly() != was_anomaly) changed(res(kAnomaly, 0, 2000));
  if (runner_.anomaly_counter() != old_count) changed(res(kAnomaly, 0, 2001));
}

// ---- 33652 --------------------------------------------------------------------------------

Classifier::Classifier(const ModelRunner& runner)
    : SingleInstanceObject(*model::find_object(kClassifier)), runner_(runner) {}

uint16_t Classifier::resource_instance(uint16_t, uint16_t rid, size_t index) const {
  if ((rid == 2000 || rid == 2001) && index < runner_.class_count()) return static_cast<uint16_t>(index);
  return client::kNoId;
}

Status Classifier::read(const Path& path, Value& out, wire::MutableBytes) {
  const uint16_t c = path.resource_instance_id();
  switch (path.resource_id()) {
    case 2000:
      if (c >= runner_.class_count()) return Status::not_found;
      out = Value::string(runner_.label(c));
      return Status::ok;
    case 2001:
      if (c >= runner_.class_count()) return Status::not_found;
      out = Value::floating(runner_.class_output(c));
      return Status::ok;
    case 2002: out = Value::floating(runner_.score()); return Status::ok;
    default: return Status::not_found;
  }
}

void Classifier::window_done() {
  changed(res(kClassifier, 0, 2001));
  changed(res(kClassifier, 0, 2002));
}

// ---- 33653 --------------------------------------------------------------------------------

AnomalyAnalyzer::AnomalyAnalyzer(ModelRunner& runner)
    : SingleInstanceObject(*model::find_object(kAnalyzer)), runner_(runner) {}

Status AnomalyAnalyzer::read(const Path& path, Value& out, wire::MutableBytes) {
  switch (path.resource_id()) {
    case 2000: out = Value::floating(runner_.max_score()); return Status::ok;
    case 2001: out = Value::opaque(runner_.raw_window()); return Status::ok;
    default: return Status::not_found;
  }
}

Status AnomalyAnalyzer::execute(const Path& path, std::string_view) {
  if (path.resource_id() != 2002) return Status::not_found;
  runner_.reset_analyzer();
  changed(res(kAnalyzer, 0, 2000));
  changed(res(kAnalyzer, 0, 2001));
  return Status::ok;
}

void AnomalyAnalyzer::window_done() {
  if (!runner_.new_max()) return;
  changed(res(kAnalyzer, 0, 2000));
  changed(res(kAnalyzer, 0, 2001));
}

// ---- 33654 --------------------------------------------------------------------------------

MlModel::MlModel(ModelRunner& runner, ModelSwapListener& listener)
    : SingleInstanceObject(*model::find_object(kModel)), runner_(runner), listener_(listener) {}

Status MlModel::read(const Path& path, Value& out, wire::MutableBytes) {
  switch (path.resource_id()) {
    case 2000: out = Value::string(runner_.model().name); return Status::ok;
    case 2001: out = Value::integer(runner_.model().version); return Status::ok;
    case 2003: out = Value::opaque(runner_.blob()); return Status::ok;
    default: return Status::not_found;
  }
}

// The blob may be tens of KB: served block by block straight from where it lives.
wire::Result<size_t> MlModel::read_chunk(const Path& path, size_t offset, wire::MutableBytes out) {
  if (path.resource_id() != 2003) return wire::Error::unsupported;
  const wire::Bytes blob = runner_.blob();
  if (offset > blob.size()) return wire::Error::malformed;
  const size_t n = out.size() < blob.size() - offset ? out.size() : blob.size() - offset;
  for (size_t i = 0; i < n; ++i) out[i] = blob[offset + i];
  return n;
}

Status MlModel::write_begin(const Path&, client::WriteMode) {
  runner_.knowledge_begin();
  return Status::ok;
}

Status MlModel::write(const Path& path, const Value& value) {
  return write_chunk(path, 0, value.bytes, true);
}

Status MlModel::write_chunk(const Path& path, size_t offset, wire::Bytes data, bool last) {
  if (path.resource_id() != 2003) return Status::not_found;
  bool swapped = false;
  const Status s = runner_.knowledge_chunk(offset, data, last, &swapped);
  if (swapped) listener_.on_model_swapped();
  return s;
}

Status MlModel::execute(const Path& path, std::string_view args) {
  if (path.resource_id() != 2002) return Status::not_found;
  const ml::ModelView& m = runner_.model();
  const uint32_t fallback = (m.kinds & ml::kKindLof) != 0 ? m.lof.capacity : ml::LofParams{}.capacity;
  const uint32_t windows = parse_windows(args, fallback);
  return windows == 0 ? Status::bad_request : runner_.learn(windows);
}

// ---- TinyMlObjects ------------------------------------------------------------------------

TinyMlObjects::TinyMlObjects(client::Platform& platform, const RunnerConfig& config,
                             const RunnerBuffers& buffers)
    : runner_(platform, config, buffers) {
  (void)runner_.restore();
  listed_classes_ = runner_.class_count();
}

void TinyMlObjects::set_objects_changed_hook(void (*hook)(void*), void* context) {
  hook_ = hook;
  hook_context_ = context;
}

ml::Error TinyMlObjects::on_window(const float* samples) {
  const int previous = runner_.predicted();
  const bool was_anomaly = runner_.anomaly();
  const uint32_t anomalies = runner_.anomaly_counter();
  const ml::Error e = runner_.run(samples);
  if (e != ml::Error::ok) return e;
  pattern_.window_done(previous);
  anomaly_.window_done(was_anomaly, anomalies);
  classifier_.window_done();
  analyzer_.window_done();
  return ml::Error::ok;
}

// Every value may differ under a new model. The 33650 instances follow its classes: another
// count changes the object list the server knows from the registration.
void TinyMlObjects::on_model_swapped() {
  for (const Object* o : objects_) o->changed(Path::object(o->id()));
  if (runner_.class_count() == listed_classes_) return;
  listed_classes_ = runner_.class_count();
  if (hook_ != nullptr) hook_(hook_context_);
}

}  // namespace tl::objects
