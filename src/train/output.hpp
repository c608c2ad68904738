// Output files that are never half-written: everything is first written to a staging folder
// inside the output folder, then renamed into place (rename replaces a file atomically).
#pragma once
#include <map>
#include <string>

namespace tl::train {

// files: relative path ("model.json", "report/summary.md") -> content. Sub-folders are replaced
// as a whole. Throws std::runtime_error naming the path that could not be written.
void write_outputs(const std::string& dir, const std::map<std::string, std::string>& files);

}  // namespace tl::train
