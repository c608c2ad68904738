// Test models shared by the ml tests: hand-built and random forests, k-means, a full spec.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "ml/blob.hpp"
#include "ml/crc32.hpp"
#include "ml/tree.hpp"

namespace tl::ml::test {

inline TreeNode leaf(std::uint8_t c) { return TreeNode{kLeaf, c, 0, 0.0f}; }
inline TreeNode split(std::uint8_t f, float t, std::uint16_t right) {
  return TreeNode{f, 0, right, t};
}

// A general forest that owns its arrays.
struct OwnedForest {
  std::vector<TreeNode> nodes;
  std::vector<std::uint16_t> roots;
  std::uint8_t classes = 0;
  std::uint8_t features = 0;

  Forest view() const {
    return Forest{nodes.data(), roots.data(), nodes.size(), roots.size(), classes, features};
  }
};

// Random tree of depth <= max_depth; thresholds drawn from a small grid so that many are shared
// and inputs can land exactly on them.
inline void random_subtree(std::mt19937& rng, OwnedForest& f, int depth, int max_depth) {
  std::uniform_int_distribution<int> coin(0, 3);
  if (depth == max_depth || (depth > 0 && coin(rng) == 0)) {
    f.nodes.push_back(leaf(static_cast<std::uint8_t>(rng() % f.classes)));
    return;
  }
  const std::size_t me = f.nodes.size();
  const auto feature = static_cast<std::uint8_t>(rng() % f.features);
  const float threshold = static_cast<float>(static_cast<int>(rng() % 21) - 10) * 0.125f;
  f.nodes.push_back(split(feature, threshold, 0));
  random_subtree(rng, f, depth + 1, max_depth);
  f.nodes[me].right = static_cast<std::uint16_t>(f.nodes.size());
  random_subtree(rng, f, depth + 1, max_depth);
}

inline OwnedForest random_forest(std::uint32_t seed, std::size_t trees, int max_depth,
                                 std::uint8_t classes, std::uint8_t features) {
  std::mt19937 rng(seed);
  OwnedForest f;
  f.classes = classes;
  f.features = features;
  for (std::size_t t = 0; t < trees; ++t) {
    f.roots.push_back(static_cast<std::uint16_t>(f.nodes.size()));
    random_subtree(rng, f, 0, max_depth);
  }
  return f;
}

// Recomputes the trailing CRC after a test edited the blob.
inline void fix_crc(std::vector<std::uint8_t>& blob) {
  const std::uint32_t total = static_cast<std::uint32_t>(blob[8]) |
                              (static_cast<std::uint32_t>(blob[9]) << 8) |
                              (static_cast<std::uint32_t>(blob[10]) << 16) |
                              (static_cast<std::uint32_t>(blob[11]) << 24);
  const std::uint32_t crc = crc32(blob.data(), total - 4);
  for (int i = 0; i < 4; ++i) blob[total - 4 + static_cast<std::uint32_t>(i)] = static_cast<std::uint8_t>(crc >> (8 * i));
}

inline std::vector<std::uint8_t> pack(const Forest& f) {
  std::vector<std::uint8_t> out(packed_forest_size(f));
  std::size_t written = 0;
  if (pack_forest(f, out.data(), out.size(), &written) != Error::ok) out.clear();
  return out;
}

}  // namespace tl::ml::test
