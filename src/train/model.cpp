#include "train/model.hpp"

#include <algorithm>
#include <cmath>

namespace tl::train {

void Scaler::apply(const float* in, float* out) const {
  for (size_t i = 0; i < offset.size(); ++i) out[i] = (in[i] - offset[i]) * scale[i];
}

int Tree::predict(const float* x) const {
  const Node* n = &nodes[0];
  while (n->feature >= 0) {
    n = &nodes[size_t(x[n->feature] <= n->threshold ? n->left : n->right)];
  }
  return n->label;
}

int Tree::depth() const {
  std::vector<int> d(nodes.size(), 0);
  int deepest = 0;
  for (size_t i = 0; i < nodes.size(); ++i) {  // pre-order: children come after their parent
    deepest = std::max(deepest, d[i]);
    if (nodes[i].feature >= 0) {
      d[size_t(nodes[i].left)] = d[i] + 1;
      d[size_t(nodes[i].right)] = d[i] + 1;
    }
  }
  return deepest;
}

int Forest::predict(const float* x) const {
  std::vector<uint32_t> votes(n_classes, 0);
  for (const Tree& t : trees) ++votes[size_t(t.predict(x))];
  // max_element returns the first maximum: ties go to the lowest class index.
  return int(std::max_element(votes.begin(), votes.end()) - votes.begin());
}

float KMeansDetector::distance(const float* x, size_t k) const {
  const float* c = &centroids[k * dim];
  float acc = 0.0f;
  for (size_t i = 0; i < dim; ++i) {
    float d = x[i] - c[i];
    acc += d * d;
  }
  return std::sqrt(acc);
}

float KMeansDetector::score(const float* x) const {
  float best = INFINITY;
  for (size_t k = 0; k < radius.size(); ++k) {
    float s = distance(x, k) / radius[k];
    if (s < best) best = s;
  }
  return best;
}

Model::Output Model::evaluate(const float* features) const {
  std::vector<float> x(n_features());
  scaler.apply(features, x.data());
  return {forest.predict(x.data()), kmeans.score(x.data())};
}

}  // namespace tl::train
