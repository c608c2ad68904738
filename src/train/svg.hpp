// Small self-contained SVG charts for the training report.
#pragma once
#include <string>
#include <vector>

namespace tl::train {

// rows = true class, columns = predicted class; cells shaded by row-normalised count.
std::string confusion_svg(const std::vector<std::vector<size_t>>& confusion,
                          const std::vector<std::string>& labels);

// Horizontal bars, longest first.
std::string importance_svg(const std::vector<double>& importance,
                           const std::vector<std::string>& names);

// Histogram of the scores with a vertical line at the threshold.
std::string histogram_svg(const std::vector<float>& scores, float threshold);

}  // namespace tl::train
