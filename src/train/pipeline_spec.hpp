// Text forms of the runtime's pipeline: block lists for the command line and names for model.json.
#pragma once
#include <string>
#include <vector>

#include "ml/pipeline.hpp"

namespace tl::train {

// "base,energy,crossings:0.5" -> blocks (":" gives the block's parameter, the crossings
// hysteresis). Throws std::invalid_argument naming the bad entry.
void parse_blocks(const std::string& spec, ml::Pipeline& p);
std::string blocks_to_string(const ml::Pipeline& p);

const char* block_name(ml::BlockKind k);
ml::BlockKind block_from_name(const std::string& name);  // throws std::invalid_argument
const char* scaler_name(ml::ScalerKind k);
ml::ScalerKind scaler_from_name(const std::string& name);  // throws std::invalid_argument

// Names of the feature columns ("base.amp.x", "energy.z", ...), in feature order.
std::vector<std::string> feature_names(const ml::Pipeline& p);

// A positive finite number, or a quotient "a/b" (e.g. --input-scale 9.80665/16384).
float parse_scale(const std::string& text);

}  // namespace tl::train
