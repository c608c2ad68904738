// Text inputs: FogML feature CSV, labels files, label from file names, whole-file reads.
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "train/loaders.hpp"

namespace tl::train {
namespace {

// A text file has no NUL bytes: anything with one is binary, whatever its extension says.
void require_text(const std::string& name, std::string_view text, const std::string& kind) {
  size_t nul = text.find('\0');
  if (nul != std::string_view::npos) {
    throw InputError(name, "byte " + std::to_string(nul),
                     "binary data in a file that should be " + kind,
                     "check the file's extension matches its content");
  }
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

float parse_number(const std::string& name, size_t line_no, const std::string& token,
                   const char* remedy = "feature CSV rows hold numbers separated by spaces or commas, no header") {
  const std::string where = "line " + std::to_string(line_no);
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(token.c_str(), &end);
  if (end == token.c_str() || *end != '\0') {
    throw InputError(name, where, "'" + token + "' is not a number", remedy);
  }
  float f = float(v);
  if (!std::isfinite(f)) {
    throw InputError(name, where, "'" + token + "' is NaN, infinite or beyond float range",
                     "fix or drop this row");
  }
  return f;
}

std::vector<std::string> csv_tokens(std::string_view line) {
  std::string s(line);
  for (char& c : s) {
    if (c == ',' || c == '\t' || c == ';') c = ' ';
  }
  std::istringstream in(s);
  std::vector<std::string> tokens;
  for (std::string tok; in >> tok;) tokens.push_back(tok);
  return tokens;
}

bool is_number(const std::string& token) {
  char* end = nullptr;
  (void)std::strtod(token.c_str(), &end);
  return end != token.c_str() && *end == '\0';
}

bool is_time_column(std::string name) {
  for (char& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
  return name == "timestamp" || name == "time" || name == "t";
}

}  // namespace

Recording parse_csv_recording(const std::string& name, std::string_view text) {
  require_text(name, text, "a CSV recording");
  constexpr const char* kRemedy = "rows hold one number per axis, separated by commas; only the first line may be a header";
  Recording r;
  r.file = name;
  bool header_seen = false, timed = false;
  std::vector<double> times;
  size_t line_no = 0;
  for (std::string_view line : split_lines(text)) {
    ++line_no;
    std::vector<std::string> tokens = csv_tokens(line);
    if (tokens.empty()) continue;
    if (!header_seen && r.samples.empty() && !is_number(tokens.front())) {
      header_seen = true;
      timed = is_time_column(tokens.front());
      continue;
    }
    const size_t axes = tokens.size() - (timed ? 1 : 0);
    if (r.axes == 0) r.axes = axes;
    if (axes != r.axes || axes == 0) {
      throw InputError(name, "line " + std::to_string(line_no),
                       "row has " + std::to_string(axes) + " samples, earlier rows have " + std::to_string(r.axes),
                       "every row holds one sample per axis");
    }
    for (size_t i = 0; i < tokens.size(); ++i) {
      const float v = parse_number(name, line_no, tokens[i], kRemedy);
      if (timed && i == 0) times.push_back(std::strtod(tokens[i].c_str(), nullptr));
      else r.samples.push_back(v);
    }
  }
  if (r.samples.empty()) throw InputError(name, "", "no sample rows", "the file holds no numbers");
  if (timed && times.size() > 1 && times.back() > times.front()) {
    r.rate_hz = float(1000.0 * double(times.size() - 1) / (times.back() - times.front()));
  }
  return r;
}

std::string read_file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "", "cannot open the file", "check the path and permissions");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::vector<float>> parse_feature_csv(const std::string& name, std::string_view text) {
  require_text(name, text, "a feature CSV");
  std::vector<std::vector<float>> rows;
  size_t line_no = 0;
  for (std::string_view line : split_lines(text)) {
    ++line_no;
    std::string s(line);
    for (char& c : s) {
      if (c == ',' || c == '\t' || c == ';') c = ' ';
    }
    std::istringstream tokens(s);
    std::vector<float> row;
    for (std::string tok; tokens >> tok;) row.push_back(parse_number(name, line_no, tok));
    if (row.empty()) continue;
    if (!rows.empty() && row.size() != rows.front().size()) {
      throw InputError(name, "line " + std::to_string(line_no),
                       "row has " + std::to_string(row.size()) + " features, earlier rows have " +
                           std::to_string(rows.front().size()),
                       "every row must be one complete feature vector");
    }
    rows.push_back(std::move(row));
  }
  if (rows.empty()) throw InputError(name, "", "no feature rows", "the file is empty");
  return rows;
}

std::string label_from_file_name(const std::string& path) {
  std::string stem = std::filesystem::path(path).stem().string();
  size_t us = stem.find('_');
  if (us == std::string::npos || us + 1 == stem.size()) {
    throw InputError(path, "", "cannot take a label from the file name (no '_<label>' part)",
                     "name it <anything>_<label>.<ext> or pass --labels FILE");
  }
  return stem.substr(us + 1);
}

LabelMap parse_labels_file(const std::string& name, std::string_view text) {
  require_text(name, text, "a labels CSV");
  LabelMap map;
  size_t line_no = 0;
  for (std::string_view line : split_lines(text)) {
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    size_t comma = line.rfind(',');
    if (comma == std::string_view::npos || comma == 0 || comma + 1 == line.size()) {
      throw InputError(name, "line " + std::to_string(line_no), "expected 'file,label'",
                       "one recording per line, e.g. 2025-06-15T192744_x.npy,snake");
    }
    map.entries.emplace_back(std::string(line.substr(0, comma)),
                             std::string(line.substr(comma + 1)));
  }
  return map;
}

std::string LabelMap::find(const std::string& path) const {
  std::string base = std::filesystem::path(path).filename().string();
  for (const auto& [file, label] : entries) {
    if (file == path || file == base) return label;
  }
  return "";
}

}  // namespace tl::train
