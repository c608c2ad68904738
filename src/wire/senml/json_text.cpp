#include "wire/senml/json_text.hpp"

#include "wire/numtext.hpp"

namespace tl::wire::senml::json {
namespace {

constexpr char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr char kHex[] = "0123456789abcdef";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads "\uXXXX" at in[at]; false when it is not one.
bool read_u_escape(std::string_view in, size_t at, uint32_t& unit) {
  if (in.size() < at + 6 || in[at] != '\\' || in[at + 1] != 'u') return false;
  unit = 0;
  for (size_t k = at + 2; k < at + 6; ++k) {
    const int h = hex_value(in[k]);
    if (h < 0) return false;
    unit = (unit << 4) | static_cast<uint32_t>(h);
  }
  return true;
}

bool is_high_surrogate(uint32_t u) { return u >= 0xD800 && u <= 0xDBFF; }
bool is_low_surrogate(uint32_t u) { return u >= 0xDC00 && u <= 0xDFFF; }

// The code point of the \u escape (or surrogate pair) at in[at]; `len` gets its length in text.
Error read_code_point(std::string_view in, size_t at, uint32_t& cp, size_t& len) {
  uint32_t unit = 0;
  if (!read_u_escape(in, at, unit)) return Error::malformed;
  len = 6;
  cp = unit;
  if (is_low_surrogate(unit)) return Error::invalid_utf8;
  if (!is_high_surrogate(unit)) return Error::ok;
  uint32_t low = 0;
  if (!read_u_escape(in, at + 6, low) || !is_low_surrogate(low)) return Error::invalid_utf8;
  cp = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
  len = 12;
  return Error::ok;
}

// The character a one-letter escape stands for, or 0 when the letter is not an escape.
char simple_escape(char c) {
  switch (c) {
    case '"': return '"';
    case '\\': return '\\';
    case '/': return '/';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    default: return 0;
  }
}

// Length in the text of the escape at in[at] == '\\', after checking it.
Error escape_length(std::string_view in, size_t at, size_t& len) {
  if (at + 1 >= in.size()) return Error::malformed;
  if (simple_escape(in[at + 1]) != 0) {
    len = 2;
    return Error::ok;
  }
  uint32_t cp = 0;
  return read_code_point(in, at, cp, len);
}

void put_utf8(uint32_t cp, ByteWriter& out) {
  if (cp < 0x80) {
    out.put(static_cast<uint8_t>(cp));
  } else if (cp < 0x800) {
    out.put(static_cast<uint8_t>(0xC0 | (cp >> 6)));
    out.put(static_cast<uint8_t>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.put(static_cast<uint8_t>(0xE0 | (cp >> 12)));
    out.put(static_cast<uint8_t>(0x80 | ((cp >> 6) & 0x3F)));
    out.put(static_cast<uint8_t>(0x80 | (cp & 0x3F)));
  } else {
    out.put(static_cast<uint8_t>(0xF0 | (cp >> 18)));
    out.put(static_cast<uint8_t>(0x80 | ((cp >> 12) & 0x3F)));
    out.put(static_cast<uint8_t>(0x80 | ((cp >> 6) & 0x3F)));
    out.put(static_cast<uint8_t>(0x80 | (cp & 0x3F)));
  }
}

// The escape a writer must use for `c`, or 0 when it goes out as it is.
char escape_letter(uint8_t c) {
  switch (c) {
    case '"': return '"';
    case '\\': return '\\';
    case '\b': return 'b';
    case '\f': return 'f';
    case '\n': return 'n';
    case '\r': return 'r';
    case '\t': return 't';
    default: return 0;
  }
}

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

bool is_number_char(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

}  // namespace

void skip_ws(std::string_view in, size_t& pos) {
  while (pos < in.size() && (in[pos] == ' ' || in[pos] == '\t' || in[pos] == '\n' || in[pos] == '\r')) {
    ++pos;
  }
}

Result<String> scan_string(std::string_view in, size_t& pos) {
  String s;
  size_t i = pos + 1;
  for (;;) {
    if (i >= in.size()) return Error::malformed;
    const auto c = static_cast<uint8_t>(in[i]);
    if (c == '"') break;
    if (c < 0x20) return Error::malformed;
    if (c != '\\') {
      ++i;
      continue;
    }
    size_t len = 0;
    Error e = escape_length(in, i, len);
    if (e != Error::ok) return e;
    s.escaped = true;
    i += len;
  }
  s.raw = {in.data() + pos + 1, i - pos - 1};
  // Escapes are ASCII, so checking the raw bytes covers every literal character.
  if (!is_valid_utf8(as_bytes(s.raw))) return Error::invalid_utf8;
  pos = i + 1;
  return s;
}

Error decode_string(const String& s, ByteWriter& out) {
  const std::string_view in = s.raw;
  for (size_t i = 0; i < in.size();) {
    if (in[i] != '\\') {
      out.put(static_cast<uint8_t>(in[i++]));
      continue;
    }
    const char c = simple_escape(in[i + 1]);
    if (c != 0) {
      out.put(static_cast<uint8_t>(c));
      i += 2;
      continue;
    }
    uint32_t cp = 0;
    size_t len = 0;
    Error e = read_code_point(in, i, cp, len);
    if (e != Error::ok) return e;
    put_utf8(cp, out);
    i += len;
  }
  return out.status();
}

Result<std::string_view> scan_number(std::string_view in, size_t& pos) {
  size_t end = pos;
  while (end < in.size() && is_number_char(in[end])) ++end;
  const std::string_view text{in.data() + pos, end - pos};
  // Only the grammar matters here; a magnitude that no type holds is reported on conversion.
  if (parse_double_bits(text).error() == Error::bad_number) return Error::bad_number;
  pos = end;
  return text;
}

Error put_string(std::string_view s, ByteWriter& out) {
  if (!is_valid_utf8(as_bytes(s))) return Error::invalid_utf8;
  out.put('"');
  for (char ch : s) {
    const auto c = static_cast<uint8_t>(ch);
    const char letter = escape_letter(c);
    if (letter != 0) {
      out.put('\\');
      out.put(static_cast<uint8_t>(letter));
    } else if (c < 0x20) {
      out.put("\\u00");
      out.put(static_cast<uint8_t>(kHex[c >> 4]));
      out.put(static_cast<uint8_t>(kHex[c & 0xF]));
    } else {
      out.put(c);
    }
  }
  out.put('"');
  return out.status();
}

void put_base64url(Bytes data, ByteWriter& out) {
  size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    const uint32_t v = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8) | data[i + 2];
    for (int shift = 18; shift >= 0; shift -= 6) out.put(static_cast<uint8_t>(kBase64Url[(v >> shift) & 0x3F]));
  }
  const size_t rest = data.size() - i;
  if (rest == 0) return;
  uint32_t v = uint32_t{data[i]} << 16;
  if (rest == 2) v |= uint32_t{data[i + 1]} << 8;
  // One byte needs two characters, two bytes need three.
  for (size_t k = 0; k <= rest; ++k) out.put(static_cast<uint8_t>(kBase64Url[(v >> (18 - 6 * k)) & 0x3F]));
}

Result<size_t> decode_base64url(std::string_view text, uint8_t* out, size_t cap) {
  size_t len = text.size();
  size_t pad = 0;
  while (len > 0 && pad < 2 && text[len - 1] == '=') {
    --len;
    ++pad;
  }
  if ((pad != 0 && text.size() % 4 != 0) || len % 4 == 1) return Error::malformed;
  const size_t tail = len % 4;
  const size_t size = len / 4 * 3 + (tail == 0 ? 0 : tail - 1);
  if (size > cap) return Error::buffer_too_small;
  size_t o = 0;
  for (size_t i = 0; i < len; i += 4) {
    const size_t chars = len - i < 4 ? len - i : 4;
    uint32_t v = 0;
    for (size_t k = 0; k < 4; ++k) {
      const int d = k < chars ? base64_value(text[i + k]) : 0;
      if (d < 0) return Error::malformed;
      v = (v << 6) | static_cast<uint32_t>(d);
    }
    // All four characters are read before writing, so decoding in place is safe.
    const size_t bytes = chars - 1;
    if (bytes < 3 && (v & ((uint32_t{1} << (8 * (3 - bytes))) - 1)) != 0) return Error::malformed;
    for (size_t k = 0; k < bytes; ++k) out[o++] = static_cast<uint8_t>(v >> (16 - 8 * k));
  }
  return o;
}

}  // namespace tl::wire::senml::json
