// Helpers shared by the SenML tests.
#pragma once
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "wire/bytes.hpp"
#include "wire/senml/senml_cbor.hpp"
#include "wire/senml/senml_json.hpp"

namespace tl::wire {
// Readable gtest messages for Error.
inline void PrintTo(Error e, std::ostream* os) { *os << error_name(e); }
}  // namespace tl::wire

namespace tl::wire::senml::test {

inline std::vector<uint8_t> hex(std::string_view text) {
  std::vector<uint8_t> out;
  auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  for (size_t i = 0; i + 1 < text.size(); i += 2) {
    if (text[i] == ' ') {
      --i;
      continue;
    }
    out.push_back(static_cast<uint8_t>(nibble(text[i]) << 4 | nibble(text[i + 1])));
  }
  return out;
}

inline std::string to_hex(Bytes b) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (uint8_t x : b) {
    s += digits[x >> 4];
    s += digits[x & 15];
  }
  return s;
}

inline std::string text_of(Bytes b) { return std::string(as_text(b)); }

// Every record of a pack, and the error that ended it (Error::end when it ended well).
struct Pack {
  std::vector<Record> records;
  Error end = Error::ok;
};

template <class Reader>
Pack read_all(Reader& reader) {
  Pack p;
  for (;;) {
    Result<Record> r = reader.next();
    if (!r) {
      p.end = r.error();
      return p;
    }
    p.records.push_back(*r);
  }
}

inline Pack read_json(std::string_view text, MutableBytes scratch = {}) {
  JsonReader reader(as_bytes(text), scratch);
  return read_all(reader);
}

inline Pack read_cbor(Bytes data) {
  CborReader reader(data);
  return read_all(reader);
}

inline lwm2m::Path path(std::string_view text) { return *lwm2m::parse_path(text); }

}  // namespace tl::wire::senml::test
