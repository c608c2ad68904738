// The reference model: what the trainer produces and what model.json holds. Evaluation here is
// in float, operation for operation as the runtime and the generated C do, so the three agree
// bit for bit.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "ml/pipeline.hpp"

namespace tl::train {

using ml::ScalerKind;

// x' = (x - offset[i]) * scale[i], in float.
struct Scaler {
  ScalerKind kind = ScalerKind::none;
  std::vector<float> offset;
  std::vector<float> scale;

  void apply(const float* in, float* out) const;
};

struct Node {
  int32_t feature = -1;  // -1: leaf
  float threshold = 0.0f;  // go left when x[feature] <= threshold
  int32_t left = 0;
  int32_t right = 0;
  int32_t label = 0;  // class index of a leaf
};

struct Tree {
  std::vector<Node> nodes;  // pre-order: nodes[0] is the root, a left child follows its parent

  int predict(const float* x) const;
  int depth() const;
};

struct Forest {
  size_t n_classes = 0;
  std::vector<Tree> trees;
  std::vector<double> importance;  // mean decrease in impurity per feature, sums to 1

  // Majority vote, ties go to the lowest class index.
  int predict(const float* x) const;
};

struct KMeansDetector {
  size_t dim = 0;
  std::vector<float> centroids;  // k * dim
  std::vector<float> radius;     // k
  float threshold = 0.0f;        // score > threshold: anomaly

  size_t k() const { return radius.size(); }
  // ||x - c_k||, summed in feature order.
  float distance(const float* x, size_t k) const;
  // min_k ||x - c_k|| / radius_k, x already scaled.
  float score(const float* x) const;
};

// Everything a device needs: how to make features, and the models that use them.
struct Model {
  std::string name = "tinyloop";
  uint32_t version = 1;
  ml::Pipeline pipeline{};
  std::vector<std::string> labels;
  Scaler scaler;
  Forest forest;
  KMeansDetector kmeans;

  size_t n_features() const { return scaler.offset.size(); }
  // Scaler, forest and detector on one raw feature vector.
  struct Output {
    int predicted;
    float anomaly_score;
  };
  Output evaluate(const float* features) const;
};

}  // namespace tl::train
