// Build-time host tool: trains the paper's models on the FogML case-study feature vectors and
// writes them as blobs into a C++ include for the ml_footprint firmware.
//   gen_models FOGML_DIR OUT.inc
//   gen_models --gestures GESTURES_DIR OUT.inc   (device_firmware's model, see load_gestures)
// MODEL1: classes 0-2, MODEL2: classes 0-3 (Tab. 2): min-max scaler, random forest of 100 trees
// of depth 3 (bootstrap, 3 random features per split, Gini), k-means with 16 clusters. The
// forests go into the blobs in packed form; the general form's size is recorded for comparison.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <numeric>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "ml/blob.hpp"

namespace {

using namespace tl::ml;
using Row = std::vector<float>;
constexpr std::size_t kF = 12;

struct Data {
  std::vector<Row> x;
  std::vector<std::uint8_t> y;
};

Data load(const std::string& dir, std::size_t classes) {
  const char* files[4] = {"0_idle.csv", "1_circle.csv", "2_snake.csv", "3_up_down.csv"};
  Data d;
  for (std::size_t c = 0; c < classes; ++c) {
    std::ifstream in(dir + "/" + files[c]);
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream s(line);
      Row r;
      float v;
      while (s >> v) r.push_back(v);
      if (r.size() == kF) {
        d.x.push_back(r);
        d.y.push_back(static_cast<std::uint8_t>(c));
      }
    }
  }
  return d;
}

// gestures-100hz: int16 (n, 3) .npy recordings named *_LABEL.npy, 16,384 counts per g. As
// device_firmware's gen_windows.py: averaged by 10 (100 Hz -> 10 Hz), scaled to m/s^2; windows of
// 20 samples every 5 samples, features of the paper's pipeline. Files in name order.
constexpr const char* kGestureLabels[4] = {"idle", "snake", "updown", "wave"};

bool load_gestures(const std::string& dir, Data* d) {
  std::vector<std::string> names;
  if (DIR* dp = opendir(dir.c_str())) {
    while (dirent* e = readdir(dp)) names.emplace_back(e->d_name);
    closedir(dp);
  }
  std::sort(names.begin(), names.end());
  const Pipeline p = paper_pipeline();
  const std::size_t window = p.window, axes = p.axes;
  for (const std::string& n : names) {
    int label = -1;
    for (int c = 0; c < 4; ++c) {
      const std::string suffix = std::string("_") + kGestureLabels[c] + ".npy";
      if (n.size() > suffix.size() && n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0) label = c;
    }
    if (label < 0) continue;
    std::ifstream in(dir + "/" + n, std::ios::binary);
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (data.size() < 10 || data.compare(1, 5, "NUMPY") != 0) return false;
    const std::size_t start = 10 + (static_cast<std::uint8_t>(data[8]) | static_cast<std::uint8_t>(data[9]) << 8);
    const std::size_t rows = (data.size() - start) / (2 * axes);
    std::vector<float> dec;  // 10 Hz, interleaved
    for (std::size_t r = 0; r + 10 <= rows; r += 10) {
      for (std::size_t a = 0; a < axes; ++a) {
        float sum = 0.0f;
        for (std::size_t k = 0; k < 10; ++k) {
          std::int16_t v;
          std::memcpy(&v, data.data() + start + 2 * ((r + k) * axes + a), 2);
          sum += static_cast<float>(v);
        }
        dec.push_back(sum / 10.0f * (9.80665f / 16384.0f));
      }
    }
    for (std::size_t w = 0; (w + window) * axes <= dec.size(); w += 5) {
      Row r(kF);
      if (compute_features(p, dec.data() + w * axes, r.data()) != Error::ok) return false;
      d->x.push_back(r);
      d->y.push_back(static_cast<std::uint8_t>(label));
    }
  }
  return !d->x.empty();
}

struct Trainer {
  const Data& d;
  std::size_t classes;
  std::mt19937 rng{20220627};
  std::vector<TreeNode> nodes;

  std::uint8_t majority(const std::vector<std::size_t>& idx) const {
    std::vector<int> n(classes, 0);
    for (std::size_t i : idx) ++n[d.y[i]];
    return static_cast<std::uint8_t>(std::max_element(n.begin(), n.end()) - n.begin());
  }

  double gini(const std::vector<int>& n, int total) const {
    double g = 1.0;
    for (int v : n) g -= (static_cast<double>(v) / total) * (static_cast<double>(v) / total);
    return g;
  }

  // Best (feature, threshold) over 3 random features; false when no split separates anything.
  bool best_split(const std::vector<std::size_t>& idx, std::uint8_t* feature, float* threshold) {
    std::vector<std::size_t> features(kF);
    std::iota(features.begin(), features.end(), 0);
    std::shuffle(features.begin(), features.end(), rng);
    double best = 1e300;
    bool found = false;
    for (std::size_t k = 0; k < 3; ++k) {
      const std::size_t f = features[k];
      std::vector<std::size_t> s = idx;
      std::sort(s.begin(), s.end(), [&](std::size_t a, std::size_t b) { return d.x[a][f] < d.x[b][f]; });
      std::vector<int> left(classes, 0), right(classes, 0);
      for (std::size_t i : s) ++right[d.y[i]];
      for (std::size_t j = 0; j + 1 < s.size(); ++j) {
        ++left[d.y[s[j]]];
        --right[d.y[s[j]]];
        const float a = d.x[s[j]][f], b = d.x[s[j + 1]][f];
        if (!(a < b)) continue;
        const int nl = static_cast<int>(j + 1), nr = static_cast<int>(s.size()) - nl;
        const double cost = nl * gini(left, nl) + nr * gini(right, nr);
        if (cost < best) {
          best = cost;
          *feature = static_cast<std::uint8_t>(f);
          const float mid = a + (b - a) * 0.5f;
          *threshold = mid < b ? mid : a;
          found = true;
        }
      }
    }
    return found;
  }

  void grow(const std::vector<std::size_t>& idx, int depth) {
    const std::uint8_t m = majority(idx);
    bool pure = std::all_of(idx.begin(), idx.end(), [&](std::size_t i) { return d.y[i] == m; });
    std::uint8_t f = 0;
    float t = 0.0f;
    if (depth == 3 || pure || idx.size() < 2 || !best_split(idx, &f, &t)) {
      nodes.push_back(TreeNode{kLeaf, m, 0, 0.0f});
      return;
    }
    std::vector<std::size_t> l, r;
    for (std::size_t i : idx) (d.x[i][f] <= t ? l : r).push_back(i);
    const std::size_t me = nodes.size();
    nodes.push_back(TreeNode{f, 0, 0, t});
    grow(l, depth + 1);
    nodes[me].right = static_cast<std::uint16_t>(nodes.size());
    grow(r, depth + 1);
  }
};

struct Clusters {
  std::vector<float> centroids;
  std::vector<float> radius;
  float threshold = 0.0f;
};

float dist(const float* a, const float* b) {
  float s = 0.0f;
  for (std::size_t f = 0; f < kF; ++f) s += (a[f] - b[f]) * (a[f] - b[f]);
  return std::sqrt(s);
}

Clusters kmeans(const std::vector<Row>& x, std::size_t k) {
  std::mt19937 rng(16);
  std::vector<std::size_t> pick(x.size());
  std::iota(pick.begin(), pick.end(), 0);
  std::shuffle(pick.begin(), pick.end(), rng);
  Clusters c;
  for (std::size_t j = 0; j < k; ++j) c.centroids.insert(c.centroids.end(), x[pick[j]].begin(), x[pick[j]].end());
  std::vector<std::size_t> member(x.size());
  for (int it = 0; it < 100; ++it) {
    for (std::size_t i = 0; i < x.size(); ++i) {
      std::size_t best = 0;
      for (std::size_t j = 1; j < k; ++j) {
        if (dist(x[i].data(), &c.centroids[j * kF]) < dist(x[i].data(), &c.centroids[best * kF])) best = j;
      }
      member[i] = best;
    }
    for (std::size_t j = 0; j < k; ++j) {
      std::vector<double> sum(kF, 0.0);
      int n = 0;
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (member[i] != j) continue;
        ++n;
        for (std::size_t f = 0; f < kF; ++f) sum[f] += x[i][f];
      }
      for (std::size_t f = 0; f < kF && n > 0; ++f) c.centroids[j * kF + f] = static_cast<float>(sum[f] / n);
    }
  }
  // Radius: mean member distance, floored at the median radius of clusters with >= 2 members.
  std::vector<float> mean(k, 0.0f), spread;
  std::vector<int> n(k, 0);
  for (std::size_t i = 0; i < x.size(); ++i) {
    mean[member[i]] += dist(x[i].data(), &c.centroids[member[i] * kF]);
    ++n[member[i]];
  }
  for (std::size_t j = 0; j < k; ++j) {
    if (n[j] > 0) mean[j] /= static_cast<float>(n[j]);
    if (n[j] >= 2) spread.push_back(mean[j]);
  }
  std::sort(spread.begin(), spread.end());
  const float floor = spread.empty() ? 1.0f : spread[spread.size() / 2];
  for (std::size_t j = 0; j < k; ++j) c.radius.push_back(std::max(mean[j], floor));
  const KMeans m{c.centroids.data(), c.radius.data(), k, kF, 0.0f};
  for (const Row& r : x) c.threshold = std::max(c.threshold, kmeans_score(m, r.data()));
  return c;
}

struct Built {
  std::vector<std::uint8_t> blob;
  std::size_t packed_bytes = 0;
  std::size_t general_bytes = 0;
  std::size_t thresholds = 0;
};

Built build(Data d, std::size_t classes, const char* name, const char* const* labels,
            std::uint32_t version) {
  std::vector<float> lo(kF, 1e30f), hi(kF, -1e30f), offset(kF), scale(kF);
  for (const Row& r : d.x) {
    for (std::size_t f = 0; f < kF; ++f) {
      lo[f] = std::min(lo[f], r[f]);
      hi[f] = std::max(hi[f], r[f]);
    }
  }
  for (std::size_t f = 0; f < kF; ++f) minmax_params(lo[f], hi[f], &offset[f], &scale[f]);
  const Scaler scaler{offset.data(), scale.data(), kF};
  for (Row& r : d.x) apply_scaler(scaler, r.data());  // train in the device's scaled domain

  Trainer t{d, classes};
  std::vector<std::uint16_t> roots;
  std::uniform_int_distribution<std::size_t> any(0, d.x.size() - 1);
  for (int tree = 0; tree < 100; ++tree) {
    roots.push_back(static_cast<std::uint16_t>(t.nodes.size()));
    std::vector<std::size_t> bag(d.x.size());
    for (auto& i : bag) i = any(t.rng);
    t.grow(bag, 0);
  }
  const Forest forest{t.nodes.data(), roots.data(), t.nodes.size(), roots.size(),
                      static_cast<std::uint8_t>(classes), kF};
  Built b;
  std::vector<std::uint8_t> packed(packed_forest_size(forest));
  std::size_t written = 0;
  if (pack_forest(forest, packed.data(), packed.size(), &written) != Error::ok) return b;
  PackedForest pf;
  open_packed_forest(packed.data(), packed.size(), &pf);
  b.packed_bytes = packed.size();
  b.general_bytes = 8 + 2 * roots.size() + 8 * t.nodes.size();
  b.thresholds = pf.threshold_count;

  Clusters c = kmeans(d.x, 16);
  const KMeans km{c.centroids.data(), c.radius.data(), 16, kF, c.threshold};
  const LofParams lof{};
  ModelSpec spec;
  spec.name = name;
  spec.version = version;
  spec.pipeline = paper_pipeline();
  spec.class_count = static_cast<std::uint8_t>(classes);
  spec.labels = labels;
  spec.scaler_offset = offset.data();
  spec.scaler_scale = scale.data();
  spec.packed_forest = packed.data();
  spec.packed_forest_size = packed.size();
  spec.kmeans = &km;
  spec.lof = &lof;
  b.blob.resize(blob_size(spec));
  ByteSink sink{b.blob.data(), b.blob.size(), 0};
  if (write_blob(spec, &sink) != Error::ok) b.blob.clear();
  return b;
}

void emit(std::FILE* out, const char* name, const Built& b) {
  std::fprintf(out, "alignas(4) const std::uint8_t %s[%zu] = {", name, b.blob.size());
  for (std::size_t i = 0; i < b.blob.size(); ++i) {
    std::fprintf(out, "%s%u,", i % 24 == 0 ? "\n    " : "", b.blob[i]);
  }
  std::fprintf(out, "\n};\n");
  std::fprintf(out, "constexpr std::uint32_t %sPackedForestBytes = %zu;\n", name, b.packed_bytes);
  std::fprintf(out, "constexpr std::uint32_t %sGeneralForestBytes = %zu;\n", name, b.general_bytes);
  std::fprintf(out, "constexpr std::uint32_t %sThresholds = %zu;\n", name, b.thresholds);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::strcmp(argv[1], "--gestures") == 0) {
    Data d;
    if (!load_gestures(argv[2], &d)) {
      std::fprintf(stderr, "gen_models: no gesture windows in %s\n", argv[2]);
      return 1;
    }
    const Built g = build(d, 4, "GESTURES", kGestureLabels, 1);
    std::FILE* out = g.blob.empty() ? nullptr : std::fopen(argv[3], "w");
    if (out == nullptr) return 1;
    std::fprintf(out, "// Generated by ports/cortex-m/ml_footprint/gen_models.cpp --gestures. Do not edit.\n");
    emit(out, "kGestureModel", g);
    return std::fclose(out) == 0 ? 0 : 1;
  }
  if (argc != 3) {
    std::fprintf(stderr, "usage: gen_models FOGML_DIR OUT.inc | gen_models --gestures DIR OUT.inc\n");
    return 2;
  }
  const char* labels[4] = {"idle", "circle", "snake", "up_down"};
  const Built m1 = build(load(argv[1], 3), 3, "MODEL1", labels, 1);
  const Built m2 = build(load(argv[1], 4), 4, "MODEL2", labels, 2);
  if (m1.blob.empty() || m2.blob.empty()) {
    std::fprintf(stderr, "gen_models: training or blob writing failed\n");
    return 1;
  }
  std::FILE* out = std::fopen(argv[2], "w");
  if (out == nullptr) return 1;
  std::fprintf(out, "// Generated by ports/cortex-m/ml_footprint/gen_models.cpp. Do not edit.\n");
  emit(out, "kModel1", m1);
  emit(out, "kModel2", m2);
  return std::fclose(out) == 0 ? 0 : 1;
}
