// model.tlm: the model as the runtime's blob, built with the runtime's own packer and writer.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "ml/tree.hpp"
#include "train/model.hpp"

namespace tl::train {

// packed: the runtime's compact fixed-depth form; general: 8-byte nodes; best: packed when the
// forest can be packed (depth <= 8, <= 255 thresholds per feature), else general.
enum class TreeForm { best, packed, general };
TreeForm tree_form_from_name(const std::string& name);  // throws std::invalid_argument

// The forest in the runtime's general form: trees one after the other, pre-order, the right
// child as an absolute node index.
struct RuntimeForest {
  std::vector<ml::TreeNode> nodes;
  std::vector<uint16_t> roots;
  ml::Forest view;  // points into nodes/roots: do not copy a RuntimeForest, move it
};
void to_runtime_forest(const Forest& f, size_t n_features, RuntimeForest& out);

// Throws std::runtime_error with the runtime's error name when the model does not fit a blob
// (too many nodes, labels longer than 23 bytes...).
std::vector<uint8_t> make_blob(const Model& m, TreeForm form);

}  // namespace tl::train
