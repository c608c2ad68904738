#include "train/cart.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace tl::train {
namespace {

double impurity(const std::vector<double>& counts, double total, Criterion c) {
  if (total <= 0) return 0.0;
  double acc = c == Criterion::gini ? 1.0 : 0.0;
  for (double n : counts) {
    if (n <= 0) continue;
    double p = n / total;
    acc += c == Criterion::gini ? -p * p : -p * std::log2(p);
  }
  return acc;
}

struct Split {
  bool found = false;
  size_t feature = 0;
  float threshold = 0.0f;
  double gain = -1.0;  // weighted impurity decrease: w*I - wl*Il - wr*Ir
};

class Builder {
 public:
  Builder(const TrainView& d, const std::vector<double>& w, const TreeParams& p, Rng& rng,
          std::vector<double>& importance)
      : d_(d), w_(w), p_(p), rng_(rng), importance_(importance) {}

  Tree build() {
    std::vector<size_t> rows;
    for (size_t i = 0; i < d_.n_rows; ++i) {
      if (w_[i] > 0) rows.push_back(i);
    }
    grow(rows, 0);
    return std::move(tree_);
  }

 private:
  std::vector<double> class_weights(const std::vector<size_t>& rows) const {
    std::vector<double> c(d_.n_classes, 0.0);
    for (size_t r : rows) c[size_t(d_.y[r])] += w_[r];
    return c;
  }

  // Appends the subtree of `rows` in pre-order (a node, its left subtree, its right subtree),
  // the layout of the runtime's general forest: the left child is always the next node.
  void grow(const std::vector<size_t>& rows, int depth) {
    const size_t node = tree_.nodes.size();
    tree_.nodes.emplace_back();
    std::vector<double> counts = class_weights(rows);
    double total = std::accumulate(counts.begin(), counts.end(), 0.0);
    // Lowest class index wins ties (max_element returns the first maximum).
    tree_.nodes[node].label = int(std::max_element(counts.begin(), counts.end()) - counts.begin());
    double node_impurity = impurity(counts, total, p_.criterion);
    bool may_split = (p_.max_depth < 0 || depth < p_.max_depth) &&
                     rows.size() >= p_.min_samples_split &&
                     rows.size() >= 2 * p_.min_samples_leaf && node_impurity > 0;
    if (!may_split) return;
    Split best = find_split(rows, counts, total, node_impurity);
    if (!best.found) return;
    importance_[best.feature] += best.gain;
    std::vector<size_t> left, right;
    for (size_t r : rows) {
      (d_.x[r * d_.n_features + best.feature] <= best.threshold ? left : right).push_back(r);
    }
    tree_.nodes[node].feature = int32_t(best.feature);
    tree_.nodes[node].threshold = best.threshold;
    tree_.nodes[node].label = 0;
    grow(left, depth + 1);
    tree_.nodes[node].left = int32_t(node + 1);
    tree_.nodes[node].right = int32_t(tree_.nodes.size());
    grow(right, depth + 1);
  }

  // Features in random order; like CART in random forests, keep drawing past constant features
  // until max_features non-constant ones have been tried.
  Split find_split(const std::vector<size_t>& rows, const std::vector<double>& counts,
                   double total, double node_impurity) {
    std::vector<size_t> features(d_.n_features);
    std::iota(features.begin(), features.end(), size_t(0));
    size_t want = p_.max_features == 0 ? d_.n_features : p_.max_features;
    size_t tried = 0;
    Split best;
    for (size_t i = 0; i < features.size() && tried < want; ++i) {
      std::swap(features[i], features[i + rng_.below(features.size() - i)]);
      if (evaluate(features[i], rows, counts, total, node_impurity, best)) ++tried;
    }
    return best;
  }

  // Sweeps the sorted values of one feature; false when the feature is constant here.
  bool evaluate(size_t f, const std::vector<size_t>& rows, const std::vector<double>& counts,
                double total, double node_impurity, Split& best) {
    std::vector<std::pair<float, size_t>> v;
    v.reserve(rows.size());
    for (size_t r : rows) v.emplace_back(d_.x[r * d_.n_features + f], r);
    std::sort(v.begin(), v.end());
    if (!(v.front().first < v.back().first)) return false;
    std::vector<double> left(d_.n_classes, 0.0), right = counts;
    double wl = 0.0;
    const size_t n = v.size();
    for (size_t i = 0; i + 1 < n; ++i) {
      double w = w_[v[i].second];
      size_t c = size_t(d_.y[v[i].second]);
      left[c] += w;
      right[c] -= w;
      wl += w;
      if (!(v[i].first < v[i + 1].first)) continue;
      if (i + 1 < p_.min_samples_leaf || n - i - 1 < p_.min_samples_leaf) continue;
      double wr = total - wl;
      double gain = total * node_impurity - wl * impurity(left, wl, p_.criterion) -
                    wr * impurity(right, wr, p_.criterion);
      if (gain > best.gain) {
        best = {true, f, split_threshold(v[i].first, v[i + 1].first), gain};
      }
    }
    return true;
  }

  const TrainView& d_;
  const std::vector<double>& w_;
  const TreeParams& p_;
  Rng& rng_;
  std::vector<double>& importance_;
  Tree tree_;
};

}  // namespace

float split_threshold(float lower, float upper) {
  float t = float((double(lower) + double(upper)) / 2.0);
  if (t >= upper) t = std::nextafter(upper, -INFINITY);
  return t;
}

Tree fit_tree(const TrainView& data, const std::vector<double>& weight, const TreeParams& params,
              Rng& rng, std::vector<double>& importance) {
  return Builder(data, weight, params, rng, importance).build();
}

}  // namespace tl::train
