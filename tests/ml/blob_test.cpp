// Blob round trip and every malformed-blob case with its specific error.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "fixtures.hpp"
#include "ml/blob.hpp"

namespace {

using namespace tl::ml;
using namespace tl::ml::test;

// The paper's model shape at small size: 12 features, 3 classes, a few trees, 4 clusters.
struct Model {
  Pipeline pipeline = paper_pipeline();
  std::vector<float> offset = std::vector<float>(12, 0.0f);
  std::vector<float> scale = std::vector<float>(12, 1.0f);
  OwnedForest forest = random_forest(11, 10, 3, 3, 12);
  Forest forest_view = forest.view();
  std::vector<float> centroids = std::vector<float>(4 * 12, 0.0f);
  std::vector<float> radius = {1.0f, 2.0f, 0.5f, 1.0f};
  KMeans kmeans{};
  LofParams lof{};
  const char* labels[3] = {"idle", "circle", "snake"};
  ModelSpec spec;

  Model() {
    for (std::size_t i = 0; i < 12; ++i) {
      offset[i] = static_cast<float>(i) * 0.1f;
      scale[i] = 0.5f;
    }
    for (std::size_t i = 0; i < centroids.size(); ++i) centroids[i] = static_cast<float>(i % 5);
    kmeans = KMeans{centroids.data(), radius.data(), 4, 12, 2.0f};
    spec.name = "gestures";
    spec.version = 7;
    spec.pipeline = pipeline;
    spec.class_count = 3;
    spec.labels = labels;
    spec.scaler_offset = offset.data();
    spec.scaler_scale = scale.data();
    spec.forest = &forest_view;
    spec.kmeans = &kmeans;
    spec.lof = &lof;
  }

  std::vector<std::uint8_t> write() const {
    std::vector<std::uint8_t> out(blob_size(spec));
    ByteSink sink{out.data(), out.size(), 0};
    EXPECT_EQ(write_blob(spec, &sink), Error::ok);
    EXPECT_EQ(sink.size, out.size());
    return out;
  }
};

std::vector<float> test_window(std::size_t n, float phase) {
  std::vector<float> w(n);
  for (std::size_t i = 0; i < n; ++i) w[i] = std::sin(static_cast<float>(i) * 0.7f + phase) * 3.0f;
  return w;
}

void put_u32(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
  std::memcpy(b.data() + at, &v, 4);
}
void put_u16(std::vector<std::uint8_t>& b, std::size_t at, std::uint16_t v) {
  std::memcpy(b.data() + at, &v, 2);
}
std::uint32_t get_u32(const std::vector<std::uint8_t>& b, std::size_t at) {
  std::uint32_t v;
  std::memcpy(&v, b.data() + at, 4);
  return v;
}
// Offset of section `type` (from the section table).
std::size_t section_offset(const std::vector<std::uint8_t>& b, std::uint16_t type) {
  for (std::size_t i = 0; i < b[131]; ++i) {
    std::uint16_t t;
    std::memcpy(&t, b.data() + 132 + 12 * i, 2);
    if (t == type) return get_u32(b, 132 + 12 * i + 4);
  }
  return 0;
}

TEST(Blob, RoundTripMatchesDirectEvaluation) {
  const Model m;
  const auto blob = m.write();
  ModelView v;
  ASSERT_EQ(open_blob(blob.data(), blob.size(), &v), Error::ok);
  EXPECT_STREQ(v.name, "gestures");
  EXPECT_EQ(v.version, 7u);
  EXPECT_EQ(v.class_count, 3);
  EXPECT_EQ(v.feature_count, 12);
  EXPECT_EQ(v.kinds, kKindForest | kKindKMeans | kKindLof);
  EXPECT_STREQ(label(v, 1), "circle");
  EXPECT_STREQ(label(v, 3), "");
  EXPECT_EQ(v.lof.k, 3);
  EXPECT_EQ(v.lof.capacity, 100);
  EXPECT_EQ(v.pipeline.window, 20);
  EXPECT_EQ(v.pipeline.blocks[2].kind, BlockKind::crossings);
  for (int k = 0; k < 20; ++k) {
    const auto w = test_window(60, static_cast<float>(k));
    Result r;
    ASSERT_EQ(run_window(v, w.data(), &r), Error::ok);
    float f[12];
    ASSERT_EQ(compute_features(m.pipeline, w.data(), f), Error::ok);
    for (std::size_t i = 0; i < 12; ++i) {
      EXPECT_EQ(r.raw[i], f[i]);
      f[i] = (f[i] - m.offset[i]) * m.scale[i];
      EXPECT_EQ(r.scaled[i], f[i]);
    }
    EXPECT_EQ(r.predicted, forest_predict(m.forest.view(), f));
    EXPECT_EQ(r.anomaly_score, kmeans_score(m.kmeans, f));
    EXPECT_EQ(r.anomaly, r.anomaly_score > 2.0f);
  }
}

TEST(Blob, PackedForestRoundTripAndUnalignedBuffer) {
  Model m;
  const auto packed = pack(m.forest.view());
  m.spec.forest = nullptr;
  m.spec.packed_forest = packed.data();
  m.spec.packed_forest_size = packed.size();
  const auto blob = m.write();
  std::vector<std::uint8_t> shifted(blob.size() + 3);
  std::memcpy(shifted.data() + 3, blob.data(), blob.size());  // odd address
  ModelView v;
  ASSERT_EQ(open_blob(shifted.data() + 3, blob.size(), &v), Error::ok);
  EXPECT_EQ(v.kinds, kKindPackedForest | kKindKMeans | kKindLof);
  for (int k = 0; k < 20; ++k) {
    const auto w = test_window(60, static_cast<float>(k) * 0.3f);
    Result r;
    ASSERT_EQ(run_window(v, w.data(), &r), Error::ok);
    EXPECT_EQ(r.predicted, forest_predict(m.forest.view(), r.scaled));
    std::uint16_t votes[3];
    forest_votes(m.forest.view(), r.scaled, votes);
    for (int c = 0; c < 3; ++c) EXPECT_EQ(r.votes[c], votes[c]);
  }
}

TEST(Blob, MinimalModelWithoutScalerOrForest) {
  Model m;
  m.spec.pipeline.scaler = ScalerKind::none;
  m.spec.forest = nullptr;
  m.spec.class_count = 0;
  m.spec.labels = nullptr;
  m.spec.lof = nullptr;
  const auto blob = m.write();
  ModelView v;
  ASSERT_EQ(open_blob(blob.data(), blob.size(), &v), Error::ok);
  const auto w = test_window(60, 0.0f);
  Result r;
  ASSERT_EQ(run_window(v, w.data(), &r), Error::ok);
  EXPECT_EQ(r.predicted, -1);
  EXPECT_EQ(r.raw[3], r.scaled[3]);
  EXPECT_GT(r.anomaly_score, 0.0f);
}

TEST(Blob, RunWindowRejectsNonFiniteSamples) {
  const Model m;
  const auto blob = m.write();
  ModelView v;
  ASSERT_EQ(open_blob(blob.data(), blob.size(), &v), Error::ok);
  auto w = test_window(60, 0.0f);
  w[17] = NAN;
  Result r;
  EXPECT_EQ(run_window(v, w.data(), &r), Error::non_finite_input);
  w[17] = -INFINITY;
  EXPECT_EQ(run_window(v, w.data(), &r), Error::non_finite_input);
  EXPECT_EQ(run_window(v, nullptr, &r), Error::bad_argument);
}

TEST(Blob, WriterErrors) {
  Model m;
  std::vector<std::uint8_t> small(100);
  ByteSink sink{small.data(), small.size(), 0};
  EXPECT_EQ(write_blob(m.spec, &sink), Error::buffer_too_small);
  std::vector<std::uint8_t> big(8192);
  auto write = [&](const ModelSpec& s) {
    ByteSink out{big.data(), big.size(), 0};
    return write_blob(s, &out);
  };
  ModelSpec s = m.spec;
  s.name = "a name that is longer than thirty-two bytes";
  EXPECT_EQ(write(s), Error::too_large);
  s = m.spec;
  const char* long_labels[3] = {"idle", "a label of more than 23 bytes", "x"};
  s.labels = long_labels;
  EXPECT_EQ(write(s), Error::too_large);
  s = m.spec;
  s.class_count = 4;  // forest has 3
  EXPECT_EQ(write(s), Error::pipeline_mismatch);
  s = m.spec;
  s.pipeline.blocks[2].kind = BlockKind::fft_peak;  // 15 features, model has 12
  EXPECT_EQ(write(s), Error::pipeline_mismatch);
  s = m.spec;
  s.pipeline.window = 0;
  EXPECT_EQ(write(s), Error::bad_pipeline);
  s = m.spec;
  s.scaler_scale = nullptr;
  EXPECT_EQ(write(s), Error::bad_argument);
  s = m.spec;
  const auto packed = pack(m.forest.view());
  s.packed_forest = packed.data();
  s.packed_forest_size = packed.size();
  EXPECT_EQ(write(s), Error::bad_argument);  // both forest forms
}

class BlobErrors : public ::testing::Test {
 protected:
  Model m;
  std::vector<std::uint8_t> good = m.write();

  Error open(const std::vector<std::uint8_t>& b) {
    ModelView v;
    return open_blob(b.data(), b.size(), &v);
  }
  // Applies edit, fixes the CRC, opens.
  template <typename F>
  Error edited(F edit) {
    auto b = good;
    edit(b);
    fix_crc(b);
    return open(b);
  }
};

TEST_F(BlobErrors, BadMagicVersionCrc) {
  auto b = good;
  b[0] = 'X';
  EXPECT_EQ(open(b), Error::bad_magic);
  b = good;
  b[4] = 2;
  EXPECT_EQ(open(b), Error::bad_version);
  b = good;
  b[200] ^= 1;
  EXPECT_EQ(open(b), Error::bad_crc);
  b = good;
  b.back() ^= 0x80;
  EXPECT_EQ(open(b), Error::bad_crc);
  ModelView v;
  EXPECT_EQ(open_blob(nullptr, 10, &v), Error::bad_argument);
}

TEST_F(BlobErrors, TruncatedAtEveryLength) {
  for (std::size_t n = 0; n < good.size(); ++n) {
    ModelView v;
    EXPECT_EQ(open_blob(good.data(), n, &v), Error::truncated) << n;
  }
  // Trailing bytes after the blob are ignored.
  auto longer = good;
  longer.resize(good.size() + 10, 0xAA);
  EXPECT_EQ(open(longer), Error::ok);
}

TEST_F(BlobErrors, SizesPastLimits) {
  auto b = good;
  put_u32(b, 8, static_cast<std::uint32_t>(kMaxBlobSize + 4));
  EXPECT_EQ(open(b), Error::too_large);
  EXPECT_EQ(edited([](auto& x) { x[129] = 17; }), Error::too_large);   // class count
  EXPECT_EQ(edited([](auto& x) { x[48 + 13] = 9; }), Error::too_large);  // block count
  EXPECT_EQ(edited([](auto& x) { x[131] = 7; }), Error::too_large);    // section count
  EXPECT_EQ(edited([](auto& x) { put_u16(x, 48 + 8, 513); }), Error::bad_pipeline);  // window
  EXPECT_EQ(edited([](auto& x) { x[48 + 12] = 7; }), Error::bad_pipeline);  // axes
  EXPECT_EQ(edited([](auto& x) { x[48 + 16] = 42; }), Error::bad_pipeline);  // block kind
}

TEST_F(BlobErrors, SectionTable) {
  // Entry 0 is the labels section.
  EXPECT_EQ(edited([](auto& x) { put_u16(x, 132, 9); }), Error::bad_section);  // unknown type
  EXPECT_EQ(edited([](auto& x) { put_u16(x, 132 + 12, 1); }), Error::bad_section);  // duplicate
  EXPECT_EQ(edited([](auto& x) { put_u32(x, 136, get_u32(x, 136) + 2); }), Error::bad_section);
  EXPECT_EQ(edited([&](auto& x) { put_u32(x, 140, static_cast<std::uint32_t>(good.size())); }),
            Error::out_of_bounds);  // size past the end
  EXPECT_EQ(edited([](auto& x) { put_u32(x, 136, 0x10000000u); }), Error::out_of_bounds);
  EXPECT_EQ(edited([](auto& x) { put_u32(x, 136, 132); }), Error::out_of_bounds);  // into table
  EXPECT_EQ(edited([](auto& x) { put_u32(x, 140, get_u32(x, 140) + 8); }), Error::out_of_bounds);
  EXPECT_EQ(edited([](auto& x) { put_u32(x, 140, 24 * 2); }), Error::bad_section);
  EXPECT_EQ(edited([](auto& x) { x[128] = kKindForest | kKindKMeans; }), Error::bad_section);
  EXPECT_EQ(edited([](auto& x) { x[128] |= kKindPackedForest; }), Error::bad_section);
}

TEST_F(BlobErrors, OutOfRangeIndices) {
  const std::size_t forest = section_offset(good, 3);
  ASSERT_NE(forest, 0u);
  const std::size_t trees = std::size_t{good[forest]} | (std::size_t{good[forest + 1]} << 8);
  const std::size_t nodes = forest + ((8 + 2 * trees + 3) & ~std::size_t{3});
  ASSERT_NE(good[nodes], kLeaf);  // node 0 of tree 0 is a split
  EXPECT_EQ(edited([&](auto& x) { x[nodes] = 12; }), Error::bad_index);  // feature >= F
  EXPECT_EQ(edited([&](auto& x) { put_u16(x, nodes + 2, 0); }), Error::bad_index);  // backward
  EXPECT_EQ(edited([&](auto& x) { put_u16(x, nodes + 2, 1); }), Error::bad_index);  // self-left
  EXPECT_EQ(edited([&](auto& x) { put_u16(x, nodes + 2, 60000); }), Error::bad_index);
  std::size_t leaf_at = nodes;
  while (good[leaf_at] != kLeaf) leaf_at += 8;
  EXPECT_EQ(edited([&](auto& x) { x[leaf_at + 1] = 3; }), Error::bad_index);  // class >= C
  EXPECT_EQ(edited([&](auto& x) { put_u16(x, forest + 8, 1); }), Error::bad_index);  // root 0
  EXPECT_EQ(edited([&](auto& x) { std::memcpy(x.data() + nodes + 4, "\xff\xff\xff\x7f", 4); }),
            Error::bad_model);  // NaN threshold
}

TEST_F(BlobErrors, ModelValues) {
  const std::size_t km = section_offset(good, 5);
  EXPECT_EQ(edited([&](auto& x) { put_u32(x, km + 8 + 4 * 48, 0); }), Error::bad_model);  // r=0
  EXPECT_EQ(edited([&](auto& x) { put_u16(x, km + 2, 11); }), Error::bad_section);  // size
  const std::size_t sc = section_offset(good, 2);
  EXPECT_EQ(edited([&](auto& x) { put_u32(x, sc, 0x7f800000u); }), Error::bad_model);  // inf
  const std::size_t lof = section_offset(good, 6);
  EXPECT_EQ(edited([&](auto& x) { x[lof] = 0; }), Error::bad_model);
  const std::size_t labels = section_offset(good, 1);
  EXPECT_EQ(edited([&](auto& x) { x[labels + 23] = 'x'; }), Error::bad_model);
}

TEST_F(BlobErrors, PipelineMismatch) {
  // Header feature count differs from the pipeline's.
  EXPECT_EQ(edited([](auto& x) { x[130] = 11; }), Error::pipeline_mismatch);
  // Third block becomes RMS: still 12 features, model sections still match -> ok.
  EXPECT_EQ(edited([](auto& x) { x[48 + 16 + 16] = 3; }), Error::ok);
  // Second block becomes BASE: 15 features, header says 12.
  EXPECT_EQ(edited([](auto& x) { x[48 + 16 + 8] = 1; }), Error::pipeline_mismatch);
  // Class count 2 with a 3-class forest.
  EXPECT_EQ(edited([](auto& x) { x[129] = 2; }), Error::bad_section);  // labels size now wrong
}

TEST_F(BlobErrors, CheckCompatible) {
  ModelView v;
  ASSERT_EQ(open_blob(good.data(), good.size(), &v), Error::ok);
  Pipeline device = paper_pipeline();
  EXPECT_EQ(check_compatible(v, device), Error::ok);
  device.window = 64;  // bigger buffer: fine
  EXPECT_EQ(check_compatible(v, device), Error::ok);
  device = paper_pipeline();
  device.sample_rate_hz = 100.0f;
  EXPECT_EQ(check_compatible(v, device), Error::pipeline_mismatch);
  device = paper_pipeline();
  device.axes = 2;
  device.blocks[0] = FeatureBlock{};
  EXPECT_EQ(check_compatible(v, device), Error::pipeline_mismatch);
  device = paper_pipeline();
  device.window = 10;
  EXPECT_EQ(check_compatible(v, device), Error::pipeline_mismatch);
  device = paper_pipeline();
  device.input_scale = 9.80665f / 16384.0f;
  EXPECT_EQ(check_compatible(v, device), Error::pipeline_mismatch);
  device.window = 0;
  EXPECT_EQ(check_compatible(v, device), Error::bad_pipeline);
}

}  // namespace
