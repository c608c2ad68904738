// Packed forest: complete trees of one depth D, each a record of 2^(D+1) bytes indexed like a
// 1-based heap: byte s in [1, 2^D) is a node, its children are 2s (left) and 2s+1 (right); bytes
// [2^D, 2^(D+1)) are the leaves' classes; byte 0 is 0. A node holds a global threshold index g
// (the per-feature sorted tables laid end to end), or g = threshold_count for "always left".
// Exactness: per input, right[g] = (table[g] < x[feature of g]) -- i.e. NOT (x <= table[g]) --
// is filled from one binary search per feature; then each level is s = 2s + right[node[s]]:
// two byte loads and an add, with decisions equal to the float compares of the general form.
#include <cmath>
#include <cstring>

#include "ml/le.hpp"
#include "ml/pipeline.hpp"
#include "ml/tree.hpp"

namespace tl::ml {

namespace {

constexpr std::size_t kHeader = 8;  // u8 depth, classes, features, 0; u16 trees, thresholds

struct Layout {
  std::size_t record;      // bytes per tree, 2^(D+1)
  std::size_t thresholds;  // offset of the float table
  std::size_t trees;       // offset of the tree records
  std::size_t total;
};

Layout layout(unsigned depth, std::size_t trees, std::size_t features, std::size_t thresholds) {
  Layout l{};
  l.record = std::size_t{2} << depth;
  l.thresholds = kHeader + detail::align4(features);
  l.trees = l.thresholds + 4 * thresholds;
  l.total = l.trees + l.record * trees;
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

// Per-feature distinct threshold counts and their total; false past kMaxPackedThresholds.
bool count_thresholds(const Forest& f, std::size_t* counts, std::size_t* total) {
  for (std::size_t c = 0; c < f.feature_count; ++c) counts[c] = 0;
  *total = 0;
  for (std::size_t i = 0; i < f.node_count && *total <= kMaxPackedThresholds; ++i) {
    if (!first_of_its_pair(f, i)) continue;
    ++counts[node_at(f, i).feature];
    ++*total;
  }
  return *total <= kMaxPackedThresholds && f.tree_count <= 0xFFFF;
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
  std::uint8_t* out;
  const std::size_t* counts;
  const std::size_t* starts;  // global index of each feature's first threshold
  std::size_t always_left;    // the global index that never goes right

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

  // Fills heap slot s (at `level`) of the tree record from general node i. A leaf above the last
  // level becomes an "always left" node over copies of itself.
  void fill(std::uint8_t* record, std::size_t s, std::size_t i, unsigned level) {
    const TreeNode n = node_at(f, i);
    if (level == depth) {
      record[s] = n.label;
      return;
    }
    if (n.feature == kLeaf) {
      record[s] = static_cast<std::uint8_t>(always_left);
      fill(record, 2 * s, i, level + 1);
      fill(record, 2 * s + 1, i, level + 1);
      return;
    }
    const std::uint8_t* table = out + l.thresholds + 4 * starts[n.feature];
    record[s] = static_cast<std::uint8_t>(starts[n.feature] +
                                          lower_bound(table, counts[n.feature], n.threshold));
    fill(record, 2 * s, i + 1, level + 1);
    fill(record, 2 * s + 1, n.right, level + 1);
  }
};

// ---- evaluation ----

// Exact float order with integer compares, for finite floats: with m = key_mask(x),
// t < x  <=>  (bits(t) ^ m) < (bits(x) ^ m)  as unsigned. For x >= +0 the xor with the sign bit
// gives the signed order of the raw bits (negative t below every positive x). For x <= -0 the
// xor with ~0 compares magnitudes reversed, and every t >= +0 stays above. x = +0 is taken as -0
// (which compares the same), so t = -0 is not taken as below +0.
struct Key {
  std::uint32_t mask;
  std::uint32_t x;
};

Key key_of(float x) {
  std::uint32_t b = detail::load<std::uint32_t>(&x);
  if (b == 0) b = 0x80000000u;
  const std::uint32_t mask = (b >> 31) != 0 ? ~0u : 0x80000000u;
  return Key{mask, b ^ mask};
}

// Number of entries of the ascending table[0 .. n) that are < x, by binary search. Invariant:
// the entries before base are < x, and the first entry >= x lies in [base, base + n]. Probing
// base[half] and keeping [base + half, base + n) or [base, base + n - half) shrinks n to
// n - n/2 either way (one compare, a conditional add); the last entry is settled apart.
std::size_t rank(const std::uint8_t* table, std::size_t n, Key k) {
  if (n == 0) return 0;
  const std::uint8_t* base = table;
  std::size_t half = n / 2;
  if (half != 0) {
    do {  // bottom-tested: -Os would otherwise test at the top and jump back
      if ((detail::load_at<std::uint32_t>(base, half) ^ k.mask) < k.x) base += 4 * half;
      n -= half;
      half = n / 2;
    } while (half != 0);
  }
  const bool below = (detail::load<std::uint32_t>(base) ^ k.mask) < k.x;
  return static_cast<std::size_t>(base - table) / 4 + (below ? 1 : 0);
}

// Writes the word v at p, p + 4, ... while p < end (unaligned word stores are legal on ARMv7-M).
// The last word may run up to 3 bytes past end.
void fill_words(std::uint8_t* p, const std::uint8_t* end, std::uint32_t v) {
  if (p >= end) return;
  do {  // bottom-tested, as in rank()
    std::memcpy(p, &v, 4);
    p += 4;
  } while (p < end);
}

// right[g] = 1 when x goes right at global threshold g; right[threshold_count] = 0 (always left).
// Each feature's run is "rank ones, then zeros": ones from the start, then zeros from the rank on
// (overwriting the ones' spill). Spill past the run is rewritten by the next run, or lands in the
// buffer's slack past threshold_count, which is then reset.
void fill_right(const PackedForest& f, const float* x, std::uint8_t* right) {
  const std::uint8_t* table = f.thresholds;
  std::uint8_t* out = right;
  for (std::size_t c = 0; c < f.feature_count; ++c) {
    const std::size_t n = f.counts[c];
    std::uint8_t* const split = out + rank(table, n, key_of(x[c]));
    fill_words(out, split, 0x01010101u);
    out += n;
    fill_words(split, out, 0);
    table += 4 * n;
  }
  *out = 0;
}

// One tree of depth Depth: s walks the heap, s = 2s + right[node] per level; its leaf votes.
template <unsigned Depth>
[[gnu::always_inline]] inline void tree_vote(const std::uint8_t* tree, const std::uint8_t* right, std::uint16_t* votes) {
  std::size_t s = 1;
#pragma GCC unroll 8
  for (unsigned level = Depth; level > 0; --level) s = 2 * s + right[tree[s]];
  ++votes[tree[s]];
}

// Two trees per iteration halve the loop overhead (an odd count starts with a single tree).
template <unsigned Depth>
void tree_votes(const std::uint8_t* tree, const std::uint8_t* end, const std::uint8_t* right,
                std::uint16_t* votes) {
  constexpr std::size_t kRecord = std::size_t{2} << Depth;
  if ((static_cast<std::size_t>(end - tree) / kRecord) % 2 != 0) {
    tree_vote<Depth>(tree, right, votes);
    tree += kRecord;
  }
  for (; tree != end; tree += 2 * kRecord) {
    tree_vote<Depth>(tree, right, votes);
    tree_vote<Depth>(tree + kRecord, right, votes);
  }
}

// Depth 3 (the paper's forests) gets a fully unrolled loop; other depths share one loop with a
// level counter (about 2 more instructions per level), which keeps the code small.
void any_depth_votes(const PackedForest& f, const std::uint8_t* right, std::uint16_t* votes) {
  const std::uint8_t* tree = f.trees;
  const std::uint8_t* end = tree + (std::size_t{2} << f.depth) * f.tree_count;
  if (f.depth == 3) return tree_votes<3>(tree, end, right, votes);
  for (; tree != end; tree += std::size_t{2} << f.depth) {
    std::size_t s = 1;
    for (unsigned level = f.depth; level > 0; --level) s = 2 * s + right[tree[s]];
    ++votes[tree[s]];
  }
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

Error check_trees(const PackedForest& f, const Layout& l) {
  const std::size_t leaves = l.record / 2;
  for (std::size_t t = 0; t < f.tree_count; ++t) {
    const std::uint8_t* record = f.trees + t * l.record;
    if (record[0] != 0) return Error::bad_model;
    for (std::size_t s = 1; s < leaves; ++s) {
      if (record[s] > f.threshold_count) return Error::bad_index;
    }
    for (std::size_t s = leaves; s < l.record; ++s) {
      if (record[s] >= f.class_count) return Error::bad_index;
    }
  }
  return Error::ok;
}

}  // namespace

std::size_t packed_forest_size(const Forest& f) {
  if (validate_forest(f) != Error::ok) return 0;
  std::size_t counts[kLeaf];
  std::size_t total = 0;
  const unsigned depth = forest_depth(f);
  if (depth > kMaxPackedDepth || !count_thresholds(f, counts, &total)) return 0;
  return layout(depth, f.tree_count, f.feature_count, total).total;
}

Error pack_forest(const Forest& f, std::uint8_t* out, std::size_t capacity, std::size_t* written) {
  if (out == nullptr || written == nullptr) return Error::bad_argument;
  if (const Error e = validate_forest(f); e != Error::ok) return e;
  std::size_t counts[kLeaf];
  std::size_t total = 0;
  const unsigned depth = forest_depth(f);
  if (depth > kMaxPackedDepth || !count_thresholds(f, counts, &total)) return Error::too_large;
  const Layout l = layout(depth, f.tree_count, f.feature_count, total);
  if (l.total > capacity) return Error::buffer_too_small;
  std::memset(out, 0, l.total);
  out[0] = static_cast<std::uint8_t>(depth);
  out[1] = f.class_count;
  out[2] = f.feature_count;
  detail::store(out + 4, static_cast<std::uint16_t>(f.tree_count));
  detail::store(out + 6, static_cast<std::uint16_t>(total));
  std::size_t starts[kLeaf];
  std::size_t start = 0;
  for (std::size_t c = 0; c < f.feature_count; ++c) {
    out[kHeader + c] = static_cast<std::uint8_t>(counts[c]);
    starts[c] = start;
    start += counts[c];
  }
  Packer p{f, depth, l, out, counts, starts, total};
  p.write_tables();
  for (std::size_t t = 0; t < f.tree_count; ++t) {
    p.fill(out + l.trees + t * l.record, 1, detail::load_at<std::uint16_t>(f.roots, t), 0);
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
  f.tree_count = detail::load<std::uint16_t>(data + 4);
  f.threshold_count = detail::load<std::uint16_t>(data + 6);
  if (f.depth > kMaxPackedDepth || f.class_count > kMaxClasses || f.feature_count > kMaxFeatures ||
      f.threshold_count > kMaxPackedThresholds) {
    return Error::too_large;
  }
  if (f.class_count == 0 || f.feature_count == 0 || f.tree_count == 0 || data[3] != 0) {
    return Error::bad_model;
  }
  const Layout l = layout(f.depth, f.tree_count, f.feature_count, f.threshold_count);
  if (size < l.total) return Error::truncated;
  if (size > l.total) return Error::bad_model;
  f.counts = data + kHeader;
  f.thresholds = data + l.thresholds;
  f.trees = data + l.trees;
  if (const Error e = check_tables(f); e != Error::ok) return e;
  if (const Error e = check_trees(f, l); e != Error::ok) return e;
  *out = f;
  return Error::ok;
}

void packed_forest_votes(const PackedForest& f, const float* x, std::uint16_t* votes) {
  std::uint8_t right[kMaxPackedThresholds + 4];
  fill_right(f, x, right);
  for (std::size_t c = 0; c < f.class_count; ++c) votes[c] = 0;
  any_depth_votes(f, right, votes);
}

int packed_forest_predict(const PackedForest& f, const float* x) {
  std::uint16_t votes[kMaxClasses];
  packed_forest_votes(f, x, votes);
  return argmax_votes(votes, f.class_count);
}

}  // namespace tl::ml
