#include "train/model_json.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "train/input_error.hpp"
#include "train/pipeline_spec.hpp"

namespace tl::train {
namespace {

using nlohmann::json;
// Written with keys in a readable order (pipeline before trees); read with plain json.
using ordered = nlohmann::ordered_json;

// A double whose shortest text is the float's shortest text, when converting it back to float
// gives the same float (it does unless double rounding bites; then the exact value is kept).
double json_float(float f) {
  double d = std::strtod(float_text(f).c_str(), nullptr);
  return float(d) == f ? d : double(f);
}

ordered floats(const std::vector<float>& v) {
  ordered a = ordered::array();
  for (float f : v) a.push_back(json_float(f));
  return a;
}

ordered tree_json(const Tree& t) {
  ordered nodes = ordered::array();
  for (const Node& n : t.nodes) {
    if (n.feature < 0) {
      nodes.push_back({{"leaf", n.label}});
    } else {
      nodes.push_back({{"feature", n.feature}, {"threshold", json_float(n.threshold)},
                       {"left", n.left}, {"right", n.right}});
    }
  }
  return nodes;
}

ordered pipeline_json(const ml::Pipeline& p) {
  ordered blocks = ordered::array();
  for (size_t i = 0; i < p.block_count; ++i) {
    blocks.push_back({{"kind", block_name(p.blocks[i].kind)},
                      {"param", json_float(p.blocks[i].param)}});
  }
  return {{"sample_rate_hz", json_float(p.sample_rate_hz)}, {"window", p.window},
          {"hop", p.hop}, {"axes", p.axes}, {"input_scale", json_float(p.input_scale)},
          {"blocks", blocks}, {"scaler", scaler_name(p.scaler)}};
}

// Reading: every accessor names the JSON path of what is missing or wrong.
class Reader {
 public:
  explicit Reader(const std::string& file) : file_(file) {}

  [[noreturn]] void fail(const std::string& path, const std::string& problem) const {
    throw InputError(file_, path, problem, "regenerate the model with 'tinyloop train'");
  }
  const json& at(const json& obj, const std::string& key, const std::string& path) const {
    if (!obj.is_object() || !obj.contains(key)) fail(path + "/" + key, "missing");
    return obj.at(key);
  }
  float num(const json& v, const std::string& path) const {
    if (!v.is_number()) fail(path, "not a number");
    float f = v.get<float>();
    if (!std::isfinite(f)) fail(path, "not a finite float");
    return f;
  }
  long integer(const json& v, const std::string& path, long lo, long hi) const {
    if (!v.is_number_integer() || v.get<long>() < lo || v.get<long>() > hi) {
      fail(path, "not an integer in " + std::to_string(lo) + ".." + std::to_string(hi));
    }
    return v.get<long>();
  }
  std::vector<float> floats(const json& v, const std::string& path, size_t n) const {
    if (!v.is_array() || v.size() != n) fail(path, "not an array of " + std::to_string(n));
    std::vector<float> out;
    for (size_t i = 0; i < n; ++i) out.push_back(num(v[i], path + "/" + std::to_string(i)));
    return out;
  }

 private:
  const std::string& file_;
};

ml::Pipeline read_pipeline(const Reader& r, const json& j) {
  const std::string p = "/pipeline";
  ml::Pipeline pl;
  pl.sample_rate_hz = r.num(r.at(j, "sample_rate_hz", p), p + "/sample_rate_hz");
  pl.window = uint16_t(r.integer(r.at(j, "window", p), p + "/window", 1, ml::kMaxWindow));
  pl.hop = uint16_t(r.integer(r.at(j, "hop", p), p + "/hop", 1, ml::kMaxWindow));
  pl.axes = uint8_t(r.integer(r.at(j, "axes", p), p + "/axes", 1, ml::kMaxAxes));
  pl.input_scale = r.num(r.at(j, "input_scale", p), p + "/input_scale");
  const json& blocks = r.at(j, "blocks", p);
  if (!blocks.is_array() || blocks.empty() || blocks.size() > ml::kMaxBlocks) {
    r.fail(p + "/blocks", "not an array of 1.." + std::to_string(ml::kMaxBlocks) + " blocks");
  }
  for (size_t i = 0; i < blocks.size(); ++i) {
    std::string bp = p + "/blocks/" + std::to_string(i);
    try {
      pl.blocks[i].kind = block_from_name(r.at(blocks[i], "kind", bp).get<std::string>());
      pl.scaler = scaler_from_name(r.at(j, "scaler", p).get<std::string>());
    } catch (const std::exception& e) {
      r.fail(bp, e.what());
    }
    pl.blocks[i].param = r.num(r.at(blocks[i], "param", bp), bp + "/param");
  }
  pl.block_count = uint8_t(blocks.size());
  if (ml::validate_pipeline(pl) != ml::Error::ok) r.fail(p, "pipeline values out of range");
  return pl;
}

Tree read_tree(const Reader& r, const json& j, const std::string& path, size_t nf, size_t nc) {
  if (!j.is_array() || j.empty()) r.fail(path, "not a non-empty node array");
  Tree t;
  const long last = long(j.size()) - 1;
  for (size_t i = 0; i < j.size(); ++i) {
    std::string np = path + "/" + std::to_string(i);
    Node n;
    if (j[i].contains("leaf")) {
      n.label = int32_t(r.integer(j[i]["leaf"], np + "/leaf", 0, long(nc) - 1));
    } else {
      n.feature = int32_t(r.integer(r.at(j[i], "feature", np), np + "/feature", 0, long(nf) - 1));
      n.threshold = r.num(r.at(j[i], "threshold", np), np + "/threshold");
      // Pre-order: the left child is the next node, the right one comes later.
      n.left = int32_t(r.integer(r.at(j[i], "left", np), np + "/left", long(i) + 1, long(i) + 1));
      n.right = int32_t(r.integer(r.at(j[i], "right", np), np + "/right", long(i) + 2, last));
    }
    t.nodes.push_back(n);
  }
  return t;
}

Forest read_forest(const Reader& r, const json& j, size_t nf, size_t nc) {
  Forest f;
  f.n_classes = nc;
  const json& trees = r.at(j, "trees", "/forest");
  if (!trees.is_array() || trees.empty()) r.fail("/forest/trees", "not a non-empty array");
  for (size_t t = 0; t < trees.size(); ++t) {
    f.trees.push_back(read_tree(r, trees[t], "/forest/trees/" + std::to_string(t), nf, nc));
  }
  if (j.contains("importance")) {
    for (float v : r.floats(j["importance"], "/forest/importance", nf)) f.importance.push_back(v);
    // Kept as written: importance is a report figure in double, not a model parameter.
    for (size_t i = 0; i < nf; ++i) f.importance[i] = j["importance"][i].get<double>();
  }
  return f;
}

KMeansDetector read_kmeans(const Reader& r, const json& j, size_t nf) {
  KMeansDetector d;
  d.dim = nf;
  const json& c = r.at(j, "centroids", "/kmeans");
  if (!c.is_array() || c.empty()) r.fail("/kmeans/centroids", "not a non-empty array");
  for (size_t k = 0; k < c.size(); ++k) {
    auto row = r.floats(c[k], "/kmeans/centroids/" + std::to_string(k), nf);
    d.centroids.insert(d.centroids.end(), row.begin(), row.end());
  }
  d.radius = r.floats(r.at(j, "radius", "/kmeans"), "/kmeans/radius", c.size());
  for (size_t k = 0; k < d.radius.size(); ++k) {
    if (!(d.radius[k] > 0)) r.fail("/kmeans/radius/" + std::to_string(k), "radius must be > 0");
  }
  d.threshold = r.num(r.at(j, "threshold", "/kmeans"), "/kmeans/threshold");
  return d;
}

}  // namespace

std::string float_text(float f) {
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, f);  // shortest round-trip form
  return std::string(buf, res.ptr);
}

std::string model_to_json(const Model& m, const std::vector<std::string>& feature_names) {
  ordered trees = ordered::array();
  for (const Tree& t : m.forest.trees) trees.push_back(tree_json(t));
  ordered centroids = ordered::array();
  for (size_t k = 0; k < m.kmeans.k(); ++k) {
    centroids.push_back(floats(std::vector<float>(m.kmeans.centroids.begin() + long(k * m.kmeans.dim),
                                                  m.kmeans.centroids.begin() + long((k + 1) * m.kmeans.dim))));
  }
  ordered imp = ordered::array();
  for (double v : m.forest.importance) imp.push_back(v);
  ordered doc = {
      {"format", "tinyloop-model"},
      {"format_version", 1},
      {"name", m.name},
      {"model_version", m.version},
      {"labels", m.labels},
      {"pipeline", pipeline_json(m.pipeline)},
      {"features", feature_names},
      {"scaler", {{"offset", floats(m.scaler.offset)}, {"scale", floats(m.scaler.scale)}}},
      {"forest", {{"vote", "majority, ties to the lowest class"}, {"importance", imp},
                  {"trees", trees}}},
      {"kmeans", {{"centroids", centroids}, {"radius", floats(m.kmeans.radius)},
                  {"threshold", json_float(m.kmeans.threshold)}}},
  };
  return doc.dump(1) + "\n";
}

Model model_from_json(const std::string& file, std::string_view text) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    throw InputError(file, "byte " + std::to_string(e.byte), "not valid JSON",
                     "pass the model.json written by 'tinyloop train'");
  }
  Reader r(file);
  if (!doc.is_object() || doc.value("format", "") != "tinyloop-model") {
    r.fail("/format", "not a tinyloop model (format != \"tinyloop-model\")");
  }
  Model m;
  m.name = r.at(doc, "name", "").get<std::string>();
  m.version = uint32_t(r.integer(r.at(doc, "model_version", ""), "/model_version", 0, 0xFFFFFFFFL));
  const json& labels = r.at(doc, "labels", "");
  if (!labels.is_array() || labels.size() < 2 || labels.size() > 16) {
    r.fail("/labels", "not an array of 2..16 labels");
  }
  for (const auto& l : labels) m.labels.push_back(l.get<std::string>());
  m.pipeline = read_pipeline(r, r.at(doc, "pipeline", ""));
  const size_t nf = ml::feature_count(m.pipeline), nc = m.labels.size();
  const json& s = r.at(doc, "scaler", "");
  m.scaler.kind = m.pipeline.scaler;
  m.scaler.offset = r.floats(r.at(s, "offset", "/scaler"), "/scaler/offset", nf);
  m.scaler.scale = r.floats(r.at(s, "scale", "/scaler"), "/scaler/scale", nf);
  m.forest = read_forest(r, r.at(doc, "forest", ""), nf, nc);
  m.kmeans = read_kmeans(r, r.at(doc, "kmeans", ""), nf);
  return m;
}

}  // namespace tl::train
