// Errors about user input (data files, options): they name the file, the place in it, what is
// wrong and what to do, so the CLI can print them as is and exit with kExitUserError.
#pragma once
#include <stdexcept>
#include <string>
#include <vector>

namespace tl::train {

class InputError : public std::runtime_error {
 public:
  // where: "line 12", "byte 80", "" when the whole file is concerned.
  InputError(const std::string& file, const std::string& where, const std::string& problem,
             const std::string& remedy);
};

// Warnings collected while loading (truncated files, recordings too short for a window...):
// loading goes on, the CLI prints them and the report lists them.
using Warnings = std::vector<std::string>;

}  // namespace tl::train
