// Packed forest: complete trees of one depth D with implicit children (slot s has children 2s+1,
// 2s+2), 2-byte nodes {feature, threshold index} and a leaf bit stream. Exactness: a node compares
// x <= table[f][j]; with p_f = number of table[f] entries < x (computed once per input), that test
// is exactly j >= p_f, so evaluation compares bytes and the decisions equal the float compares.
#include <cmath>

#include "ml/le.hpp"
#include "ml/pipeline.hpp"
#include "ml/tree.hpp"

namespace tl::ml {

namespace {

constexpr std::size_t kHeader = 8;  // u8 depth, classes, features, leaf_bits; u16 trees, thresholds

struct Layout {
  std::size_t internal;  // nodes per tree, 2^D - 1
  std::size_t leaves;    // leaves per tree, 2^D
  std::size_t thresholds;
  std::size_t nodes;
  std::size_t leaf_bytes;
  std::size_t total;
};

std::uint8_t leaf_bits_for(std::size_t classes) { return classes <= 2 ? 1 : classes <= 4 ? 2 : 4; }

Layout layout(unsigned depth, std::size_t trees, std::size_t features, std::size_t thresholds,
              unsigned leaf_bits) {
  Layout l{};
  l.leaves = std::size_t{1} << depth;
  l.internal = l.leaves - 1;
  l.thresholds = kHeader + detail::align4(features);
  l.nodes = l.thresholds + 4 * thresholds;
  l.leaf_bytes = (trees * l.leaves * leaf_bits + 7) / 8;
  l.total = l.nodes + 2 * trees * l.internal + l.leaf_bytes;
  return l;
}

// ---- packing (host side, used by the trainer) ----

TreeNode node_at(const Forest& f, std::size_t i) { return detail::load_at<TreeNode>(f.nodes, i); }

// Depth of the subtree at node i, or kMaxPackedDepth + 1 once it is known to be too deep (the cap
// also bounds the recursion).
unsigned subtree_depth(const Forest& f, std::size_t i, unsigned level) {
  const TreeNode n = node_at(f, i);
  if (n.feature == kLeaf || level > kMaxPackedDepth) return level;
  const unsigned left = subtree_depth(f, i + 1, level + 1);
  const unsigned right = subtree_depth(f, n.right, level + 1);
  return left > right ? left : right;
}

unsigned forest_depth(const Forest& f) {
  unsigned depth = 0;
  for (std::size_t t = 0; t < f.tree_count; ++t) {
    const unsigned d = subtree_depth(f, detail::load_at<std::uint16_t>(f.roots, t), 0);
    depth = d > depth ? d : depth;
  }
  return depth;
}

// Is node i the first internal node with its (feature, threshold) pair? Counts distinct pairs
// without scratch memory.
bool first_of_its_pair(const Forest& f, std::size_t i) {
  const TreeNode n = node_at(f, i);
  if (n.feature == kLeaf) return false;
  for (std::size_t j = 0; j < i; ++j) {
    const TreeNode m = node_at(f, j);
    if (m.feature == n.feature && m.threshold == n.threshold) return false;
  }
  return true;
}

// Per-feature distinct threshold counts; false when one exceeds kMaxThresholdsPerFeature.
bool count_thresholds(const Forest& f, std::size_t* counts, std::size_t* total) {
  for (std::size_t c = 0; c < f.feature_count; ++c) counts[c] = 0;
  *total = 0;
  for (std::size_t i = 0; i < f.node_count; ++i) {
    if (!first_of_its_pair(f, i)) continue;
    const std::size_t c = ++counts[node_at(f, i).feature];
    ++*total;
    if (c > kMaxThresholdsPerFeature) return false;
  }
  return true;
}

// Position of the first entry >= v in table[0 .. n) (floats at unaligned bytes).
std::size_t lower_bound(const std::uint8_t* table, std::size_t n, float v) {
  std::size_t lo = 0;
  while (lo < n && detail::load_at<float>(table, lo) < v) ++lo;
  return lo;
}

// Inserts v into the sorted distinct table[0 .. *n) unless already present.
void insert_sorted(std::uint8_t* table, std::size_t* n, float v) {
  const std::size_t pos = lower_bound(table, *n, v);
  if (pos < *n && detail::load_at<float>(table, pos) == v) return;
  for (std::size_t k = *n; k > pos; --k) {
    detail::store(table + 4 * k, detail::load_at<float>(table, k - 1));
  }
  detail::store(table + 4 * pos, v);
  ++*n;
}

struct Packer {
  const Forest& f;
  unsigned depth;
  Layout l;
  unsigned leaf_bits;
  std::uint8_t* out;
  const std::size_t* counts;
  const std::size_t* starts;  // first table entry of each feature

  void write_tables() {
    for (std::size_t c = 0; c < f.feature_count; ++c) {
      std::uint8_t* table = out + l.thresholds + 4 * starts[c];
      std::size_t n = 0;
      for (std::size_t i = 0; i < f.node_count; ++i) {
        const TreeNode node = node_at(f, i);
        if (node.feature == c) insert_sorted(table, &n, node.threshold);
      }
    }
  }

  void write_node(std::size_t tree, std::size_t slot, std::size_t feature, std::size_t index) {
    const auto v = static_cast<std::uint16_t>(feature | (index << 8));
    detail::store(out + l.nodes + 2 * (tree * l.internal + slot), v);
  }

  void write_leaf(std::size_t tree, std::size_t leaf, unsigned label) {
    const std::size_t bit = (tree * l.leaves + leaf) * leaf_bits;
    out[l.nodes + 2 * f.tree_count * l.internal + bit / 8] |=
        static_cast<std::uint8_t>(label << (bit % 8));
  }

  // Fills slot `slot` (at `level`) of tree `tree` from general node i. A leaf above the last level
  // becomes an "always left" node (feature 0, index = count of feature 0) over copies of itself.
  void fill(std::size_t tree, std::size_t slot, std::size_t i, unsigned level) {
    const TreeNode n = node_at(f, i);
    if (level == depth) {
      write_leaf(tree, slot - l.internal, n.label);
      return;
    }
    if (n.feature == kLeaf) {
      write_node(tree, slot, 0, counts[0]);
      fill(tree, 2 * slot + 1, i, level + 1);
      fill(tree, 2 * slot + 2, i, level + 1);
      return;
    }
    const std::uint8_t* table = out + l.thresholds + 4 * starts[n.feature];
    write_node(tree, slot, n.feature, lower_bound(table, counts[n.feature], n.threshold));
    fill(tree, 2 * slot + 1, i + 1, level + 1);
    fill(tree, 2 * slot + 2, n.right, level + 1);
  }
};

// ---- evaluation ----

// rank[c] = number of thresholds of feature c strictly below x[c] (binary search).
void ranks(const PackedForest& f, const float* x, std::uint8_t* rank) {
  const std::uint8_t* table = f.thresholds;
  for (std::size_t c = 0; c < f.feature_count; ++c) {
    std::size_t lo = 0;
    std::size_t hi = f.counts[c];
    while (lo < hi) {
      const std::size_t mid = (lo + hi) / 2;
      if (detail::load_at<float>(table, mid) < x[c]) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    rank[c] = static_cast<std::uint8_t>(lo);
    table += 4 * std::size_t{f.counts[c]};
  }
}

unsigned leaf_class(const PackedForest& f, std::size_t bit) {
  const unsigned mask = (1u << f.leaf_bits) - 1u;
  return (static_cast<unsigned>(f.leaves[bit / 8]) >> (bit % 8)) & mask;
}

Error check_tables(const PackedForest& f) {
  std::size_t sum = 0;
  for (std::size_t c = 0; c < f.feature_count; ++c) sum += f.counts[c];
  if (sum != f.threshold_count) return Error::bad_model;
  const std::uint8_t* table = f.thresholds;
  for (std::size_t c = 0; c < f.feature_count; ++c) {
    for (std::size_t j = 0; j < f.counts[c]; ++j) {
      const float v = detail::load_at<float>(table, j);
      if (!std::isfinite(v)) return Error::bad_model;
      if (j > 0 && !(detail::load_at<float>(table, j - 1) < v)) return Error::bad_model;
    }
    table += 4 * std::size_t{f.counts[c]};
  }
  return Error::ok;
}

Error check_nodes_and_leaves(const PackedForest& f, const Layout& l) {
  for (std::size_t i = 0; i < f.tree_count * l.internal; ++i) {
    const auto v = detail::load_at<std::uint16_t>(f.nodes, i);
    const std::size_t feature = v & 0xFFu;
    if (feature >= f.feature_count || (v >> 8) > f.counts[feature]) return Error::bad_index;
  }
  for (std::size_t i = 0; i < f.tree_count * l.leaves; ++i) {
    if (leaf_class(f, i * f.leaf_bits) >= f.class_count) return Error::bad_index;
  }
  return Error::ok;
}

}  // namespace

std::size_t packed_forest_size(const Forest& f) {
  if (validate_forest(f) != Error::ok) return 0;
  std::size_t counts[kLeaf];
  std::size_t total = 0;
  const unsigned depth = forest_depth(f);
  if (depth > kMaxPackedDepth || !count_thresholds(f, counts, &total) || total > 0xFFFF ||
      f.tree_count > 0xFFFF) {
    return 0;
  }
  return layout(depth, f.tree_count, f.feature_count, total, leaf_bits_for(f.class_count)).total;
}

Error pack_forest(const Forest& f, std::uint8_t* out, std::size_t capacity, std::size_t* written) {
  if (out == nullptr || written == nullptr) return Error::bad_argument;
  if (const Error e = validate_forest(f); e != Error::ok) return e;
  std::size_t counts[kLeaf];
  std::size_t total = 0;
  const unsigned depth = forest_depth(f);
  if (depth > kMaxPackedDepth || !count_thresholds(f, counts, &total) || total > 0xFFFF ||
      f.tree_count > 0xFFFF) {
    return Error::too_large;
  }
  const unsigned bits = leaf_bits_for(f.class_count);
  const Layout l = layout(depth, f.tree_count, f.feature_count, total, bits);
  if (l.total > capacity) return Error::buffer_too_small;
  for (std::size_t i = 0; i < l.total; ++i) out[i] = 0;
  out[0] = static_cast<std::uint8_t>(depth);
  out[1] = f.class_count;
  out[2] = f.feature_count;
  out[3] = static_cast<std::uint8_t>(bits);
  detail::store(out + 4, static_cast<std::uint16_t>(f.tree_count));
  detail::store(out + 6, static_cast<std::uint16_t>(total));
  std::size_t starts[kLeaf];
  std::size_t start = 0;
  for (std::size_t c = 0; c < f.feature_count; ++c) {
    out[kHeader + c] = static_cast<std::uint8_t>(counts[c]);
    starts[c] = start;
    start += counts[c];
  }
  Packer p{f, depth, l, bits, out, counts, starts};
  p.write_tables();
  for (std::size_t t = 0; t < f.tree_count; ++t) {
    p.fill(t, 0, detail::load_at<std::uint16_t>(f.roots, t), 0);
  }
  *written = l.total;
  return Error::ok;
}

Error open_packed_forest(const std::uint8_t* data, std::size_t size, PackedForest* out) {
  if (data == nullptr || out == nullptr) return Error::bad_argument;
  if (size < kHeader) return Error::truncated;
  PackedForest f;
  f.depth = data[0];
  f.class_count = data[1];
  f.feature_count = data[2];
  f.leaf_bits = data[3];
  f.tree_count = detail::load<std::uint16_t>(data + 4);
  f.threshold_count = detail::load<std::uint16_t>(data + 6);
  if (f.depth > kMaxPackedDepth || f.class_count > kMaxClasses || f.feature_count > kMaxFeatures) {
    return Error::too_large;
  }
  if (f.class_count == 0 || f.feature_count == 0 || f.tree_count == 0 ||
      f.leaf_bits != leaf_bits_for(f.class_count)) {
    return Error::bad_model;
  }
  const Layout l = layout(f.depth, f.tree_count, f.feature_count, f.threshold_count, f.leaf_bits);
  if (size < l.total) return Error::truncated;
  if (size > l.total) return Error::bad_model;
  f.counts = data + kHeader;
  f.thresholds = data + l.thresholds;
  f.nodes = data + l.nodes;
  f.leaves = data + l.nodes + 2 * f.tree_count * l.internal;
  if (const Error e = check_tables(f); e != Error::ok) return e;
  if (const Error e = check_nodes_and_leaves(f, l); e != Error::ok) return e;
  *out = f;
  return Error::ok;
}

void packed_forest_votes(const PackedForest& f, const float* x, std::uint16_t* votes) {
  std::uint8_t rank[kMaxFeatures];
  ranks(f, x, rank);
  for (std::size_t c = 0; c < f.class_count; ++c) votes[c] = 0;
  const std::size_t internal = (std::size_t{1} << f.depth) - 1;
  const std::uint8_t* nodes = f.nodes;
  std::size_t bit = 0;
  for (std::size_t t = 0; t < f.tree_count; ++t) {
    std::size_t slot = 0;
    for (unsigned level = 0; level < f.depth; ++level) {
      const auto v = detail::load_at<std::uint16_t>(nodes, slot);
      // Left (2s+1) when x <= table[j], i.e. j >= rank; right (2s+2) otherwise.
      slot = 2 * slot + ((v >> 8) >= rank[v & 0xFFu] ? 1u : 2u);
    }
    ++votes[leaf_class(f, bit + (slot - internal) * f.leaf_bits)];
    nodes += 2 * internal;
    bit += (internal + 1) * f.leaf_bits;
  }
}

int packed_forest_predict(const PackedForest& f, const float* x) {
  std::uint16_t votes[kMaxClasses];
  packed_forest_votes(f, x, votes);
  return argmax_votes(votes, f.class_count);
}

}  // namespace tl::ml
