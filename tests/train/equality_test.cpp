// The three evaluators of a trained model must agree bit for bit: the reference model (float,
// in the trainer), the runtime reading the blob, and the generated C compiled by the host C
// compiler with -Werror -Wdouble-promotion. Test vectors: every training row, plus vectors whose
// scaled value sits exactly on each tree threshold and one float step either side.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "ml/blob.hpp"
#include "test_util.hpp"
#include "train/blob.hpp"
#include "train/codegen.hpp"
#include "train/dataset.hpp"
#include "train/trainer.hpp"

using namespace tl::train;
namespace fs = std::filesystem;

namespace {

struct Compiled {
  void* handle = nullptr;
  int (*predict)(const float*) = nullptr;
  float (*score)(const float*) = nullptr;
  ~Compiled() {
    if (handle) dlclose(handle);
  }
};

// Writes the generated C to a fresh folder, compiles it into a shared object and loads it.
void compile(const GeneratedC& g, const std::string& tag, Compiled& out) {
  fs::path dir = fs::temp_directory_path() / ("tl_codegen_" + tag + "_" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / g.header_name) << g.header;
  std::ofstream(dir / g.source_name) << g.source;
  std::string so = (dir / "model.so").string();
  std::string cmd = std::string(TL_HOST_CC) +
                    " -std=c99 -O2 -Wall -Wextra -Wpedantic -Wconversion -Wdouble-promotion "
                    "-Wfloat-conversion -Werror -ffp-contract=off -fPIC -shared -o " + so + " " +
                    (dir / g.source_name).string() + " -lm 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  out.handle = dlopen(so.c_str(), RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(out.handle, nullptr) << dlerror();
  out.predict = reinterpret_cast<int (*)(const float*)>(dlsym(out.handle, "tl_model_predict"));
  out.score = reinterpret_cast<float (*)(const float*)>(dlsym(out.handle, "tl_model_anomaly_score"));
  ASSERT_TRUE(out.predict && out.score);
  fs::remove_all(dir);
}

struct RuntimeOut {
  int predicted;
  float score;
};

RuntimeOut run_blob(const tl::ml::ModelView& v, const float* features) {
  float x[tl::ml::kMaxFeatures];
  std::memcpy(x, features, v.feature_count * sizeof(float));
  if (v.scaler.count) tl::ml::apply_scaler(v.scaler, x);
  int c = (v.kinds & tl::ml::kKindPackedForest) ? tl::ml::packed_forest_predict(v.packed, x)
                                                 : tl::ml::forest_predict(v.forest, x);
  return {c, tl::ml::kmeans_score(v.kmeans, x)};
}

uint32_t bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

// A raw value whose scaled value is exactly `target`, searched around the algebraic inverse;
// false when no float maps exactly there (the scaler's rounding can skip values).
bool raw_for(const Scaler& s, size_t f, float target, float& raw) {
  const float guess = target / s.scale[f] + s.offset[f];
  for (float dir : {INFINITY, -INFINITY}) {
    float g = guess;
    for (int step = 0; step < 32; ++step, g = std::nextafter(g, dir)) {
      if ((g - s.offset[f]) * s.scale[f] == target) {
        raw = g;
        return true;
      }
    }
  }
  return false;
}

std::vector<std::vector<float>> test_vectors(const Model& m, const FeatureTable& t,
                                             size_t& exact_hits) {
  std::vector<std::vector<float>> out;
  for (size_t i = 0; i < t.rows(); ++i) out.emplace_back(t.row(i), t.row(i) + t.n_features);
  size_t base = 0;
  exact_hits = 0;
  for (const Tree& tree : m.forest.trees) {
    for (const Node& n : tree.nodes) {
      if (n.feature < 0) continue;
      const size_t f = size_t(n.feature);
      for (float target : {std::nextafter(n.threshold, -INFINITY), n.threshold,
                           std::nextafter(n.threshold, INFINITY)}) {
        float raw;
        if (!raw_for(m.scaler, f, target, raw)) continue;
        exact_hits += target == n.threshold;
        std::vector<float> v = out[base++ % t.rows()];
        v[f] = raw;
        out.push_back(v);
      }
    }
  }
  return out;
}

FeatureTable fogml(size_t classes) {
  std::vector<std::string> files;
  const char* names[] = {"0_idle.csv", "1_circle.csv", "2_snake.csv", "3_up_down.csv"};
  for (size_t i = 0; i < classes; ++i) {
    files.push_back(tl::train::test::shared(std::string("datasets/fogml-case-study/") + names[i]));
  }
  DataOptions o;
  o.pipeline = tl::ml::paper_pipeline();
  Warnings w;
  return load_dataset(files, o, w);
}

void check_all_agree(ScalerKind scaler, TreeForm form, const std::string& tag) {
  FeatureTable t = fogml(4);
  TrainOptions o;
  o.folds = 0;
  o.scaler = scaler;
  o.forest.tree.max_depth = 3;
  Warnings w;
  TrainResult r = train(t, tl::ml::paper_pipeline(), o, w);
  const Model& m = r.model;

  std::vector<uint8_t> blob = make_blob(m, form);
  tl::ml::ModelView view;
  ASSERT_EQ(tl::ml::open_blob(blob.data(), blob.size(), &view), tl::ml::Error::ok);
  EXPECT_EQ(bool(view.kinds & tl::ml::kKindPackedForest), form != TreeForm::general);

  GeneratedC g = generate_c(m);
  EXPECT_EQ(g.source.find("double"), std::string::npos);
  Compiled c;
  compile(g, tag, c);
  if (::testing::Test::HasFatalFailure()) return;

  size_t exact = 0;
  auto vectors = test_vectors(m, t, exact);
  size_t internal = 0;
  for (const Tree& tree : m.forest.trees) {
    for (const Node& n : tree.nodes) internal += n.feature >= 0;
  }
  if (scaler == ScalerKind::none) {
    EXPECT_EQ(exact, internal);  // without a scaler every threshold is reachable exactly
  } else {
    EXPECT_GT(exact, internal / 2);
  }
  for (size_t i = 0; i < vectors.size(); ++i) {
    Model::Output ref = m.evaluate(vectors[i].data());
    RuntimeOut rt = run_blob(view, vectors[i].data());
    ASSERT_EQ(ref.predicted, rt.predicted) << "vector " << i;
    ASSERT_EQ(ref.predicted, c.predict(vectors[i].data())) << "vector " << i;
    ASSERT_EQ(bits(ref.anomaly_score), bits(rt.score)) << "vector " << i;
    ASSERT_EQ(bits(ref.anomaly_score), bits(c.score(vectors[i].data()))) << "vector " << i;
  }
}

}  // namespace

TEST(Equality, MinMaxScalerPackedBlobAndGeneratedC) {
  check_all_agree(ScalerKind::minmax, TreeForm::best, "minmax");
}

TEST(Equality, NoScalerGeneralBlobEveryThresholdExact) {
  check_all_agree(ScalerKind::none, TreeForm::general, "none");
}

TEST(Equality, StandardScaler) {
  check_all_agree(ScalerKind::standard, TreeForm::packed, "standard");
}

// Raw recordings: the device's run_window on the blob equals featurise + reference model.
TEST(Equality, RunWindowOnRecordings) {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(tl::train::test::shared("datasets/gestures-100hz"))) {
    if (e.path().extension() == ".npy") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  DataOptions o;
  o.pipeline = tl::ml::paper_pipeline();
  o.pipeline.sample_rate_hz = 100.0f;
  o.pipeline.window = 100;
  o.pipeline.hop = 50;
  o.pipeline.input_scale = 9.80665f / 16384.0f;
  o.input_rate_hz = 100.0f;
  Warnings w;
  FeatureTable t = load_dataset(files, o, w);
  TrainOptions to;
  to.folds = 0;
  to.forest.n_trees = 30;
  to.forest.tree.max_depth = 3;
  TrainResult r = train(t, o.pipeline, to, w);
  std::vector<uint8_t> blob = make_blob(r.model, TreeForm::best);
  tl::ml::ModelView view;
  ASSERT_EQ(tl::ml::open_blob(blob.data(), blob.size(), &view), tl::ml::Error::ok);
  Warnings w2;
  Recording rec = parse_npy(files[0], read_file_bytes(files[0]), w2);
  std::vector<float> window(size_t(o.pipeline.window) * 3);
  auto rows = featurise(rec, o.pipeline, 100.0f);
  ASSERT_FALSE(rows.empty());
  for (size_t k = 0; k < rows.size(); ++k) {
    for (size_t i = 0; i < window.size(); ++i) {
      window[i] = rec.samples[k * o.pipeline.hop * 3 + i] * o.pipeline.input_scale;
    }
    tl::ml::Result res;
    ASSERT_EQ(tl::ml::run_window(view, window.data(), &res), tl::ml::Error::ok);
    Model::Output ref = r.model.evaluate(rows[k].data());
    EXPECT_EQ(res.predicted, ref.predicted);
    EXPECT_EQ(bits(res.anomaly_score), bits(ref.anomaly_score));
    EXPECT_EQ(res.anomaly, ref.anomaly_score > r.model.kmeans.threshold);
  }
}

TEST(CodegenLiterals, RoundTripExactly) {
  EXPECT_EQ(c_float_literal(1.0f), "1.0f");
  EXPECT_EQ(c_float_literal(-0.0f), "-0.0f");
  EXPECT_EQ(c_float_literal(1.5f), "1.5f");
  EXPECT_EQ(c_float_literal(0.1f), "0.100000001f");
  EXPECT_EQ(c_float_literal(1e-5f), "9.99999975e-06f");
  EXPECT_THROW(c_float_literal(NAN), std::invalid_argument);
  EXPECT_THROW(c_float_literal(INFINITY), std::invalid_argument);
  Rng rng(5);
  for (int i = 0; i < 200000; ++i) {
    uint32_t u = uint32_t(rng.next());
    float f;
    std::memcpy(&f, &u, 4);
    if (!std::isfinite(f)) continue;
    std::string s = c_float_literal(f);  // throws if the round trip fails
    ASSERT_EQ(s.back(), 'f');
  }
  for (float f : {1.17549435e-38f, 1.4e-45f, 3.40282347e+38f, -3.40282347e+38f}) {
    EXPECT_NO_THROW(c_float_literal(f));
  }
}
