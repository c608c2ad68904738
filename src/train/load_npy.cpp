// NumPy .npy reader (format spec: numpy.lib.format). Only what accelerometer recordings use.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

#include "train/loaders.hpp"

namespace tl::train {
namespace {

constexpr std::string_view kMagic = "\x93NUMPY";

struct NpyHeader {
  std::string descr;
  bool fortran = false;
  std::vector<size_t> shape;
  size_t data_offset = 0;
};

[[noreturn]] void fail(const std::string& name, size_t byte, const std::string& problem,
                       const std::string& remedy) {
  throw InputError(name, "byte " + std::to_string(byte), problem, remedy);
}

uint32_t read_le(std::string_view b, size_t at, size_t n) {
  uint32_t v = 0;
  for (size_t i = 0; i < n; ++i) v |= uint32_t(uint8_t(b[at + i])) << (8 * i);
  return v;
}

// The value text after 'key': in the header dict, up to the next ',' at nesting level 0.
std::string dict_value(const std::string& name, const std::string& dict, const std::string& key,
                       size_t header_at) {
  size_t k = dict.find("'" + key + "'");
  if (k == std::string::npos) {
    fail(name, header_at, "the .npy header has no '" + key + "' entry",
         "save the array with numpy.save");
  }
  size_t p = dict.find(':', k);
  size_t depth = 0, end = p + 1;
  for (; end < dict.size(); ++end) {
    char c = dict[end];
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if ((c == ',' || c == '}') && depth == 0) break;
  }
  std::string v = dict.substr(p + 1, end - p - 1);
  size_t a = v.find_first_not_of(" "), z = v.find_last_not_of(" ");
  return a == std::string::npos ? "" : v.substr(a, z - a + 1);
}

std::vector<size_t> parse_shape(const std::string& name, const std::string& text, size_t at) {
  std::vector<size_t> shape;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] >= '0' && text[i] <= '9') {
      size_t j = i;
      while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
      shape.push_back(std::stoul(text.substr(i, j - i)));
      i = j;
    } else {
      ++i;
    }
  }
  if (shape.empty() || shape.size() > 2) {
    fail(name, at, "unsupported shape " + text,
         "save a (rows, axes) array: one row per sample, one column per axis");
  }
  return shape;
}

NpyHeader parse_header(const std::string& name, std::string_view b) {
  if (b.size() < 10 || b.substr(0, 6) != kMagic) {
    fail(name, 0, "not a NumPy .npy file (no \\x93NUMPY magic)",
         "check the file; .npy files are written by numpy.save");
  }
  uint8_t major = uint8_t(b[6]);
  if (major < 1 || major > 3) {
    fail(name, 6, "unsupported .npy version " + std::to_string(major), "use version 1, 2 or 3");
  }
  size_t len_size = major == 1 ? 2 : 4;
  size_t start = 8 + len_size;
  if (b.size() < start) fail(name, 8, "file ends inside the .npy header length", "re-save it");
  size_t len = read_le(b, 8, len_size);
  if (b.size() < start + len) {
    fail(name, b.size(), "file ends inside the .npy header (header says " +
                             std::to_string(len) + " bytes)", "re-save the file");
  }
  std::string dict(b.substr(start, len));
  NpyHeader h;
  h.descr = dict_value(name, dict, "descr", start);
  h.fortran = dict_value(name, dict, "fortran_order", start) == "True";
  h.shape = parse_shape(name, dict_value(name, dict, "shape", start), start);
  h.data_offset = start + len;
  return h;
}

size_t item_size(const std::string& name, const std::string& descr, size_t at) {
  if (descr == "'<i2'") return 2;
  if (descr == "'<i4'" || descr == "'<f4'") return 4;
  if (descr == "'<f8'") return 8;
  fail(name, at, "unsupported dtype " + descr,
       "convert with array.astype('<f4') (supported: <i2, <i4, <f4, <f8)");
}

float decode(std::string_view b, size_t at, const std::string& descr) {
  if (descr == "'<i2'") return float(int16_t(uint16_t(read_le(b, at, 2))));
  if (descr == "'<i4'") return float(int32_t(read_le(b, at, 4)));
  if (descr == "'<f4'") {
    uint32_t u = read_le(b, at, 4);
    float f;
    std::memcpy(&f, &u, 4);
    return f;
  }
  uint64_t u = uint64_t(read_le(b, at, 4)) | uint64_t(read_le(b, at + 4, 4)) << 32;
  double d;
  std::memcpy(&d, &u, 8);
  return float(d);
}

}  // namespace

Recording parse_npy(const std::string& name, std::string_view b, Warnings& warnings) {
  NpyHeader h = parse_header(name, b);
  if (h.fortran) {
    fail(name, 8, "Fortran-order arrays are not supported",
         "save numpy.ascontiguousarray(array) instead");
  }
  size_t isz = item_size(name, h.descr, 10);
  size_t rows = h.shape[0];
  size_t axes = h.shape.size() == 2 ? h.shape[1] : 1;
  if (axes == 0) fail(name, 10, "the array has 0 columns", "save a (rows, axes) array");
  size_t row_bytes = isz * axes;
  size_t payload = b.size() - h.data_offset;
  size_t present = payload / row_bytes;
  if (present < rows) {
    warnings.push_back(name + ": header says " + std::to_string(rows) + " rows but the payload (" +
                       std::to_string(payload) + " bytes) holds only " + std::to_string(present) +
                       " whole rows; using those");
    rows = present;
  }
  if (rows == 0) fail(name, h.data_offset, "no complete sample row in the file", "re-record it");
  Recording r;
  r.file = name;
  r.axes = axes;
  r.samples.resize(rows * axes);
  for (size_t i = 0; i < rows * axes; ++i) {
    size_t at = h.data_offset + i * isz;
    float v = decode(b, at, h.descr);
    if (!std::isfinite(v)) {
      fail(name, at, "sample " + std::to_string(i / axes) + " axis " + std::to_string(i % axes) +
                         " is not a finite number (NaN, infinite or beyond float range)",
           "clean or drop this recording");
    }
    r.samples[i] = v;
  }
  return r;
}

}  // namespace tl::train
