// Model blob: the unit replaced over the air. Versioned, little-endian, self-describing, CRC-32
// protected. The evaluator runs straight from the blob bytes (flash or RAM, any alignment: every
// multi-byte field is read with memcpy), nothing is copied.
//
// Layout (format version 1, all integers little-endian; full description in src/ml/README.md):
//   header (kHeaderSize bytes): magic "TLM1", u16 format version, u16 header size, u32 total size,
//     u32 model version, name[32] (UTF-8, NUL-padded), pipeline record (64 B), u8 kinds,
//     u8 class_count, u8 feature_count, u8 section_count
//   section table: section_count x {u16 type, u16 0, u32 offset, u32 size}
//   sections (4-byte aligned offsets, ascending, non-overlapping): labels, scaler, forest,
//     packed forest, k-means, LOF parameters
//   u32 CRC-32 (IEEE) of every byte before it
#pragma once

#include <cstddef>
#include <cstdint>

#include "ml/error.hpp"
#include "ml/kmeans.hpp"
#include "ml/pipeline.hpp"
#include "ml/scaler.hpp"
#include "ml/tree.hpp"

namespace tl::ml {

inline constexpr std::uint16_t kBlobFormatVersion = 1;
inline constexpr std::size_t kMaxBlobSize = 128 * 1024;
inline constexpr std::size_t kMaxNameLength = 32;   // bytes of UTF-8, no NUL needed
inline constexpr std::size_t kMaxLabelLength = 23;  // bytes of UTF-8 per class label

// Bits of ModelView::kinds / the blob header.
inline constexpr std::uint8_t kKindForest = 1;        // general trees
inline constexpr std::uint8_t kKindPackedForest = 2;  // packed trees (pack_forest)
inline constexpr std::uint8_t kKindKMeans = 4;
inline constexpr std::uint8_t kKindLof = 8;           // on-device LOF, parameters only

// Parameters of the on-device LOF detector carried by a blob (the store itself is learnt on the
// device, see lof.hpp).
struct LofParams {
  std::uint8_t k = 3;            // 1 .. kMaxLofK
  std::uint16_t capacity = 100;  // reservoir size, > k
  float threshold = 1.5f;        // anomaly when LOF > threshold; finite
};

// What write_blob serialises. Pointers are borrowed; unused parts stay null.
struct ModelSpec {
  const char* name = "";             // <= kMaxNameLength bytes
  std::uint32_t version = 0;
  Pipeline pipeline{};               // scaler kind included; feature_count(pipeline) = model input
  std::uint8_t class_count = 0;      // 0 when there is no forest
  const char* const* labels = nullptr;  // class_count strings of <= kMaxLabelLength bytes, or null
  const float* scaler_offset = nullptr;  // [feature_count], required iff pipeline.scaler != none
  const float* scaler_scale = nullptr;
  const Forest* forest = nullptr;    // general forest, or
  const std::uint8_t* packed_forest = nullptr;  // bytes from pack_forest (not both)
  std::size_t packed_forest_size = 0;
  const KMeans* kmeans = nullptr;    // optional
  const LofParams* lof = nullptr;    // optional
};

// Fixed-capacity output buffer. write_blob appends; on failure nothing past `size` is promised.
struct ByteSink {
  std::uint8_t* data = nullptr;
  std::size_t capacity = 0;
  std::size_t size = 0;
};

// Exact byte size of the blob for spec (0 when spec is invalid).
std::size_t blob_size(const ModelSpec& spec);

// Validates spec exactly as open_blob would and appends the blob to out. Errors: bad_argument,
// bad_pipeline, too_large, bad_index, bad_model, pipeline_mismatch (model input count differs from
// feature_count(pipeline), or class counts disagree), buffer_too_small.
Error write_blob(const ModelSpec& spec, ByteSink* out);

// A parsed blob. Pointers point into the blob bytes, which must outlive the view.
struct ModelView {
  std::uint32_t version = 0;
  char name[kMaxNameLength + 1] = {};  // NUL-terminated copy
  Pipeline pipeline{};
  std::uint8_t kinds = 0;              // kKind* bits
  std::uint8_t class_count = 0;
  std::uint8_t feature_count = 0;
  const std::uint8_t* labels = nullptr;  // use label()
  Scaler scaler{};                     // count 0 when the pipeline has no scaler
  Forest forest{};                     // valid when kinds & kKindForest
  PackedForest packed{};               // valid when kinds & kKindPackedForest
  KMeans kmeans{};                     // valid when kinds & kKindKMeans
  LofParams lof{};                     // valid when kinds & kKindLof
};

// Label of class c as a NUL-terminated string inside the blob ("" when the blob has no labels or
// c is out of range).
const char* label(const ModelView& m, std::size_t c);

// Parses and validates data[0 .. size) (size may exceed the blob's total size: trailing bytes are
// ignored). Checks, in this order: magic (bad_magic), version (bad_version), header/total size
// (truncated when size < header or < total size, too_large when total size > kMaxBlobSize),
// CRC (bad_crc), header fields and pipeline (bad_pipeline, too_large), section table
// (bad_section, out_of_bounds), each section (bad_index, bad_model, too_large, truncated),
// model input count == feature_count(pipeline) and class counts (pipeline_mismatch).
Error open_blob(const std::uint8_t* data, std::size_t size, ModelView* out);

// Can a device whose sensor pipeline is `device` run this model? Sample rate, axes and input scale
// must be equal and the model's window must fit the device's (m.pipeline.window <= device.window):
// blocks and scaler come from the blob, so models may change the features over the air.
// Error::ok or Error::pipeline_mismatch (bad_pipeline when `device` itself is invalid).
Error check_compatible(const ModelView& m, const Pipeline& device);

// Output of run_window.
struct Result {
  float raw[kMaxFeatures] = {};      // features before the scaler
  float scaled[kMaxFeatures] = {};   // model input (== raw without a scaler)
  std::uint8_t feature_count = 0;
  int predicted = -1;                // class index, -1 without a forest
  std::uint16_t votes[kMaxClasses] = {};  // per class (votes / tree count = class probability)
  float anomaly_score = 0.0f;        // k-means score, 0 without k-means
  bool anomaly = false;              // anomaly_score > k-means threshold
};

// Features -> scaler -> forest (general or packed) -> k-means, for one window of
// m.pipeline.window * m.pipeline.axes samples. Errors: bad_argument, non_finite_input.
// Precondition: m was filled by a successful open_blob (its pointers are only valid from there),
// so the pipeline is not validated again here.
Error run_window(const ModelView& m, const float* window, Result* out);

}  // namespace tl::ml
