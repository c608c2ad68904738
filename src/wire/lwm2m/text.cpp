#include "wire/lwm2m/text.hpp"

#include "wire/numtext.hpp"

namespace tl::wire::lwm2m::text {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr uint8_t kNoSextet = 0xFF;

uint8_t sextet(char c) {
  if (c >= 'A' && c <= 'Z') return static_cast<uint8_t>(c - 'A');
  if (c >= 'a' && c <= 'z') return static_cast<uint8_t>(c - 'a' + 26);
  if (c >= '0' && c <= '9') return static_cast<uint8_t>(c - '0' + 52);
  if (c == '+') return 62;
  if (c == '/') return 63;
  return kNoSextet;
}

// Number of '=' at the end of a group-aligned base64 text (0, 1 or 2).
size_t padding_of(std::string_view in) {
  size_t pad = 0;
  while (pad < 2 && pad < in.size() && in[in.size() - 1 - pad] == '=') ++pad;
  return pad;
}

// Decodes one 4-character group into up to 3 bytes; `keep` is how many bytes the group carries.
Error decode_group(const char* g, size_t keep, uint8_t* out) {
  uint32_t bits = 0;
  for (size_t k = 0; k < 4; ++k) {
    uint8_t s = k <= keep ? sextet(g[k]) : 0;  // padded positions count as zero bits
    if (s == kNoSextet) return Error::malformed;
    bits = (bits << 6) | s;
  }
  // Canonical form: the bits under the padding must be zero, so each text has one decoding.
  if ((keep == 1 && (bits & 0xFFFF) != 0) || (keep == 2 && (bits & 0xFF) != 0)) {
    return Error::malformed;
  }
  for (size_t k = 0; k < keep; ++k) out[k] = static_cast<uint8_t>(bits >> (16 - 8 * k));
  return Error::ok;
}

// Stores a parsed number into its Value field.
template <class T>
Error take(const Result<T>& r, T& out) {
  if (r) out = *r;
  return r.error();
}

Error write_utf8(Bytes text, ByteWriter& out) {
  if (!is_valid_utf8(text)) return Error::invalid_utf8;
  out.put(text);
  return out.status();
}

}  // namespace

Result<ObjLink> parse_objlnk(std::string_view s) {
  const size_t colon = s.find(':');
  if (colon == std::string_view::npos) return Error::malformed;
  const Result<uint64_t> o = parse_uint({s.data(), colon});
  if (!o) return o.error();
  const Result<uint64_t> i = parse_uint({s.data() + colon + 1, s.size() - colon - 1});
  if (!i) return i.error();
  if (*o > 0xFFFF || *i > 0xFFFF) return Error::out_of_range;
  return ObjLink{static_cast<uint16_t>(*o), static_cast<uint16_t>(*i)};
}

Error format_objlnk(ObjLink link, ByteWriter& out) {
  // Nothing more after a first number that did not fit: the writer keeps what it holds.
  const Error e = format_uint(link.object_id, out);
  if (e != Error::ok) return e;
  out.put(static_cast<uint8_t>(':'));
  return format_uint(link.instance_id, out);
}

Error base64_encode(Bytes in, ByteWriter& out) {
  size_t k = 0;
  for (; k + 3 <= in.size(); k += 3) {
    uint32_t bits = (uint32_t{in[k]} << 16) | (uint32_t{in[k + 1]} << 8) | in[k + 2];
    for (unsigned s = 4; s-- > 0;) out.put(static_cast<uint8_t>(kAlphabet[(bits >> (6 * s)) & 63]));
  }
  size_t rest = in.size() - k;
  if (rest != 0) {
    uint32_t bits = uint32_t{in[k]} << 16;
    if (rest == 2) bits |= uint32_t{in[k + 1]} << 8;
    out.put(static_cast<uint8_t>(kAlphabet[(bits >> 18) & 63]));
    out.put(static_cast<uint8_t>(kAlphabet[(bits >> 12) & 63]));
    out.put(static_cast<uint8_t>(rest == 2 ? kAlphabet[(bits >> 6) & 63] : '='));
    out.put(static_cast<uint8_t>('='));
  }
  return out.status();
}

Result<size_t> base64_decode(std::string_view in, MutableBytes out) {
  if (in.size() % 4 != 0) return Error::malformed;
  size_t pad = padding_of(in);
  size_t total = in.size() / 4 * 3 - pad;
  if (total > out.size()) return Error::buffer_too_small;
  size_t written = 0;
  for (size_t g = 0; g < in.size(); g += 4) {
    bool last = g + 4 == in.size();
    size_t keep = last ? 3 - pad : 3;
    Error e = decode_group(in.data() + g, keep, out.data() + written);
    if (e != Error::ok) return e;
    written += keep;
  }
  return written;
}

Error write(const Value& v, ByteWriter& out) {
  switch (v.type) {
    case ValueType::none: return out.status();
    case ValueType::string:
    case ValueType::corelnk: return write_utf8(v.bytes, out);
    case ValueType::integer:
    case ValueType::time: return format_int(v.i, out);
    case ValueType::unsigned_integer: return format_uint(v.u, out);
    case ValueType::floating: return format_double_bits(v.f64, out);
    case ValueType::boolean:
      out.put(static_cast<uint8_t>(v.b ? '1' : '0'));
      return out.status();
    case ValueType::opaque: return base64_encode(v.bytes, out);
    case ValueType::objlnk: return format_objlnk(v.link, out);
  }
  return Error::wrong_type;
}

Result<Value> read(Bytes in, ValueType expected, MutableBytes scratch) {
  // One Value filled in place rather than a factory per type: each factory's zeroed temporary
  // costs code and a memset call at -Os.
  const std::string_view s = as_text(in);
  Value v;
  v.type = expected;
  Error e = Error::ok;
  switch (expected) {
    case ValueType::none:
      if (!in.empty()) return Error::malformed;
      break;
    case ValueType::string:
    case ValueType::corelnk:
      if (!is_valid_utf8(in)) return Error::invalid_utf8;
      v.bytes = in;
      break;
    case ValueType::integer:
    case ValueType::time: e = take(parse_int(s), v.i); break;
    case ValueType::unsigned_integer: e = take(parse_uint(s), v.u); break;
    case ValueType::floating: e = take(parse_double_bits(s), v.f64); break;
    case ValueType::boolean:
      if (s != "0" && s != "1") return Error::malformed;
      v.b = s == "1";
      break;
    case ValueType::opaque: {
      Result<size_t> n = base64_decode(s, scratch);
      if (!n) return n.error();
      v.bytes = Bytes(scratch.data(), *n);
      break;
    }
    case ValueType::objlnk: e = take(parse_objlnk(s), v.link); break;
    default: return Error::wrong_type;
  }
  if (e != Error::ok) return e;
  return v;
}

}  // namespace tl::wire::lwm2m::text
