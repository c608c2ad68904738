#include "train/input_error.hpp"

namespace tl::train {

static std::string compose(const std::string& file, const std::string& where,
                           const std::string& problem, const std::string& remedy) {
  std::string s = file;
  if (!where.empty()) s += ":" + where;
  s += ": " + problem;
  if (!remedy.empty()) s += " (" + remedy + ")";
  return s;
}

InputError::InputError(const std::string& file, const std::string& where,
                       const std::string& problem, const std::string& remedy)
    : std::runtime_error(compose(file, where, problem, remedy)) {}

}  // namespace tl::train
