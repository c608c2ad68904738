// `tinyloop train DATA... --out DIR`: features, cross-validation, final model (model.json,
// model.tlm blob) and a report folder.
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "train/blob.hpp"
#include "train/dataset.hpp"
#include "train/model_json.hpp"
#include "train/output.hpp"
#include "train/pipeline_spec.hpp"
#include "train/progress.hpp"
#include "train/report.hpp"
#include "train/trainer.hpp"

namespace {

using namespace tl::train;

struct TrainArgs {
  std::vector<std::string> data;
  std::string out, labels, features_csv, name = "tinyloop", tree_form = "best";
  float rate = 0, resample = 0;
  std::string input_scale = "1", blocks = "base,energy,crossings", scaler = "minmax";
  unsigned window = 20, hop = 0, axes = 3;
  uint32_t model_version = 1;
  size_t trees = 100, clusters = 16, folds = 5, min_samples_leaf = 1;
  int depth = 3;
  std::string criterion = "gini", max_features = "sqrt", class_weight = "none";
  bool no_bootstrap = false, group_split = false;
  double quantile = 0.99;
  uint64_t seed = 1;
  unsigned threads = 0;
};

[[noreturn]] void user_error(const std::string& message) {
  std::fprintf(stderr, "tinyloop train: %s\n", message.c_str());
  throw CLI::RuntimeError(tl::cli::kExitUserError);
}

tl::ml::Pipeline make_pipeline(const TrainArgs& a) {
  tl::ml::Pipeline p;
  p.sample_rate_hz = a.resample > 0 ? a.resample : (a.rate > 0 ? a.rate : 10.0f);
  p.window = uint16_t(a.window);
  p.hop = uint16_t(a.hop ? a.hop : a.window);
  p.axes = uint8_t(a.axes);
  p.input_scale = parse_scale(a.input_scale);
  p.scaler = scaler_from_name(a.scaler);
  parse_blocks(a.blocks, p);
  if (a.window > tl::ml::kMaxWindow || a.hop > tl::ml::kMaxWindow || a.axes > tl::ml::kMaxAxes ||
      tl::ml::validate_pipeline(p) != tl::ml::Error::ok) {
    throw std::invalid_argument("pipeline out of range: --window and --hop 1.." +
                                std::to_string(tl::ml::kMaxWindow) + ", --axes 1.." +
                                std::to_string(tl::ml::kMaxAxes) + ", at most " +
                                std::to_string(tl::ml::kMaxFeatures) + " features");
  }
  return p;
}

TrainOptions make_options(const TrainArgs& a) {
  TrainOptions o;
  o.forest.n_trees = a.trees;
  o.forest.tree.max_depth = a.depth;
  o.forest.tree.min_samples_leaf = a.min_samples_leaf;
  if (a.criterion != "gini" && a.criterion != "entropy") {
    throw std::invalid_argument("--criterion must be gini or entropy");
  }
  o.forest.tree.criterion = a.criterion == "gini" ? Criterion::gini : Criterion::entropy;
  if (a.class_weight != "none" && a.class_weight != "balanced") {
    throw std::invalid_argument("--class-weight must be none or balanced");
  }
  o.forest.balanced = a.class_weight == "balanced";
  o.forest.bootstrap = !a.no_bootstrap;
  o.forest.seed = a.seed;
  o.forest.threads = a.threads;
  o.max_features = a.max_features;
  o.kmeans.clusters = a.clusters;
  o.kmeans.quantile = a.quantile;
  o.kmeans.seed = a.seed;
  o.scaler = scaler_from_name(a.scaler);
  o.folds = a.folds;
  o.group_split = a.group_split;
  return o;
}

void run(const TrainArgs& a) {
  tl::ml::Pipeline pipeline;
  TrainOptions options;
  DataOptions data;
  try {
    pipeline = make_pipeline(a);
    options = make_options(a);
    max_features_from(a.max_features, 1);  // validates the spelling early
    data.pipeline = pipeline;
    data.input_rate_hz = a.rate;
    if (!a.labels.empty()) data.labels = parse_labels_file(a.labels, read_file_bytes(a.labels));
  } catch (const std::invalid_argument& e) {
    user_error(e.what());
  }
  Warnings warnings;
  FeatureTable table = load_dataset(a.data, data, warnings);
  for (const auto& w : warnings) std::fprintf(stderr, "tinyloop train: warning: %s\n", w.c_str());
  Progress progress("training");
  TrainResult result;
  try {
    result = train(table, pipeline, options, warnings,
                   [&](size_t done, size_t total) { progress.update(done, total); });
  } catch (const std::invalid_argument& e) {
    progress.finish();
    user_error(e.what());
  }
  progress.finish();
  result.model.name = a.name;
  result.model.version = a.model_version;
  std::vector<uint8_t> blob;
  try {
    blob = make_blob(result.model, tree_form_from_name(a.tree_form));
  } catch (const std::exception& e) {
    user_error(e.what());
  }
  const auto names = feature_names(pipeline);
  std::map<std::string, std::string> files;
  files["model.json"] = model_to_json(result.model, names);
  files["model.tlm"] = std::string(blob.begin(), blob.end());
  ReportInput report{table, result, options, names, a.data, warnings, blob.size()};
  for (auto& [name, content] : make_report(report)) files["report/" + name] = std::move(content);
  write_outputs(a.out, files);
  if (!a.features_csv.empty()) {
    std::filesystem::path p = std::filesystem::absolute(a.features_csv);
    write_outputs(p.parent_path().string(),
                  {{p.filename().string(), features_csv(table, result.folds, names)}});
  }
  if (!result.folds.empty()) {
    std::printf("cross-validation accuracy %.4f (%zu-fold, %s)\n", result.cv.accuracy, a.folds,
                a.group_split ? "group split by recording" : "stratified");
  }
  std::printf("wrote %s/model.json, %s/model.tlm (%zu bytes), %s/report/summary.md\n",
              a.out.c_str(), a.out.c_str(), blob.size(), a.out.c_str());
}

void add_train(CLI::App& app) {
  auto args = std::make_shared<TrainArgs>();
  auto* cmd = app.add_subcommand("train", "Train a random forest + k-means anomaly model");
  cmd->footer(
      "Inputs: .npy (int16/int32/float32/float64, shape (rows, axes)) and Edge Impulse .json "
      "recordings, or FogML feature .csv files (one vector per row). Labels come from file names "
      "(<anything>_<label>.<ext>) or --labels. Outputs in --out: model.json, model.tlm, report/.");
  cmd->add_option("DATA", args->data, "Input files")->required()->check(CLI::ExistingFile);
  cmd->add_option("--out", args->out, "Output folder")->required();
  cmd->add_option("--labels", args->labels, "CSV of file,label overriding file-name labels");
  cmd->add_option("--rate", args->rate, "Sample rate of the recordings in Hz (required for .npy)");
  cmd->add_option("--resample", args->resample, "Resample to this rate (Hz) before windowing");
  cmd->add_option("--window", args->window, "Window length in samples")->capture_default_str();
  cmd->add_option("--hop", args->hop, "Samples between window starts (default: the window)");
  cmd->add_option("--axes", args->axes, "Axes per sample")->capture_default_str();
  cmd->add_option("--input-scale", args->input_scale,
                  "Raw value * scale = physical units, e.g. 9.80665/16384")->capture_default_str();
  cmd->add_option("--blocks", args->blocks,
                  "Feature blocks: base, energy, rms, variance, minmax, crossings[:hysteresis], "
                  "fft_peak")->capture_default_str();
  cmd->add_option("--scaler", args->scaler, "minmax, standard or none")->capture_default_str();
  cmd->add_option("--trees", args->trees, "Trees in the forest")->capture_default_str();
  cmd->add_option("--depth", args->depth, "Maximum tree depth (-1: unlimited)")->capture_default_str();
  cmd->add_option("--criterion", args->criterion, "gini or entropy")->capture_default_str();
  cmd->add_option("--max-features", args->max_features, "Features tried per split: sqrt, all or N")
      ->capture_default_str();
  cmd->add_option("--min-samples-leaf", args->min_samples_leaf, "Minimum rows per leaf")
      ->capture_default_str();
  cmd->add_option("--class-weight", args->class_weight, "none or balanced")->capture_default_str();
  cmd->add_flag("--no-bootstrap", args->no_bootstrap, "Every tree sees all rows");
  cmd->add_option("--clusters", args->clusters, "k-means clusters")->capture_default_str();
  cmd->add_option("--anomaly-quantile", args->quantile,
                  "Anomaly threshold = this quantile of the training scores (1: the maximum)")
      ->capture_default_str()->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--folds", args->folds, "Cross-validation folds (0: none)")->capture_default_str();
  cmd->add_flag("--group-split", args->group_split,
                "Folds by recording: windows of one file never on both sides");
  cmd->add_option("--seed", args->seed, "Random seed")->capture_default_str();
  cmd->add_option("--threads", args->threads, "Training threads (0: all cores)")->capture_default_str();
  cmd->add_option("--features-csv", args->features_csv, "Also write the features and folds here");
  cmd->add_option("--name", args->name, "Model name stored in the blob (<= 32 bytes)")
      ->capture_default_str();
  cmd->add_option("--model-version", args->model_version, "Model version stored in the blob")
      ->capture_default_str();
  cmd->add_option("--tree-form", args->tree_form, "Blob forest form: best, packed or general")
      ->capture_default_str();
  cmd->callback([args] {
    try {
      run(*args);
    } catch (const InputError& e) {
      user_error(e.what());
    } catch (const std::runtime_error& e) {
      if (dynamic_cast<const CLI::Error*>(&e)) throw;
      user_error(e.what());
    }
  });
}

const bool registered = tl::cli::add_command(add_train);

}  // namespace
