// Freestanding C for a model: const tables (flash), no heap, single precision only. The
// generated prefix_predict / prefix_anomaly_score give the same class and the same float score
// as the reference model and the runtime.
#pragma once
#include <string>

#include "train/model.hpp"

namespace tl::train {

struct GeneratedC {
  std::string header_name, header;
  std::string source_name, source;
};

// prefix: C identifier prefix and file base name (default "tl_model" -> tl_model.h/.c).
GeneratedC generate_c(const Model& m, const std::string& prefix = "tl_model");

// A C float literal that parses back to exactly f ("1.5f", "-0.0f", "1e-05f", "0.100000001f").
// Throws std::invalid_argument for NaN and infinities, std::logic_error if the round trip fails.
std::string c_float_literal(float f);

}  // namespace tl::train
