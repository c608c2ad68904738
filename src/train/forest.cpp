#include "train/forest.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <numeric>
#include <stdexcept>
#include <string>
#include <thread>

namespace tl::train {
namespace {

std::vector<double> class_weight(const TrainView& d, bool balanced) {
  std::vector<double> cw(d.n_classes, 1.0);
  if (!balanced) return cw;
  std::vector<size_t> count(d.n_classes, 0);
  for (size_t i = 0; i < d.n_rows; ++i) ++count[size_t(d.y[i])];
  for (size_t c = 0; c < d.n_classes; ++c) {
    if (count[c] > 0) cw[c] = double(d.n_rows) / double(d.n_classes * count[c]);
  }
  return cw;
}

std::vector<double> sample_weights(const TrainView& d, const ForestParams& p,
                                   const std::vector<double>& cw, Rng& rng) {
  std::vector<double> w(d.n_rows, p.bootstrap ? 0.0 : 1.0);
  if (p.bootstrap) {
    for (size_t i = 0; i < d.n_rows; ++i) w[rng.below(d.n_rows)] += 1.0;
  }
  for (size_t i = 0; i < d.n_rows; ++i) w[i] *= cw[size_t(d.y[i])];
  return w;
}

void normalise(std::vector<double>& v) {
  double sum = std::accumulate(v.begin(), v.end(), 0.0);
  if (sum > 0) {
    for (double& x : v) x /= sum;
  }
}

}  // namespace

size_t max_features_from(const std::string& spec, size_t n_features) {
  if (spec == "sqrt") return std::max<size_t>(1, size_t(std::sqrt(double(n_features))));
  if (spec == "all") return 0;
  size_t pos = 0;
  unsigned long v = 0;
  try {
    v = std::stoul(spec, &pos);
  } catch (const std::exception&) {
    pos = 0;
  }
  if (pos != spec.size() || v == 0) {
    throw std::invalid_argument("--max-features must be sqrt, all or a positive number, not '" +
                                spec + "'");
  }
  return std::min<size_t>(v, n_features);
}

Forest fit_forest(const TrainView& data, const ForestParams& params, const ProgressFn& progress) {
  Forest forest;
  forest.n_classes = data.n_classes;
  forest.trees.resize(params.n_trees);
  std::vector<std::vector<double>> importance(params.n_trees,
                                              std::vector<double>(data.n_features, 0.0));
  const std::vector<double> cw = class_weight(data, params.balanced);
  std::atomic<size_t> next{0};
  size_t done = 0;
  std::mutex progress_mutex;
  auto worker = [&] {
    for (size_t t; (t = next.fetch_add(1)) < params.n_trees;) {
      Rng rng = Rng::stream(params.seed, t);
      std::vector<double> w = sample_weights(data, params, cw, rng);
      forest.trees[t] = fit_tree(data, w, params.tree, rng, importance[t]);
      normalise(importance[t]);
      std::lock_guard lock(progress_mutex);
      ++done;
      if (progress) progress(done);
    }
  };
  unsigned n = params.threads ? params.threads : std::max(1u, std::thread::hardware_concurrency());
  n = unsigned(std::min<size_t>(n, params.n_trees));
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < n; ++i) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();
  // Summed in tree order, so the result does not depend on which thread finished first.
  forest.importance.assign(data.n_features, 0.0);
  for (const auto& imp : importance) {
    for (size_t f = 0; f < data.n_features; ++f) forest.importance[f] += imp[f];
  }
  normalise(forest.importance);
  return forest;
}

}  // namespace tl::train
