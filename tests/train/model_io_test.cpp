// model.json round trip and errors; output files; report contents.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "test_util.hpp"
#include "train/dataset.hpp"
#include "train/model_json.hpp"
#include "train/output.hpp"
#include "train/pipeline_spec.hpp"
#include "train/report.hpp"
#include "train/trainer.hpp"

using namespace tl::train;
namespace fs = std::filesystem;

namespace {

struct Trained {
  FeatureTable table;
  TrainOptions options;
  TrainResult result;
  Warnings warnings;
};

const Trained& trained() {
  static Trained t = [] {
    Trained r;
    DataOptions o;
    o.pipeline = tl::ml::paper_pipeline();
    std::string d = tl::train::test::shared("datasets/fogml-case-study/");
    r.table = load_dataset({d + "0_idle.csv", d + "1_circle.csv", d + "2_snake.csv"}, o, r.warnings);
    r.options.forest.n_trees = 20;
    r.options.folds = 3;
    r.result = train(r.table, o.pipeline, r.options, r.warnings);
    return r;
  }();
  return t;
}

std::string json_error(const std::string& text) {
  try {
    model_from_json("m.json", text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(ModelJson, RoundTripsBitForBit) {
  const Model& m = trained().result.model;
  auto names = feature_names(m.pipeline);
  Model back = model_from_json("m.json", model_to_json(m, names));
  EXPECT_EQ(back.labels, m.labels);
  EXPECT_EQ(std::memcmp(back.scaler.scale.data(), m.scaler.scale.data(), 12 * 4), 0);
  ASSERT_EQ(back.forest.trees.size(), m.forest.trees.size());
  for (size_t t = 0; t < m.forest.trees.size(); ++t) {
    for (size_t i = 0; i < m.forest.trees[t].nodes.size(); ++i) {
      EXPECT_EQ(back.forest.trees[t].nodes[i].threshold, m.forest.trees[t].nodes[i].threshold);
      EXPECT_EQ(back.forest.trees[t].nodes[i].right, m.forest.trees[t].nodes[i].right);
    }
  }
  EXPECT_EQ(back.kmeans.centroids, m.kmeans.centroids);
  EXPECT_EQ(back.kmeans.radius, m.kmeans.radius);
  EXPECT_EQ(back.kmeans.threshold, m.kmeans.threshold);
  EXPECT_TRUE(model_to_json(back, names) == model_to_json(m, names));
}

TEST(ModelJson, ErrorsNameTheJsonPath) {
  const Model& m = trained().result.model;
  std::string text = model_to_json(m, feature_names(m.pipeline));
  EXPECT_NE(json_error("{").find("m.json:byte 2: not valid JSON"), std::string::npos)
      << json_error("{");
  EXPECT_NE(json_error("{}").find("/format"), std::string::npos);
  std::string bad = text;
  bad.replace(bad.find("\"threshold\""), 11, "\"thresh0ld\"");
  EXPECT_NE(json_error(bad).find("m.json:/forest/trees/0/0/threshold: missing"), std::string::npos)
      << json_error(bad);
  bad = text;
  bad.replace(bad.find("\"window\": 20"), 12, "\"window\": 0");
  EXPECT_NE(json_error(bad).find("/pipeline/window"), std::string::npos);
}

TEST(FloatText, Shortest) {
  EXPECT_EQ(float_text(10.0f), "10");
  EXPECT_EQ(float_text(0.1f), "0.1");
  EXPECT_EQ(float_text(1e-5f), "1e-05");
}

TEST(Outputs, WritesAllAndReplacesFolders) {
  fs::path dir = fs::temp_directory_path() / ("tl_out_" + std::to_string(getpid()));
  fs::remove_all(dir);
  write_outputs(dir.string(), {{"a.txt", "1"}, {"report/old.md", "x"}});
  write_outputs(dir.string(), {{"a.txt", "2"}, {"report/new.md", "y"}});
  std::ifstream a(dir / "a.txt");
  std::string s;
  a >> s;
  EXPECT_EQ(s, "2");
  EXPECT_TRUE(fs::exists(dir / "report/new.md"));
  EXPECT_FALSE(fs::exists(dir / "report/old.md"));  // the report folder is replaced whole
  size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++entries;
  EXPECT_EQ(entries, 2u);  // no staging folder left behind
  fs::remove_all(dir);
}

TEST(Outputs, UnwritableFolderIsAnError) {
  EXPECT_THROW(write_outputs("/proc/tl-cannot-write", {{"a", "b"}}), std::runtime_error);
}

TEST(Report, HasEveryFileAndTheNumbers) {
  const Trained& t = trained();
  auto names = feature_names(t.result.model.pipeline);
  std::vector<std::string> inputs{"a", "b", "c"};
  auto files = make_report({t.table, t.result, t.options, names, inputs, t.warnings, 1234});
  for (const char* f : {"summary.md", "metrics.json", "features.csv", "confusion.svg",
                        "importance.svg", "anomaly.svg"}) {
    EXPECT_TRUE(files.count(f)) << f;
  }
  EXPECT_NE(files["summary.md"].find("3-fold, stratified by class"), std::string::npos);
  EXPECT_NE(files["summary.md"].find("| idle |"), std::string::npos);
  EXPECT_NE(files["anomaly.svg"].find("threshold"), std::string::npos);
  EXPECT_EQ(files["confusion.svg"].rfind("<svg", 0), 0u);
  // features.csv: a header and one line per vector, with the fold of each.
  const std::string& csv = files["features.csv"];
  EXPECT_EQ(size_t(std::count(csv.begin(), csv.end(), '\n')), t.table.rows() + 1);
  EXPECT_EQ(csv.rfind("fold,label,group,base.amp.x,", 0), 0u);
}

TEST(Trainer, CrossValidationIsDeterministic) {
  const Trained& t = trained();
  Warnings w;
  TrainResult again = train(t.table, tl::ml::paper_pipeline(), t.options, w);
  EXPECT_EQ(again.cv_predicted, t.result.cv_predicted);
  EXPECT_EQ(again.folds, t.result.folds);
  EXPECT_GT(t.result.cv.accuracy, 0.9);
}
