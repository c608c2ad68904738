#include "train/svg.hpp"

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <sstream>

namespace tl::train {
namespace {

std::string esc(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '<') o += "&lt;";
    else if (c == '>') o += "&gt;";
    else if (c == '&') o += "&amp;";
    else o += c;
  }
  return o;
}

std::string num(double v, int digits = 3) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

std::string open(double w, double h) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(w, 6) + "\" height=\"" +
         num(h, 6) + "\" font-family=\"sans-serif\" font-size=\"12\">\n"
         "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
}

std::string text(double x, double y, const std::string& s, const std::string& extra = "") {
  return "<text x=\"" + num(x, 6) + "\" y=\"" + num(y, 6) + "\" " + extra + ">" + esc(s) +
         "</text>\n";
}

std::string rect(double x, double y, double w, double h, const std::string& fill) {
  return "<rect x=\"" + num(x, 6) + "\" y=\"" + num(y, 6) + "\" width=\"" + num(w, 6) +
         "\" height=\"" + num(h, 6) + "\" fill=\"" + fill + "\" stroke=\"#ccc\"/>\n";
}

// White to dark blue.
std::string shade(double t) {
  int r = int(255 - 215 * t), g = int(255 - 165 * t), b = int(255 - 75 * t);
  char buf[16];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", r, g, b);
  return buf;
}

}  // namespace

std::string confusion_svg(const std::vector<std::vector<size_t>>& m,
                          const std::vector<std::string>& labels) {
  const double cell = 56, left = 110, top = 60, title_width = 360;
  const size_t n = labels.size();
  std::ostringstream s;
  s << open(std::max(left + cell * double(n) + 20, title_width), top + cell * double(n) + 40)
    << text(10, 20, "Confusion matrix (rows: true, columns: predicted)", "font-weight=\"bold\"");
  for (size_t i = 0; i < n; ++i) {
    size_t row = std::accumulate(m[i].begin(), m[i].end(), size_t(0));
    s << text(left - 8, top + cell * (double(i) + 0.55), labels[i], "text-anchor=\"end\"")
      << text(left + cell * (double(i) + 0.5), top - 8, labels[i], "text-anchor=\"middle\"");
    for (size_t j = 0; j < n; ++j) {
      double t = row ? double(m[i][j]) / double(row) : 0.0;
      double x = left + cell * double(j), y = top + cell * double(i);
      s << rect(x, y, cell, cell, shade(t))
        << text(x + cell / 2, y + cell / 2 + 4, std::to_string(m[i][j]),
                std::string("text-anchor=\"middle\" fill=\"") + (t > 0.5 ? "white" : "black") + "\"");
    }
  }
  s << "</svg>\n";
  return s.str();
}

std::string importance_svg(const std::vector<double>& imp, const std::vector<std::string>& names) {
  std::vector<size_t> order(imp.size());
  std::iota(order.begin(), order.end(), size_t(0));
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return imp[a] > imp[b]; });
  const double left = 130, bar = 20, width = 360, top = 40;
  const double top_value = imp.empty() ? 1.0 : std::max(imp[order[0]], 1e-12);
  std::ostringstream s;
  s << open(left + width + 70, top + bar * double(imp.size()) + 20)
    << text(10, 20, "Feature importance (mean decrease in impurity)", "font-weight=\"bold\"");
  for (size_t r = 0; r < order.size(); ++r) {
    double y = top + bar * double(r), w = width * imp[order[r]] / top_value;
    s << text(left - 8, y + 14, names[order[r]], "text-anchor=\"end\"")
      << rect(left, y + 3, w, bar - 6, "#4a78b5") << text(left + w + 6, y + 14, num(imp[order[r]]));
  }
  s << "</svg>\n";
  return s.str();
}

std::string histogram_svg(const std::vector<float>& scores, float threshold) {
  const size_t bins = 30;
  const double left = 70, top = 40, width = 500, height = 220;
  double hi = std::max<double>(threshold, 1e-6);
  for (float v : scores) hi = std::max<double>(hi, v);
  hi *= 1.05;
  std::vector<size_t> count(bins, 0);
  for (float v : scores) ++count[std::min(bins - 1, size_t(double(v) / hi * double(bins)))];
  const size_t peak = std::max<size_t>(1, *std::max_element(count.begin(), count.end()));
  std::ostringstream s;
  s << open(left + width + 20, top + height + 50)
    << text(10, 20, "Anomaly scores of the training windows", "font-weight=\"bold\"");
  for (size_t b = 0; b < bins; ++b) {
    double h = height * double(count[b]) / double(peak);
    s << rect(left + width * double(b) / bins, top + height - h, width / bins, h, "#7aa6d8");
  }
  double tx = left + width * double(threshold) / hi;
  // The label goes on the side of the line with room for it.
  const bool label_left = tx > left + width * 0.75;
  s << "<line x1=\"" << num(tx, 6) << "\" y1=\"" << top << "\" x2=\"" << num(tx, 6) << "\" y2=\""
    << top + height << "\" stroke=\"#c0392b\" stroke-width=\"2\"/>\n"
    << text(label_left ? tx - 4 : tx + 4, top + 12, "threshold " + num(threshold, 4),
            std::string("fill=\"#c0392b\"") + (label_left ? " text-anchor=\"end\"" : ""));
  const int ticks = 5;
  for (int t = 0; t <= ticks; ++t) {
    s << text(left + width * t / ticks, top + height + 18, num(hi * t / ticks), "text-anchor=\"middle\"");
  }
  s << text(left - 6, top + 10, std::to_string(peak), "text-anchor=\"end\"")
    << text(left - 6, top + height, "0", "text-anchor=\"end\"")
    << text(left - 6, top + height / 2, "windows", "text-anchor=\"end\"")
    << text(left + width / 2, top + height + 36, "score (distance / cluster radius)",
            "text-anchor=\"middle\"")
    << "</svg>\n";
  return s.str();
}

}  // namespace tl::train
