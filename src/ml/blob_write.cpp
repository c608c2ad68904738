// Blob writer (host side: the trainer). It serialises the spec, then validates the result with
// open_blob, so a written blob is exactly one the device accepts.
#include <cmath>

#include "ml/blob.hpp"
#include "ml/blob_format.hpp"
#include "ml/crc32.hpp"
#include "ml/le.hpp"

namespace tl::ml {

namespace {

using namespace detail;

// Length of s, or max + 1 when longer than max (never reads past max + 1 bytes).
std::size_t bounded_length(const char* s, std::size_t max) {
  std::size_t n = 0;
  while (n <= max && s[n] != '\0') ++n;
  return n;
}

struct Plan {
  std::size_t features = 0;
  std::size_t offset[kSecLast + 1] = {};
  std::size_t size[kSecLast + 1] = {};
  std::size_t count = 0;
  std::size_t total = 0;
};

std::size_t forest_section_size(const Forest& f) {
  return align4(kForestHeader + 2 * f.tree_count) + sizeof(TreeNode) * f.node_count;
}

// Sizes of the sections the spec needs (0 = absent). bad_argument when parts are missing.
Error plan_sections(const ModelSpec& s, Plan* p) {
  if (s.name == nullptr) return Error::bad_argument;
  if (bounded_length(s.name, kMaxNameLength) > kMaxNameLength) return Error::too_large;
  if (validate_pipeline(s.pipeline) != Error::ok) return Error::bad_pipeline;
  if (s.class_count > kMaxClasses) return Error::too_large;
  if (s.forest != nullptr && s.packed_forest != nullptr) return Error::bad_argument;
  p->features = feature_count(s.pipeline);
  if (s.labels != nullptr) p->size[kSecLabels] = kLabelSize * s.class_count;
  if (s.pipeline.scaler != ScalerKind::none) {
    if (s.scaler_offset == nullptr || s.scaler_scale == nullptr) return Error::bad_argument;
    p->size[kSecScaler] = 8 * p->features;
  }
  // Every model must read the pipeline's features before anything is copied: the scaler arrays
  // are only as long as the pipeline says.
  if (s.forest != nullptr) {
    if (const Error e = validate_forest(*s.forest); e != Error::ok) return e;
    if (s.forest->feature_count != p->features) return Error::pipeline_mismatch;
    p->size[kSecForest] = forest_section_size(*s.forest);
  }
  if (s.packed_forest != nullptr) {
    PackedForest packed;
    if (const Error e = open_packed_forest(s.packed_forest, s.packed_forest_size, &packed); e != Error::ok) {
      return e;
    }
    if (packed.feature_count != p->features) return Error::pipeline_mismatch;
    p->size[kSecPackedForest] = s.packed_forest_size;
  }
  if (s.kmeans != nullptr) {
    if (const Error e = validate_kmeans(*s.kmeans); e != Error::ok) return e;
    if (s.kmeans->feature_count != p->features) return Error::pipeline_mismatch;
    p->size[kSecKMeans] = kKMeansHeader + 4 * s.kmeans->k * (s.kmeans->feature_count + 1);
  }
  if (s.lof != nullptr) p->size[kSecLof] = kLofSize;
  for (std::size_t t = 1; t <= kSecLast; ++t) p->count += p->size[t] != 0 ? 1 : 0;
  std::size_t at = align4(kHeaderSize + kSectionEntrySize * p->count);
  for (std::size_t t = 1; t <= kSecLast; ++t) {
    if (p->size[t] == 0) continue;
    p->offset[t] = at;
    at = align4(at + p->size[t]);
  }
  p->total = at + kCrcSize;
  return p->total <= kMaxBlobSize ? Error::ok : Error::too_large;
}

std::uint8_t kinds_of(const ModelSpec& s) {
  unsigned k = 0;
  k |= s.forest != nullptr ? kKindForest : 0u;
  k |= s.packed_forest != nullptr ? kKindPackedForest : 0u;
  k |= s.kmeans != nullptr ? kKindKMeans : 0u;
  k |= s.lof != nullptr ? kKindLof : 0u;
  return static_cast<std::uint8_t>(k);
}

void write_pipeline(const Pipeline& p, std::uint8_t* out) {
  store(out + kPipeSampleRate, p.sample_rate_hz);
  store(out + kPipeInputScale, p.input_scale);
  store(out + kPipeWindow, p.window);
  store(out + kPipeHop, p.hop);
  out[kPipeAxes] = p.axes;
  out[kPipeBlockCount] = p.block_count;
  out[kPipeScaler] = static_cast<std::uint8_t>(p.scaler);
  for (std::size_t i = 0; i < p.block_count; ++i) {
    std::uint8_t* b = out + kPipeBlocks + kPipeBlockSize * i;
    b[0] = static_cast<std::uint8_t>(p.blocks[i].kind);
    store(b + 4, p.blocks[i].param);
  }
}

void write_header(const ModelSpec& s, const Plan& p, std::uint8_t* out) {
  std::memcpy(out, kMagic, sizeof kMagic);
  store(out + kOffVersion, kBlobFormatVersion);
  store(out + kOffHeaderSize, static_cast<std::uint16_t>(kHeaderSize));
  store(out + kOffTotalSize, static_cast<std::uint32_t>(p.total));
  store(out + kOffModelVersion, s.version);
  std::memcpy(out + kOffName, s.name, bounded_length(s.name, kMaxNameLength));
  write_pipeline(s.pipeline, out + kOffPipeline);
  out[kOffKinds] = kinds_of(s);
  out[kOffClassCount] = s.class_count;
  out[kOffFeatureCount] = static_cast<std::uint8_t>(p.features);
  out[kOffSectionCount] = static_cast<std::uint8_t>(p.count);
  std::uint8_t* entry = out + kHeaderSize;
  for (std::size_t t = 1; t <= kSecLast; ++t) {
    if (p.size[t] == 0) continue;
    store(entry, static_cast<std::uint16_t>(t));
    store(entry + 4, static_cast<std::uint32_t>(p.offset[t]));
    store(entry + 8, static_cast<std::uint32_t>(p.size[t]));
    entry += kSectionEntrySize;
  }
}

Error write_labels(const ModelSpec& s, std::uint8_t* out) {
  for (std::size_t c = 0; c < s.class_count; ++c) {
    const char* l = s.labels[c];
    if (l == nullptr) return Error::bad_argument;
    const std::size_t n = bounded_length(l, kMaxLabelLength);
    if (n > kMaxLabelLength) return Error::too_large;
    std::memcpy(out + kLabelSize * c, l, n);
  }
  return Error::ok;
}

void write_forest(const Forest& f, std::uint8_t* out) {
  store(out, static_cast<std::uint16_t>(f.tree_count));
  store(out + 2, static_cast<std::uint16_t>(f.node_count));
  out[4] = f.class_count;
  out[5] = f.feature_count;
  std::memcpy(out + kForestHeader, f.roots, 2 * f.tree_count);
  std::memcpy(out + align4(kForestHeader + 2 * f.tree_count), f.nodes,
              sizeof(TreeNode) * f.node_count);
}

void write_kmeans(const KMeans& m, std::uint8_t* out) {
  store(out, static_cast<std::uint16_t>(m.k));
  store(out + 2, static_cast<std::uint16_t>(m.feature_count));
  store(out + 4, m.threshold);
  const std::size_t centroid_bytes = 4 * m.k * m.feature_count;
  std::memcpy(out + kKMeansHeader, m.centroids, centroid_bytes);
  std::memcpy(out + kKMeansHeader + centroid_bytes, m.radius, 4 * m.k);
}

void write_lof(const LofParams& l, std::uint8_t* out) {
  out[0] = l.k;
  store(out + 2, l.capacity);
  store(out + 4, l.threshold);
}

Error write_sections(const ModelSpec& s, const Plan& p, std::uint8_t* out) {
  if (p.size[kSecLabels] != 0) {
    if (const Error e = write_labels(s, out + p.offset[kSecLabels]); e != Error::ok) return e;
  }
  if (p.size[kSecScaler] != 0) {
    std::memcpy(out + p.offset[kSecScaler], s.scaler_offset, 4 * p.features);
    std::memcpy(out + p.offset[kSecScaler] + 4 * p.features, s.scaler_scale, 4 * p.features);
  }
  if (s.forest != nullptr) write_forest(*s.forest, out + p.offset[kSecForest]);
  if (s.packed_forest != nullptr) {
    std::memcpy(out + p.offset[kSecPackedForest], s.packed_forest, s.packed_forest_size);
  }
  if (s.kmeans != nullptr) write_kmeans(*s.kmeans, out + p.offset[kSecKMeans]);
  if (s.lof != nullptr) write_lof(*s.lof, out + p.offset[kSecLof]);
  return Error::ok;
}

}  // namespace

std::size_t blob_size(const ModelSpec& spec) {
  Plan p;
  return plan_sections(spec, &p) == Error::ok ? p.total : 0;
}

Error write_blob(const ModelSpec& spec, ByteSink* out) {
  if (out == nullptr || (out->data == nullptr && out->capacity != 0)) return Error::bad_argument;
  Plan p;
  if (const Error e = plan_sections(spec, &p); e != Error::ok) return e;
  if (out->size > out->capacity || out->capacity - out->size < p.total) {
    return Error::buffer_too_small;
  }
  std::uint8_t* blob = out->data + out->size;
  std::memset(blob, 0, p.total);
  write_header(spec, p, blob);
  if (const Error e = write_sections(spec, p, blob); e != Error::ok) return e;
  store(blob + p.total - kCrcSize, crc32(blob, p.total - kCrcSize));
  ModelView check;
  if (const Error e = open_blob(blob, p.total, &check); e != Error::ok) return e;
  out->size += p.total;
  return Error::ok;
}

}  // namespace tl::ml
