// Helpers shared by the trainer tests.
#pragma once
#include <cstdint>
#include <cstring>
#include <string>

namespace tl::train::test {

inline std::string shared(const std::string& rel) { return std::string(TL_SHARED_DIR) + "/" + rel; }

// A .npy v1 file of int16 rows; `header_rows` may exceed the rows actually written.
inline std::string make_npy_i16(size_t header_rows, size_t axes, const int16_t* data, size_t count,
                                const std::string& descr = "<i2") {
  std::string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" +
                     std::to_string(header_rows) + ", " + std::to_string(axes) + "), }";
  while ((10 + dict.size() + 1) % 64 != 0) dict += ' ';
  dict += '\n';
  std::string out = "\x93NUMPY";
  out += char(1);
  out += char(0);
  out += char(dict.size() & 0xFF);
  out += char(dict.size() >> 8);
  out += dict;
  out.append(reinterpret_cast<const char*>(data), count * 2);
  return out;
}

}  // namespace tl::train::test
