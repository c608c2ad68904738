// Packed forest: complete trees of one depth D. The T trees form one heap with T roots: index s
// in [T, 2^(D+1) T) has children 2s (left) and 2s + 1 (right); tree t's root is T + t, level L
// holds [T 2^L, T 2^(L+1)) and the leaves are [T 2^D, T 2^(D+1)). The record stores byte s at
// s - T. A node holds a global threshold index g (the per-feature sorted tables laid end to
// end), or g = threshold_count for "always left"; a leaf holds 8 * class.
// Exactness: per input, right[g] = (table[g] < x[feature of g]) -- i.e. NOT (x <= table[g]) --
// is filled from one rank per feature (the tables hold order keys, compared as int32); then
// each level is s = 2s + right[node[s]]: two byte loads and an add, with decisions equal to the
// float compares of the general form.
#include <bit>
#include <cmath>
#include <cstring>

#include "ml/le.hpp"
#include "ml/pipeline.hpp"
#include "ml/tree.hpp"

namespace tl::ml {

namespace {

constexpr std::size_t kHeader = 8;  // u8 depth, classes, features, 0; u16 trees, thresholds

struct Layout {
  std::size_t heap;        // heap indices end: 2^(D+1) * T (the record holds [T, heap))
  std::size_t leaves;      // first leaf index: 2^D * T
  std::size_t thresholds;  // offset of the key table
  std::size_t trees;       // offset of the tree record
  std::size_t total;
};

Layout layout(unsigned depth, std::size_t trees, std::size_t features, std::size_t thresholds) {
  Layout l{};
  l.leaves = trees << depth;
  l.heap = 2 * l.leaves;
  l.thresholds = kHeader + detail::align4(features);
  l.trees = l.thresholds + 4 * thresholds;
  l.total = l.trees + l.heap - trees;
  return l;
}

// Order keys: for finite floats other than -0, a < b iff key(a) < key(b) as int32. Positive
// floats keep their bits; negative ones flip the magnitude bits, so a larger magnitude gives a
// smaller key. -0 gets key -1, just below +0 (key 0); tables never hold it (the packer stores
// +0 for a -0 threshold, an equal one), so an input -0 compares as +0 against every entry.
// The map is its own inverse.
using Key = std::int32_t;

inline Key order_key(std::uint32_t bits) {
  return static_cast<Key>(bits ^ (static_cast<std::uint32_t>(static_cast<Key>(bits) >> 31) >> 1));
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

  // Fills heap index s (at `level`, stored at record[s - T]) from general node i. A leaf above
  // the last level becomes an "always left" node over copies of itself.
  void fill(std::uint8_t* record, std::size_t s, std::size_t i, unsigned level) {
    const TreeNode n = node_at(f, i);
    std::uint8_t& byte = record[s - f.tree_count];
    if (level == depth) {
      byte = static_cast<std::uint8_t>(8 * n.label);
      return;
    }
    if (n.feature == kLeaf) {
      byte = static_cast<std::uint8_t>(always_left);
      fill(record, 2 * s, i, level + 1);
      fill(record, 2 * s + 1, i, level + 1);
      return;
    }
    const std::uint8_t* table = out + l.thresholds + 4 * starts[n.feature];
    byte = static_cast<std::uint8_t>(starts[n.feature] +
                                     lower_bound(table, counts[n.feature], n.threshold));
    fill(record, 2 * s, i + 1, level + 1);
    fill(record, 2 * s + 1, n.right, level + 1);
  }

  // The float tables become order keys; a -0 threshold (equal to +0) is stored as +0.
  void write_keys() {
    for (std::size_t g = 0; g < always_left; ++g) {
      std::uint8_t* p = out + l.thresholds + 4 * g;
      const Key k = order_key(detail::load<std::uint32_t>(p));
      detail::store(p, k == -1 ? Key{0} : k);
    }
  }
};

// ---- evaluation ----

// Number of keys of the ascending table[0 .. n) below k (n <= 255). With 2^j <= n + 1 < 2^(j+1),
// one probe at n - 2^j leaves 2^j candidate answers [i, i + 2^j); then probes at the constant
// steps 2^(j-1) .. 1 (entered by a switch) halve them: 4 instructions a step, no loop counter.
template <std::size_t Step>
[[gnu::always_inline]] inline void probe(const std::uint8_t*& p, Key k) {
  if (detail::load_at<Key>(p, Step - 1) < k) p += 4 * Step;
}

std::size_t rank(const std::uint8_t* table, std::size_t n, Key k) {
  const unsigned j = static_cast<unsigned>(std::bit_width(n + 1)) - 1;
  const std::size_t extra = n + 1 - (std::size_t{1} << j);
  const std::uint8_t* p = table;
  if (extra != 0 && detail::load_at<Key>(p, extra - 1) < k) p += 4 * extra;
  switch (j) {
    case 8: probe<128>(p, k); [[fallthrough]];
    case 7: probe<64>(p, k); [[fallthrough]];
    case 6: probe<32>(p, k); [[fallthrough]];
    case 5: probe<16>(p, k); [[fallthrough]];
    case 4: probe<8>(p, k); [[fallthrough]];
    case 3: probe<4>(p, k); [[fallthrough]];
    case 2: probe<2>(p, k); [[fallthrough]];
    case 1: probe<1>(p, k); [[fallthrough]];
    default: break;
  }
  return static_cast<std::size_t>(p - table) / 4;
}

// Writes the word v at p, p + 4, ... while p < end (unaligned word stores are legal on ARMv7-M).
// The last word may run up to 3 bytes past end.
void fill_words(std::uint8_t* p, const std::uint8_t* end, std::uint32_t v) {
  if (p >= end) return;
  do {  // bottom-tested: -Os would otherwise test at the top and jump back
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
    std::uint8_t* const split = out + rank(table, n, order_key(detail::load<std::uint32_t>(x + c)));
    fill_words(out, split, 0x01010101u);
    out += n;
    fill_words(split, out, 0);
    table += 4 * n;
  }
  *out = 0;
}

// The heap walk of one depth-3 tree from root s; the vote as a byte-lane increment (leaf = 8c).
[[gnu::always_inline]] inline std::uint32_t vote3(const std::uint8_t* heap, const std::uint8_t* right,
                                                  std::size_t s) {
  s = 2 * s + right[heap[s]];
  s = 2 * s + right[heap[s]];
  s = 2 * s + right[heap[s]];
  return std::uint32_t{1} << heap[s];
}

Error check_tables(const PackedForest& f) {
  std::size_t sum = 0;
  for (std::size_t c = 0; c < f.feature_count; ++c) sum += f.counts[c];
  if (sum != f.threshold_count) return Error::bad_model;
  const std::uint8_t* table = f.thresholds;
  for (std::size_t c = 0; c < f.feature_count; ++c) {
    for (std::size_t j = 0; j < f.counts[c]; ++j) {
      const Key k = detail::load_at<Key>(table, j);
      const std::uint32_t bits = static_cast<std::uint32_t>(order_key(static_cast<std::uint32_t>(k)));
      if (k == -1 || !std::isfinite(detail::load<float>(&bits))) return Error::bad_model;  // -0
      if (j > 0 && !(detail::load_at<Key>(table, j - 1) < k)) return Error::bad_model;
    }
    table += 4 * std::size_t{f.counts[c]};
  }
  return Error::ok;
}

Error check_trees(const PackedForest& f, const Layout& l) {
  const std::size_t t = f.tree_count;
  for (std::size_t s = t; s < l.leaves; ++s) {
    if (f.trees[s - t] > f.threshold_count) return Error::bad_index;
  }
  for (std::size_t s = l.leaves; s < l.heap; ++s) {
    const unsigned leaf = f.trees[s - t];
    if (leaf % 8 != 0 || leaf / 8 >= f.class_count) return Error::bad_index;
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
    p.fill(out + l.trees, f.tree_count + t, detail::load_at<std::uint16_t>(f.roots, t), 0);
  }
  p.write_keys();
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
  const std::size_t trees = f.tree_count;
  // heap index s is at heap + s (the record starts at index T); integer arithmetic, as the
  // pointer lies before the record.
  const auto* heap = reinterpret_cast<const std::uint8_t*>(reinterpret_cast<std::uintptr_t>(f.trees) - trees);
  std::size_t s = trees;
  const std::size_t roots_end = 2 * trees;
  if (f.depth == 3 && f.class_count <= 4 && trees <= 255) {
    // The paper's forests: one vote byte per class in a word (at most 255 votes each), two trees
    // per loop turn (an odd count starts with one).
    std::uint32_t lanes = 0;
    if (trees % 2 != 0) lanes += vote3(heap, right, s++);
    if (s != roots_end) {
      do {  // bottom-tested
        lanes += vote3(heap, right, s);
        lanes += vote3(heap, right, s + 1);
        s += 2;
      } while (s != roots_end);
    }
    for (std::size_t c = 0; c < f.class_count; ++c, lanes >>= 8) votes[c] = lanes & 0xFF;
    return;
  }
  for (std::size_t c = 0; c < f.class_count; ++c) votes[c] = 0;
  for (; s != roots_end; ++s) {
    std::size_t i = s;
    for (unsigned level = f.depth; level > 0; --level) i = 2 * i + right[heap[i]];
    ++votes[heap[i] / 8];
  }
}

int packed_forest_predict(const PackedForest& f, const float* x) {
  std::uint16_t votes[kMaxClasses];
  packed_forest_votes(f, x, votes);
  return argmax_votes(votes, f.class_count);
}

}  // namespace tl::ml
