// Decision trees and random forests, in two encodings with identical decisions:
//
// 1. General form (any shape, what a CART trainer produces): a flat array of 8-byte TreeNode.
//    Trees are stored one after the other; tree t occupies nodes [roots[t], roots[t + 1]) (the last
//    one ends at node_count); roots[0] == 0 and roots ascend. An internal node sends x to the left
//    child (always the NEXT node, index i + 1) when x[feature] <= threshold, else to `right`
//    (absolute index in the node array, i + 1 < right < end of its tree). Children always point
//    forward, so evaluation terminates. A leaf has feature == kLeaf and holds its class in `label`.
//
// 2. Packed form (pack_forest): complete trees of one fixed depth D <= kMaxPackedDepth with
//    implicit children, one byte per node (an index into the forest's per-feature sorted
//    threshold tables) and one byte per leaf. 100 trees of depth 3 take 1,500 B + 4 B per distinct
//    threshold. The byte layout is private to this runtime (see src/ml/README.md); callers only
//    need pack_forest / open_packed_forest / packed_forest_votes.
//
// Forest output: votes[c] = number of trees whose leaf is class c; predicted class = argmax of the
// votes, ties to the lowest class index.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ml/error.hpp"

namespace tl::ml {

inline constexpr std::size_t kMaxClasses = 16;
inline constexpr std::uint8_t kLeaf = 0xFF;          // TreeNode::feature of a leaf
inline constexpr std::size_t kMaxTreeNodes = 65535;  // right child is a uint16
inline constexpr unsigned kMaxPackedDepth = 8;       // packed trees: 255 nodes + 256 leaves each
inline constexpr std::size_t kMaxPackedThresholds = 255;  // packed: distinct thresholds in total

// 8 bytes, little-endian, no padding: exactly its blob encoding.
struct TreeNode {
  std::uint8_t feature = kLeaf;  // feature index, or kLeaf
  std::uint8_t label = 0;        // leaf: class index (< class_count); internal: 0
  std::uint16_t right = 0;       // internal: absolute index of the right child; leaf: 0
  float threshold = 0.0f;        // internal: go left when x[feature] <= threshold; leaf: 0
};
static_assert(sizeof(TreeNode) == 8);

// A general forest. `nodes` points to node_count TreeNode records and `roots` to tree_count
// uint16 root indices; both may be unaligned (blob bytes), a TreeNode[] / uint16_t[] converts
// implicitly.
struct Forest {
  const void* nodes = nullptr;
  const void* roots = nullptr;
  std::size_t node_count = 0;
  std::size_t tree_count = 0;
  std::uint8_t class_count = 0;    // 1 .. kMaxClasses
  std::uint8_t feature_count = 0;  // model input length; every feature index is < this
};

// Structural check of a general forest: counts within limits, roots ascending from 0, every
// internal node with feature < feature_count, finite threshold and children forward inside its
// tree; every leaf class < class_count. Error::ok, bad_argument, too_large, bad_index, bad_model.
Error validate_forest(const Forest& f);

// Class of tree t for input x (the forest must be valid; t < tree_count).
int predict_tree(const Forest& f, std::size_t t, const float* x);

// votes[0 .. class_count) = number of trees voting for each class.
void forest_votes(const Forest& f, const float* x, std::uint16_t* votes);

// argmax of forest_votes, ties to the lowest class index.
int forest_predict(const Forest& f, const float* x);

// argmax helper shared by both encodings (ties to the lowest index); -1 when count == 0.
int argmax_votes(const std::uint16_t* votes, std::size_t count);

// A packed forest, as parsed by open_packed_forest (pointers into the packed bytes).
struct PackedForest {
  std::uint8_t depth = 0;
  std::uint8_t class_count = 0;
  std::uint8_t feature_count = 0;
  std::uint16_t tree_count = 0;
  std::uint16_t threshold_count = 0;
  const std::uint8_t* counts = nullptr;      // thresholds per feature [feature_count]
  const std::uint8_t* thresholds = nullptr;  // int32 order keys [threshold_count], per feature ascending
  const std::uint8_t* trees = nullptr;       // one heap of tree_count roots, (2^(depth+1) - 1) * trees bytes
};

// Bytes pack_forest will write for f (0 when f is invalid or cannot be packed). Host helper.
std::size_t packed_forest_size(const Forest& f);

// Packs a valid general forest into out[0 .. capacity): trees padded to the depth of the deepest
// tree (a shallow leaf is replicated under "always left" nodes, so every decision is unchanged).
// *written = bytes used. Errors: those of validate_forest; too_large (depth > kMaxPackedDepth,
// more than kMaxPackedThresholds distinct (feature, threshold) pairs, > 65535 trees);
// buffer_too_small. No heap; O(nodes * distinct thresholds) time: meant for the trainer.
Error pack_forest(const Forest& f, std::uint8_t* out, std::size_t capacity, std::size_t* written);

// Validates packed bytes (sizes, thresholds finite and strictly ascending per feature, every node
// a threshold index <= threshold_count, every leaf class < class_count) and fills *out. Errors: bad_argument, truncated, too_large, bad_index, bad_model.
// The bytes may be unaligned and must outlive *out.
Error open_packed_forest(const std::uint8_t* data, std::size_t size, PackedForest* out);

// votes[0 .. class_count) for input x (x has feature_count entries, finite).
void packed_forest_votes(const PackedForest& f, const float* x, std::uint16_t* votes);

// argmax of packed_forest_votes, ties to the lowest class index.
int packed_forest_predict(const PackedForest& f, const float* x);

}  // namespace tl::ml
