#include "ml/tree.hpp"

#include <cmath>

#include "ml/le.hpp"

namespace tl::ml {

namespace {

TreeNode node_at(const Forest& f, std::size_t i) { return detail::load_at<TreeNode>(f.nodes, i); }

std::size_t root_at(const Forest& f, std::size_t t) {
  return detail::load_at<std::uint16_t>(f.roots, t);
}

std::size_t tree_end(const Forest& f, std::size_t t) {
  return t + 1 < f.tree_count ? root_at(f, t + 1) : f.node_count;
}

Error validate_node(const Forest& f, std::size_t i, std::size_t end) {
  const TreeNode n = node_at(f, i);
  if (n.feature == kLeaf) return n.label < f.class_count ? Error::ok : Error::bad_index;
  if (n.feature >= f.feature_count) return Error::bad_index;
  // Left is i + 1, right strictly after it: every step moves forward inside the tree.
  if (i + 1 >= end || n.right <= i + 1 || n.right >= end) return Error::bad_index;
  return std::isfinite(n.threshold) ? Error::ok : Error::bad_model;
}

}  // namespace

Error validate_forest(const Forest& f) {
  if (f.nodes == nullptr || f.roots == nullptr || f.node_count == 0 || f.tree_count == 0 ||
      f.class_count == 0 || f.feature_count == 0) {
    return Error::bad_argument;
  }
  if (f.node_count > kMaxTreeNodes || f.tree_count > f.node_count || f.class_count > kMaxClasses ||
      f.feature_count == kLeaf) {
    return Error::too_large;
  }
  if (root_at(f, 0) != 0) return Error::bad_index;
  for (std::size_t t = 0; t < f.tree_count; ++t) {
    const std::size_t begin = root_at(f, t);
    const std::size_t end = tree_end(f, t);
    if (begin >= end) return Error::bad_index;  // empty tree or roots not ascending
    for (std::size_t i = begin; i < end; ++i) {
      if (const Error e = validate_node(f, i, end); e != Error::ok) return e;
    }
  }
  return Error::ok;
}

int predict_tree(const Forest& f, std::size_t t, const float* x) {
  std::size_t i = root_at(f, t);
  for (;;) {
    const TreeNode n = node_at(f, i);
    if (n.feature == kLeaf) return n.label;
    i = x[n.feature] <= n.threshold ? i + 1 : n.right;
  }
}

void forest_votes(const Forest& f, const float* x, std::uint16_t* votes) {
  for (std::size_t c = 0; c < f.class_count; ++c) votes[c] = 0;
  for (std::size_t t = 0; t < f.tree_count; ++t) ++votes[predict_tree(f, t, x)];
}

int forest_predict(const Forest& f, const float* x) {
  std::uint16_t votes[kMaxClasses];
  forest_votes(f, x, votes);
  return argmax_votes(votes, f.class_count);
}

int argmax_votes(const std::uint16_t* votes, std::size_t count) {
  int best = count > 0 ? 0 : -1;
  for (std::size_t c = 1; c < count; ++c) {
    if (votes[c] > votes[best]) best = static_cast<int>(c);
  }
  return best;
}

}  // namespace tl::ml
