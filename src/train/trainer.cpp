#include "train/trainer.hpp"

#include <chrono>
#include <cmath>
#include <numeric>

#include "ml/scaler.hpp"

namespace tl::train {
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Scaled copies of `rows` of t, plus their labels.
struct Scaled {
  std::vector<float> x;
  std::vector<int> y;
};

Scaled scale_rows(const FeatureTable& t, const std::vector<size_t>& rows, const Scaler& s) {
  Scaled out;
  out.x.resize(rows.size() * t.n_features);
  for (size_t i = 0; i < rows.size(); ++i) {
    s.apply(t.row(rows[i]), &out.x[i * t.n_features]);
    out.y.push_back(t.y[rows[i]]);
  }
  return out;
}

ForestParams forest_params(const FeatureTable& t, const TrainOptions& o) {
  ForestParams p = o.forest;
  p.tree.max_features = max_features_from(o.max_features, t.n_features);
  return p;
}

struct Fitted {
  Scaler scaler;
  Forest forest;
  Scaled data;
};

Fitted fit_on(const FeatureTable& t, const std::vector<size_t>& rows, const TrainOptions& o,
              const ProgressFn& progress) {
  Fitted f;
  f.scaler = fit_scaler(t, rows, o.scaler);
  f.data = scale_rows(t, rows, f.scaler);
  TrainView view{f.data.x.data(), f.data.y.data(), rows.size(), t.n_features, t.classes.size()};
  f.forest = fit_forest(view, forest_params(t, o), progress);
  return f;
}

void cross_validate(const FeatureTable& t, const TrainOptions& o, TrainResult& r,
                    const TrainProgress& progress) {
  const size_t n_classes = t.classes.size();
  r.folds = o.group_split ? group_folds(t.y, t.group, n_classes, o.folds, o.forest.seed)
                          : stratified_folds(t.y, n_classes, o.folds, o.forest.seed);
  r.cv_predicted.assign(t.rows(), -1);
  const size_t total = o.forest.n_trees * (o.folds + 1);
  for (size_t k = 0; k < o.folds; ++k) {
    std::vector<size_t> train_rows, test_rows;
    for (size_t i = 0; i < t.rows(); ++i) {
      (size_t(r.folds[i]) == k ? test_rows : train_rows).push_back(i);
    }
    auto t0 = Clock::now();
    Fitted f = fit_on(t, train_rows, o, [&](size_t done) {
      if (progress) progress(k * o.forest.n_trees + done, total);
    });
    r.cv_train_ms += ms_since(t0);
    std::vector<float> x(t.n_features);
    size_t correct = 0;
    for (size_t i : test_rows) {
      f.scaler.apply(t.row(i), x.data());
      r.cv_predicted[i] = f.forest.predict(x.data());
      correct += r.cv_predicted[i] == t.y[i];
    }
    r.fold_accuracy.push_back(test_rows.empty() ? 0.0 : double(correct) / double(test_rows.size()));
  }
  r.cv = compute_metrics(t.y, r.cv_predicted, n_classes);
}

}  // namespace

Scaler fit_scaler(const FeatureTable& t, const std::vector<size_t>& rows, ScalerKind kind) {
  const size_t nf = t.n_features;
  Scaler s;
  s.kind = kind;
  s.offset.assign(nf, 0.0f);
  s.scale.assign(nf, 1.0f);
  if (kind == ScalerKind::none || rows.empty()) return s;
  for (size_t f = 0; f < nf; ++f) {
    float lo = INFINITY, hi = -INFINITY;
    double sum = 0, sum2 = 0;
    for (size_t i : rows) {
      float v = t.row(i)[f];
      lo = std::min(lo, v);
      hi = std::max(hi, v);
      sum += v;
    }
    double mean = sum / double(rows.size());
    for (size_t i : rows) sum2 += (t.row(i)[f] - mean) * (t.row(i)[f] - mean);
    if (kind == ScalerKind::minmax) {
      ml::minmax_params(lo, hi, &s.offset[f], &s.scale[f]);
    } else {
      ml::standard_params(float(mean), float(std::sqrt(sum2 / double(rows.size()))), &s.offset[f],
                          &s.scale[f]);
    }
  }
  return s;
}

TrainResult train(const FeatureTable& t, const ml::Pipeline& pipeline, const TrainOptions& o,
                  Warnings& warnings, const TrainProgress& progress) {
  TrainResult r;
  if (o.folds >= 2) cross_validate(t, o, r, progress);
  const size_t done_before = o.folds >= 2 ? o.folds * o.forest.n_trees : 0;
  const size_t total = done_before + o.forest.n_trees;
  std::vector<size_t> all(t.rows());
  std::iota(all.begin(), all.end(), size_t(0));
  auto t0 = Clock::now();
  Fitted f = fit_on(t, all, o, [&](size_t done) {
    if (progress) progress(done_before + done, total);
  });
  r.model.kmeans = fit_kmeans(f.data.x, t.n_features, o.kmeans, warnings);
  r.final_train_ms = ms_since(t0);
  r.model.pipeline = pipeline;
  r.model.pipeline.scaler = o.scaler;
  r.model.labels = t.classes;
  r.model.scaler = std::move(f.scaler);
  r.model.forest = std::move(f.forest);
  for (size_t i = 0; i < t.rows(); ++i) {
    r.anomaly_scores.push_back(r.model.kmeans.score(&f.data.x[i * t.n_features]));
  }
  return r;
}

}  // namespace tl::train
