// Blob parser and validator (device side). Every check runs before any model is evaluated, so the
// evaluator can trust indices and sizes and never reads out of the blob.
#include <cmath>

#include "ml/blob.hpp"
#include "ml/blob_format.hpp"
#include "ml/crc32.hpp"
#include "ml/le.hpp"
#include "ml/lof.hpp"

namespace tl::ml {

namespace {

using namespace detail;

struct Span {
  const std::uint8_t* data = nullptr;
  std::size_t size = 0;
};

Error check_envelope(const std::uint8_t* data, std::size_t size, std::size_t* total) {
  if (size < sizeof kMagic) return Error::truncated;
  if (std::memcmp(data, kMagic, sizeof kMagic) != 0) return Error::bad_magic;
  if (size < kOffTotalSize + 4) return Error::truncated;
  if (load<std::uint16_t>(data + kOffVersion) != kBlobFormatVersion) return Error::bad_version;
  if (load<std::uint16_t>(data + kOffHeaderSize) != kHeaderSize) return Error::bad_version;
  const std::size_t t = load<std::uint32_t>(data + kOffTotalSize);
  if (t > kMaxBlobSize) return Error::too_large;
  if (t < kHeaderSize + kCrcSize) return Error::out_of_bounds;
  if (size < t) return Error::truncated;
  if (crc32(data, t - kCrcSize) != load<std::uint32_t>(data + t - kCrcSize)) return Error::bad_crc;
  *total = t;
  return Error::ok;
}

Error read_pipeline(const std::uint8_t* in, Pipeline* p) {
  p->sample_rate_hz = load<float>(in + kPipeSampleRate);
  p->input_scale = load<float>(in + kPipeInputScale);
  p->window = load<std::uint16_t>(in + kPipeWindow);
  p->hop = load<std::uint16_t>(in + kPipeHop);
  p->axes = in[kPipeAxes];
  p->block_count = in[kPipeBlockCount];
  p->scaler = static_cast<ScalerKind>(in[kPipeScaler]);
  if (p->block_count > kMaxBlocks) return Error::too_large;
  for (std::size_t i = 0; i < p->block_count; ++i) {
    const std::uint8_t* b = in + kPipeBlocks + kPipeBlockSize * i;
    p->blocks[i] = FeatureBlock{static_cast<BlockKind>(b[0]), load<float>(b + 4)};
  }
  return validate_pipeline(*p);
}

// Reads the section table into sec[type]; types unique and known, offsets aligned, ascending,
// inside [end of table, total - CRC), non-overlapping.
Error read_sections(const std::uint8_t* data, std::size_t total, std::size_t count, Span* sec) {
  if (count > kSecLast) return Error::too_large;
  std::size_t floor = kHeaderSize + kSectionEntrySize * count;
  const std::size_t limit = total - kCrcSize;
  if (floor > limit) return Error::out_of_bounds;
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint8_t* e = data + kHeaderSize + kSectionEntrySize * i;
    const std::size_t type = load<std::uint16_t>(e);
    const std::size_t offset = load<std::uint32_t>(e + 4);
    const std::size_t size = load<std::uint32_t>(e + 8);
    if (type == 0 || type > kSecLast || sec[type].data != nullptr || offset % 4 != 0) {
      return Error::bad_section;
    }
    if (offset < floor || offset > limit || size > limit - offset) return Error::out_of_bounds;
    sec[type] = Span{data + offset, size};
    floor = offset + size;
  }
  return Error::ok;
}

Error read_labels(Span s, std::size_t classes, ModelView* m) {
  if (s.data == nullptr) return Error::ok;
  if (s.size != kLabelSize * classes) return Error::bad_section;
  for (std::size_t c = 0; c < classes; ++c) {
    if (s.data[kLabelSize * c + kMaxLabelLength] != 0) return Error::bad_model;  // NUL-terminated
  }
  m->labels = s.data;
  return Error::ok;
}

Error read_scaler(Span s, ModelView* m) {
  const bool wanted = m->pipeline.scaler != ScalerKind::none;
  if (!wanted) return s.data == nullptr ? Error::ok : Error::bad_section;
  if (s.data == nullptr || s.size != 8u * m->feature_count) return Error::bad_section;
  for (std::size_t i = 0; i < 2u * m->feature_count; ++i) {
    if (!std::isfinite(load_at<float>(s.data, i))) return Error::bad_model;
  }
  m->scaler = Scaler{s.data, s.data + 4u * m->feature_count, m->feature_count};
  return Error::ok;
}

Error read_forest(Span s, ModelView* m) {
  if (s.size < kForestHeader) return Error::truncated;
  Forest f;
  f.tree_count = load<std::uint16_t>(s.data);
  f.node_count = load<std::uint16_t>(s.data + 2);
  f.class_count = s.data[4];
  f.feature_count = s.data[5];
  const std::size_t nodes_at = align4(kForestHeader + 2 * f.tree_count);
  if (s.size < nodes_at + sizeof(TreeNode) * f.node_count) return Error::truncated;
  if (s.size > nodes_at + sizeof(TreeNode) * f.node_count) return Error::bad_section;
  f.roots = s.data + kForestHeader;
  f.nodes = s.data + nodes_at;
  if (const Error e = validate_forest(f); e != Error::ok) return e;
  if (f.feature_count != m->feature_count || f.class_count != m->class_count) {
    return Error::pipeline_mismatch;
  }
  m->forest = f;
  return Error::ok;
}

Error read_packed(Span s, ModelView* m) {
  PackedForest f;
  if (const Error e = open_packed_forest(s.data, s.size, &f); e != Error::ok) return e;
  if (f.feature_count != m->feature_count || f.class_count != m->class_count) {
    return Error::pipeline_mismatch;
  }
  m->packed = f;
  return Error::ok;
}

Error read_kmeans(Span s, ModelView* m) {
  if (s.size < kKMeansHeader) return Error::truncated;
  KMeans k;
  k.k = load<std::uint16_t>(s.data);
  k.feature_count = load<std::uint16_t>(s.data + 2);
  k.threshold = load<float>(s.data + 4);
  if (k.k > kMaxClusters || k.feature_count > kMaxFeatures) return Error::too_large;
  const std::size_t want = kKMeansHeader + 4 * k.k * (k.feature_count + 1);
  if (s.size < want) return Error::truncated;
  if (s.size > want) return Error::bad_section;
  k.centroids = s.data + kKMeansHeader;
  k.radius = s.data + kKMeansHeader + 4 * k.k * k.feature_count;
  if (const Error e = validate_kmeans(k); e != Error::ok) return e == Error::bad_argument ? Error::bad_model : e;
  if (k.feature_count != m->feature_count) return Error::pipeline_mismatch;
  m->kmeans = k;
  return Error::ok;
}

Error read_lof(Span s, ModelView* m) {
  if (s.size != kLofSize) return Error::bad_section;
  LofParams l;
  l.k = s.data[0];
  l.capacity = load<std::uint16_t>(s.data + 2);
  l.threshold = load<float>(s.data + 4);
  if (l.k == 0 || l.k > kMaxLofK || l.capacity <= l.k || !std::isfinite(l.threshold)) {
    return Error::bad_model;
  }
  m->lof = l;
  return Error::ok;
}

// The kinds byte must list exactly the model sections present; general and packed exclude each
// other; class_count is nonzero exactly when there is a forest.
Error check_kinds(const Span* sec, const ModelView& m) {
  unsigned present = 0;
  present |= sec[kSecForest].data != nullptr ? kKindForest : 0u;
  present |= sec[kSecPackedForest].data != nullptr ? kKindPackedForest : 0u;
  present |= sec[kSecKMeans].data != nullptr ? kKindKMeans : 0u;
  present |= sec[kSecLof].data != nullptr ? kKindLof : 0u;
  if (present != m.kinds || (present & (kKindForest | kKindPackedForest)) ==
                                (kKindForest | kKindPackedForest)) {
    return Error::bad_section;
  }
  const bool forest = (present & (kKindForest | kKindPackedForest)) != 0;
  if (forest != (m.class_count != 0)) return Error::pipeline_mismatch;
  if (sec[kSecLabels].data != nullptr && !forest) return Error::bad_section;
  return Error::ok;
}

Error read_header(const std::uint8_t* data, ModelView* m) {
  m->version = load<std::uint32_t>(data + kOffModelVersion);
  std::memcpy(m->name, data + kOffName, kMaxNameLength);
  m->name[kMaxNameLength] = '\0';
  m->kinds = data[kOffKinds];
  m->class_count = data[kOffClassCount];
  m->feature_count = data[kOffFeatureCount];
  if (m->class_count > kMaxClasses) return Error::too_large;
  if (const Error e = read_pipeline(data + kOffPipeline, &m->pipeline); e != Error::ok) return e;
  return feature_count(m->pipeline) == m->feature_count ? Error::ok : Error::pipeline_mismatch;
}

Error read_models(const Span* sec, ModelView* m) {
  if (const Error e = read_labels(sec[kSecLabels], m->class_count, m); e != Error::ok) return e;
  if (const Error e = read_scaler(sec[kSecScaler], m); e != Error::ok) return e;
  if ((m->kinds & kKindForest) != 0) {
    if (const Error e = read_forest(sec[kSecForest], m); e != Error::ok) return e;
  }
  if ((m->kinds & kKindPackedForest) != 0) {
    if (const Error e = read_packed(sec[kSecPackedForest], m); e != Error::ok) return e;
  }
  if ((m->kinds & kKindKMeans) != 0) {
    if (const Error e = read_kmeans(sec[kSecKMeans], m); e != Error::ok) return e;
  }
  if ((m->kinds & kKindLof) != 0) return read_lof(sec[kSecLof], m);
  return Error::ok;
}

}  // namespace

const char* label(const ModelView& m, std::size_t c) {
  if (m.labels == nullptr || c >= m.class_count) return "";
  return reinterpret_cast<const char*>(m.labels + kLabelSize * c);
}

Error open_blob(const std::uint8_t* data, std::size_t size, ModelView* out) {
  if (data == nullptr || out == nullptr) return Error::bad_argument;
  std::size_t total = 0;
  if (const Error e = check_envelope(data, size, &total); e != Error::ok) return e;
  ModelView m;
  if (const Error e = read_header(data, &m); e != Error::ok) return e;
  Span sec[kSecLast + 1];
  if (const Error e = read_sections(data, total, data[kOffSectionCount], sec); e != Error::ok) {
    return e;
  }
  if (const Error e = check_kinds(sec, m); e != Error::ok) return e;
  if (const Error e = read_models(sec, &m); e != Error::ok) return e;
  *out = m;
  return Error::ok;
}

Error check_compatible(const ModelView& m, const Pipeline& device) {
  if (validate_pipeline(device) != Error::ok) return Error::bad_pipeline;
  const Pipeline& p = m.pipeline;
  const bool same_sensor = p.sample_rate_hz == device.sample_rate_hz && p.axes == device.axes &&
                           p.input_scale == device.input_scale;
  return same_sensor && p.window <= device.window ? Error::ok : Error::pipeline_mismatch;
}

}  // namespace tl::ml
