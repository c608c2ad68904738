#include "train/evaluation.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "train/rng.hpp"

namespace tl::train {
namespace {

void shuffle(std::vector<size_t>& v, Rng& rng) {
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.below(i)]);
}

}  // namespace

FoldAssignment stratified_folds(const std::vector<int>& y, size_t n_classes, size_t k,
                                uint64_t seed) {
  if (k < 2) throw std::invalid_argument("cross-validation needs at least 2 folds");
  Rng rng = Rng::stream(seed, 0x666f6c64);
  FoldAssignment fold(y.size(), -1);
  size_t next = 0;  // continues across classes, so small classes do not all start in fold 0
  for (size_t c = 0; c < n_classes; ++c) {
    std::vector<size_t> rows;
    for (size_t i = 0; i < y.size(); ++i) {
      if (size_t(y[i]) == c) rows.push_back(i);
    }
    if (rows.size() < k) {
      throw std::invalid_argument("class " + std::to_string(c) + " has " +
                                  std::to_string(rows.size()) + " rows, fewer than the " +
                                  std::to_string(k) + " folds");
    }
    shuffle(rows, rng);
    for (size_t r : rows) fold[r] = int(next++ % k);
  }
  return fold;
}

FoldAssignment group_folds(const std::vector<int>& y, const std::vector<int>& group,
                           size_t n_classes, size_t k, uint64_t seed) {
  if (k < 2) throw std::invalid_argument("cross-validation needs at least 2 folds");
  std::map<int, int> class_of;  // group -> class of its first row
  for (size_t i = 0; i < y.size(); ++i) class_of.emplace(group[i], y[i]);
  if (class_of.size() < k) {
    throw std::invalid_argument(std::to_string(class_of.size()) + " recordings, fewer than the " +
                                std::to_string(k) + " folds of the group split");
  }
  Rng rng = Rng::stream(seed, 0x67726f7570);
  std::map<int, int> fold_of;
  size_t next = 0;
  for (size_t c = 0; c < n_classes; ++c) {
    std::vector<size_t> groups;
    for (auto [g, gc] : class_of) {
      if (size_t(gc) == c) groups.push_back(size_t(g));
    }
    shuffle(groups, rng);
    for (size_t g : groups) fold_of[int(g)] = int(next++ % k);
  }
  FoldAssignment fold(y.size());
  for (size_t i = 0; i < y.size(); ++i) fold[i] = fold_of[group[i]];
  return fold;
}

Metrics compute_metrics(const std::vector<int>& truth, const std::vector<int>& predicted,
                        size_t n_classes) {
  Metrics m;
  m.confusion.assign(n_classes, std::vector<size_t>(n_classes, 0));
  size_t correct = 0;
  for (size_t i = 0; i < truth.size(); ++i) {
    ++m.confusion[size_t(truth[i])][size_t(predicted[i])];
    correct += truth[i] == predicted[i];
  }
  m.accuracy = truth.empty() ? 0.0 : double(correct) / double(truth.size());
  for (size_t c = 0; c < n_classes; ++c) {
    size_t tp = m.confusion[c][c], col = 0, row = 0;
    for (size_t o = 0; o < n_classes; ++o) {
      col += m.confusion[o][c];
      row += m.confusion[c][o];
    }
    ClassMetrics cm;
    cm.support = row;
    cm.precision = col ? double(tp) / double(col) : 0.0;
    cm.recall = row ? double(tp) / double(row) : 0.0;
    double s = cm.precision + cm.recall;
    cm.f1 = s > 0 ? 2 * cm.precision * cm.recall / s : 0.0;
    m.per_class.push_back(cm);
  }
  return m;
}

}  // namespace tl::train
