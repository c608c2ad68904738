#include "train/windowing.hpp"

#include <stdexcept>

namespace tl::train {

Recording resample(const Recording& in, float to_hz) {
  if (in.rate_hz <= 0 || to_hz <= 0) throw std::invalid_argument("resample: rates must be > 0");
  Recording out = in;
  out.rate_hz = to_hz;
  out.samples.clear();
  const size_t rows = in.rows();
  const double step = double(in.rate_hz) / double(to_hz);  // input rows per output row
  for (size_t k = 0;; ++k) {
    double pos = double(k) * step;
    size_t i = size_t(pos);
    if (i >= rows || (i + 1 == rows && pos > double(i))) break;
    double frac = pos - double(i);
    for (size_t a = 0; a < in.axes; ++a) {
      double v0 = in.samples[i * in.axes + a];
      double v1 = i + 1 < rows ? in.samples[(i + 1) * in.axes + a] : v0;
      out.samples.push_back(float(v0 + (v1 - v0) * frac));
    }
  }
  return out;
}

std::vector<size_t> window_starts(size_t rows, size_t window, size_t hop) {
  if (window == 0 || hop == 0) throw std::invalid_argument("window and hop must be > 0");
  std::vector<size_t> starts;
  for (size_t s = 0; s + window <= rows; s += hop) starts.push_back(s);
  return starts;
}

}  // namespace tl::train
