#include "train/pipeline_spec.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace tl::train {
namespace {

struct BlockInfo {
  ml::BlockKind kind;
  const char* name;
  std::vector<const char*> outputs;  // per axis
};

const std::vector<BlockInfo>& blocks() {
  static const std::vector<BlockInfo> all = {
      {ml::BlockKind::base, "base", {"amp", "mean"}},
      {ml::BlockKind::energy, "energy", {""}},
      {ml::BlockKind::rms, "rms", {""}},
      {ml::BlockKind::variance, "variance", {""}},
      {ml::BlockKind::minmax, "minmax", {"min", "max"}},
      {ml::BlockKind::crossings, "crossings", {""}},
      {ml::BlockKind::fft_peak, "fft_peak", {"hz", "amp"}},
  };
  return all;
}

const BlockInfo& info(ml::BlockKind k) {
  for (const auto& b : blocks()) {
    if (b.kind == k) return b;
  }
  throw std::invalid_argument("unknown block kind " + std::to_string(int(k)));
}

double parse_number(const std::string& s) {
  size_t pos = 0;
  double v = std::stod(s, &pos);
  if (pos != s.size()) throw std::invalid_argument(s);
  return v;
}

}  // namespace

const char* block_name(ml::BlockKind k) { return info(k).name; }

ml::BlockKind block_from_name(const std::string& name) {
  for (const auto& b : blocks()) {
    if (name == b.name) return b.kind;
  }
  throw std::invalid_argument("unknown block '" + name +
                              "' (known: base, energy, rms, variance, minmax, crossings, fft_peak)");
}

void parse_blocks(const std::string& spec, ml::Pipeline& p) {
  std::stringstream in(spec);
  p.block_count = 0;
  for (std::string item; std::getline(in, item, ',');) {
    if (p.block_count == ml::kMaxBlocks) {
      throw std::invalid_argument("more than " + std::to_string(ml::kMaxBlocks) + " blocks");
    }
    size_t colon = item.find(':');
    ml::FeatureBlock b{block_from_name(item.substr(0, colon)), 0.0f};
    if (colon != std::string::npos) {
      try {
        b.param = float(parse_number(item.substr(colon + 1)));
      } catch (const std::exception&) {
        throw std::invalid_argument("bad parameter in block '" + item + "'");
      }
    }
    p.blocks[p.block_count++] = b;
  }
  if (p.block_count == 0) throw std::invalid_argument("no feature blocks given");
}

std::string blocks_to_string(const ml::Pipeline& p) {
  std::string s;
  for (size_t i = 0; i < p.block_count; ++i) {
    if (i) s += ",";
    s += block_name(p.blocks[i].kind);
    if (p.blocks[i].param != 0.0f) {
      std::ostringstream v;
      v.precision(9);
      v << p.blocks[i].param;
      s += ":" + v.str();
    }
  }
  return s;
}

const char* scaler_name(ml::ScalerKind k) {
  switch (k) {
    case ml::ScalerKind::minmax: return "minmax";
    case ml::ScalerKind::standard: return "standard";
    case ml::ScalerKind::none: break;
  }
  return "none";
}

ml::ScalerKind scaler_from_name(const std::string& name) {
  if (name == "minmax") return ml::ScalerKind::minmax;
  if (name == "standard") return ml::ScalerKind::standard;
  if (name == "none") return ml::ScalerKind::none;
  throw std::invalid_argument("unknown scaler '" + name + "' (minmax, standard or none)");
}

std::vector<std::string> feature_names(const ml::Pipeline& p) {
  static const char* axis[] = {"x", "y", "z", "a3", "a4", "a5"};
  std::vector<std::string> names;
  for (size_t i = 0; i < p.block_count; ++i) {
    const BlockInfo& b = info(p.blocks[i].kind);
    for (size_t a = 0; a < p.axes && a < 6; ++a) {
      for (const char* out : b.outputs) {
        names.push_back(std::string(b.name) + (*out ? std::string(".") + out : "") + "." + axis[a]);
      }
    }
  }
  return names;
}

float parse_scale(const std::string& text) {
  double v = 0;
  try {
    size_t slash = text.find('/');
    v = slash == std::string::npos
            ? parse_number(text)
            : parse_number(text.substr(0, slash)) / parse_number(text.substr(slash + 1));
  } catch (const std::exception&) {
    v = NAN;
  }
  if (!(std::isfinite(v) && v > 0)) {
    throw std::invalid_argument("'" + text + "' is not a positive number or quotient a/b");
  }
  return float(v);
}

}  // namespace tl::train
