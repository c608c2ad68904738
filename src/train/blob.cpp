#include "train/blob.hpp"

#include <stdexcept>

#include "ml/blob.hpp"

namespace tl::train {
namespace {

void check(ml::Error e, const std::string& what) {
  if (e != ml::Error::ok) {
    throw std::runtime_error(what + ": " + ml::error_name(e));
  }
}

std::vector<uint8_t> pack(const ml::Forest& f) {
  size_t size = ml::packed_forest_size(f);
  if (size == 0) return {};
  std::vector<uint8_t> bytes(size);
  size_t written = 0;
  if (ml::pack_forest(f, bytes.data(), bytes.size(), &written) != ml::Error::ok) return {};
  bytes.resize(written);
  return bytes;
}

}  // namespace

TreeForm tree_form_from_name(const std::string& name) {
  if (name == "best") return TreeForm::best;
  if (name == "packed") return TreeForm::packed;
  if (name == "general") return TreeForm::general;
  throw std::invalid_argument("unknown tree form '" + name + "' (best, packed or general)");
}

void to_runtime_forest(const Forest& f, size_t n_features, RuntimeForest& out) {
  out.nodes.clear();
  out.roots.clear();
  for (const Tree& t : f.trees) {
    const size_t base = out.nodes.size();
    if (base + t.nodes.size() > ml::kMaxTreeNodes) {
      throw std::runtime_error("forest has more than " + std::to_string(ml::kMaxTreeNodes) +
                               " nodes; lower --trees or --depth");
    }
    out.roots.push_back(uint16_t(base));
    for (const Node& n : t.nodes) {
      ml::TreeNode r;
      if (n.feature >= 0) {
        r.feature = uint8_t(n.feature);
        r.right = uint16_t(base + size_t(n.right));
        r.threshold = n.threshold;
      } else {
        r.label = uint8_t(n.label);
      }
      out.nodes.push_back(r);
    }
  }
  out.view.nodes = out.nodes.data();
  out.view.roots = out.roots.data();
  out.view.node_count = out.nodes.size();
  out.view.tree_count = out.roots.size();
  out.view.class_count = uint8_t(f.n_classes);
  out.view.feature_count = uint8_t(n_features);
  check(ml::validate_forest(out.view), "forest does not fit the runtime");
}

std::vector<uint8_t> make_blob(const Model& m, TreeForm form) {
  RuntimeForest rf;
  to_runtime_forest(m.forest, m.n_features(), rf);
  std::vector<uint8_t> packed = form == TreeForm::general ? std::vector<uint8_t>{} : pack(rf.view);
  if (form == TreeForm::packed && packed.empty()) {
    throw std::runtime_error("the forest cannot be packed (depth > 8 or > 255 thresholds for a "
                             "feature); use --tree-form general");
  }
  std::vector<const char*> labels;
  for (const auto& l : m.labels) labels.push_back(l.c_str());
  ml::KMeans km{m.kmeans.centroids.data(), m.kmeans.radius.data(), m.kmeans.k(), m.kmeans.dim,
                m.kmeans.threshold};
  ml::ModelSpec spec;
  spec.name = m.name.c_str();
  spec.version = m.version;
  spec.pipeline = m.pipeline;
  spec.class_count = uint8_t(m.labels.size());
  spec.labels = labels.data();
  if (m.pipeline.scaler != ml::ScalerKind::none) {
    spec.scaler_offset = m.scaler.offset.data();
    spec.scaler_scale = m.scaler.scale.data();
  }
  if (packed.empty()) {
    spec.forest = &rf.view;
  } else {
    spec.packed_forest = packed.data();
    spec.packed_forest_size = packed.size();
  }
  spec.kmeans = &km;
  std::vector<uint8_t> out(ml::blob_size(spec));
  ml::ByteSink sink{out.data(), out.size(), 0};
  check(ml::write_blob(spec, &sink), "cannot write the model blob");
  out.resize(sink.size);
  return out;
}

}  // namespace tl::train
