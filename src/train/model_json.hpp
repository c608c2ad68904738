// model.json: the readable reference form of a model. Floats are written as the shortest decimal
// that reads back to the same float, so the file round-trips bit for bit.
#pragma once
#include <string>
#include <string_view>

#include "train/model.hpp"

namespace tl::train {

std::string model_to_json(const Model& m, const std::vector<std::string>& feature_names);

// Throws InputError naming `file` and the JSON path ("/forest/trees/3/1/threshold") of the
// first problem.
Model model_from_json(const std::string& file, std::string_view text);

// Shortest decimal text of f that parses back to f ("10", "0.1", "1e-05").
std::string float_text(float f);

}  // namespace tl::train
