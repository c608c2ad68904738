#include "train/report.hpp"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "train/model_json.hpp"
#include "train/pipeline_spec.hpp"
#include "train/svg.hpp"

namespace tl::train {
namespace {

std::string fmt(double v, int decimals = 3) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

void inputs_section(std::ostringstream& md, const ReportInput& in) {
  const FeatureTable& t = in.table;
  const ml::Pipeline& p = in.result.model.pipeline;
  md << "## Data\n\n" << in.inputs.size() << " input files, " << t.rows() << " feature vectors, "
     << t.groups.size() << " recordings (groups).\n\n"
     << "Pipeline: " << p.window << " samples x " << unsigned(p.axes) << " axes at "
     << float_text(p.sample_rate_hz) << " Hz, hop " << p.hop << ", input scale "
     << float_text(p.input_scale) << ", blocks `" << blocks_to_string(p) << "` ("
     << t.n_features << " features), scaler " << scaler_name(p.scaler) << ".\n\n"
     << "| class | vectors |\n|---|---|\n";
  std::vector<size_t> count(t.classes.size(), 0);
  for (int c : t.y) ++count[size_t(c)];
  for (size_t c = 0; c < count.size(); ++c) md << "| " << t.classes[c] << " | " << count[c] << " |\n";
  if (!in.warnings.empty()) {
    md << "\nWarnings:\n\n";
    for (const auto& w : in.warnings) md << "- " << w << "\n";
  }
}

void model_section(std::ostringstream& md, const ReportInput& in) {
  const TrainOptions& o = in.options;
  const Model& m = in.result.model;
  size_t nodes = 0;
  int depth = 0;
  for (const Tree& t : m.forest.trees) {
    nodes += t.nodes.size();
    depth = std::max(depth, t.depth());
  }
  md << "\n## Model\n\nRandom forest: " << m.forest.trees.size() << " trees, max depth "
     << o.forest.tree.max_depth << " (deepest tree " << depth << "), " << nodes
     << " nodes, criterion " << (o.forest.tree.criterion == Criterion::gini ? "gini" : "entropy")
     << ", max features " << o.max_features << ", min samples per leaf "
     << o.forest.tree.min_samples_leaf << ", bootstrap " << (o.forest.bootstrap ? "yes" : "no")
     << ", class weight " << (o.forest.balanced ? "balanced" : "none") << ", seed "
     << o.forest.seed << ".\n\n"
     << "K-means anomaly detector: " << m.kmeans.k() << " clusters, threshold "
     << float_text(m.kmeans.threshold) << " (quantile " << o.kmeans.quantile
     << " of the training scores).\n\nBlob (model.tlm): " << in.blob_bytes << " bytes.\n\n"
     << "Training time: " << fmt(in.result.cv_train_ms, 1) << " ms for the cross-validation "
     << "forests, " << fmt(in.result.final_train_ms, 1) << " ms for the final model.\n";
}

void cv_section(std::ostringstream& md, const ReportInput& in) {
  const TrainResult& r = in.result;
  const FeatureTable& t = in.table;
  if (r.folds.empty()) {
    md << "\n## Cross-validation\n\nNot run (--folds 0).\n";
    return;
  }
  double mean = 0, var = 0;
  for (double a : r.fold_accuracy) mean += a / double(r.fold_accuracy.size());
  for (double a : r.fold_accuracy) var += (a - mean) * (a - mean) / double(r.fold_accuracy.size());
  md << "\n## Cross-validation\n\n" << r.fold_accuracy.size() << "-fold, "
     << (in.options.group_split ? "group split by recording (windows of one recording are never "
                                  "on both sides)"
                                : "stratified by class")
     << ".\n\nAccuracy (all out-of-fold predictions): **" << fmt(r.cv.accuracy) << "**; per fold "
     << fmt(mean) << " +- " << fmt(std::sqrt(var)) << ".\n\n"
     << "| class | precision | recall | F1 | support |\n|---|---|---|---|---|\n";
  for (size_t c = 0; c < t.classes.size(); ++c) {
    const ClassMetrics& m = r.cv.per_class[c];
    md << "| " << t.classes[c] << " | " << fmt(m.precision) << " | " << fmt(m.recall) << " | "
       << fmt(m.f1) << " | " << m.support << " |\n";
  }
  md << "\n![confusion matrix](confusion.svg)\n\n| true \\ predicted |";
  for (const auto& c : t.classes) md << " " << c << " |";
  md << "\n|---|";
  for (size_t c = 0; c < t.classes.size(); ++c) md << "---|";
  md << "\n";
  for (size_t i = 0; i < t.classes.size(); ++i) {
    md << "| " << t.classes[i] << " |";
    for (size_t n : r.cv.confusion[i]) md << " " << n << " |";
    md << "\n";
  }
}

std::string metrics_json(const ReportInput& in) {
  const TrainResult& r = in.result;
  nlohmann::json j = {{"rows", in.table.rows()},
                      {"classes", in.table.classes},
                      {"folds", r.fold_accuracy.size()},
                      {"group_split", in.options.group_split},
                      {"accuracy", r.cv.accuracy},
                      {"fold_accuracy", r.fold_accuracy},
                      {"cv_train_ms", r.cv_train_ms},
                      {"final_train_ms", r.final_train_ms},
                      {"blob_bytes", in.blob_bytes}};
  return j.dump(1) + "\n";
}

}  // namespace

std::string features_csv(const FeatureTable& t, const FoldAssignment& folds,
                         const std::vector<std::string>& names) {
  std::ostringstream s;
  s << "fold,label,group";
  for (const auto& n : names) s << "," << n;
  s << "\n";
  for (size_t i = 0; i < t.rows(); ++i) {
    s << (folds.empty() ? -1 : folds[i]) << "," << t.classes[size_t(t.y[i])] << "," << t.group[i];
    for (size_t f = 0; f < t.n_features; ++f) s << "," << float_text(t.row(i)[f]);
    s << "\n";
  }
  return s.str();
}

std::map<std::string, std::string> make_report(const ReportInput& in) {
  std::ostringstream md;
  md << "# Training report: " << in.result.model.name << " v" << in.result.model.version << "\n\n";
  inputs_section(md, in);
  model_section(md, in);
  cv_section(md, in);
  size_t above = 0;
  for (float s : in.result.anomaly_scores) above += s > in.result.model.kmeans.threshold;
  md << "\n## Feature importance\n\n![feature importance](importance.svg)\n\n"
     << "## Anomaly scores\n\n" << above << " of " << in.result.anomaly_scores.size()
     << " training windows score above the threshold.\n\n![anomaly scores](anomaly.svg)\n";
  std::map<std::string, std::string> files;
  files["summary.md"] = md.str();
  files["metrics.json"] = metrics_json(in);
  files["features.csv"] = features_csv(in.table, in.result.folds, in.feature_names);
  files["importance.svg"] = importance_svg(in.result.model.forest.importance, in.feature_names);
  files["anomaly.svg"] = histogram_svg(in.result.anomaly_scores, in.result.model.kmeans.threshold);
  if (!in.result.folds.empty()) {
    files["confusion.svg"] = confusion_svg(in.result.cv.confusion, in.table.classes);
  }
  return files;
}

}  // namespace tl::train
