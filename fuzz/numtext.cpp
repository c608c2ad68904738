// Fuzzes wire/numtext.hpp. On arbitrary input:
//   - parse_double_bits accepts exactly the JSON number grammar (checked by an independent
//     matcher), agrees bit for bit with std::from_chars, and what it parses formats to text that
//     parses back to the same bits (binary32 too);
//   - parse_int / parse_uint agree with a reference and round-trip through format_*;
//   - the first 8 bytes as binary64 bits format and parse back unchanged;
//   - is_valid_utf8 runs over the input (ASan/UBSan watch it);
//   - wire/hex.hpp: hex text that decodes encodes back to the same text in lower case.
// Any disagreement aborts.
#include <bit>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "wire/hex.hpp"
#include "wire/ieee754.hpp"
#include "wire/numtext.hpp"

using namespace tl::wire;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// -?digits(.digits)?([eE][+-]?digits)?, written independently of the parser under test.
bool json_number(std::string_view s) {
  size_t i = 0;
  const auto digits = [&] {
    const size_t begin = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    return i > begin;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (!digits()) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

// Whether a grammatical number that std::from_chars calls out of range is large (overflow)
// rather than tiny (underflow): the decimal position of its first non-zero digit plus the
// exponent, saturating.
bool is_large(std::string_view s) {
  long long lead = 0;  // digits before the point, counted from the first non-zero one
  bool seen = false;
  bool after_point = false;
  size_t i = s[0] == '-' ? 1 : 0;
  for (; i < s.size() && s[i] != 'e' && s[i] != 'E'; ++i) {
    if (s[i] == '.') {
      after_point = true;
    } else if (!after_point) {
      seen = seen || s[i] != '0';
      if (seen) ++lead;
    } else if (!seen) {
      if (s[i] != '0') break;
      --lead;
    } else {
      break;
    }
  }
  while (i < s.size() && s[i] != 'e' && s[i] != 'E') ++i;
  long long exp = 0;
  if (i < s.size()) {
    ++i;
    const bool negative = s[i] == '-';
    if (s[i] == '+' || s[i] == '-') ++i;
    for (; i < s.size(); ++i) exp = std::min(exp * 10 + (s[i] - '0'), 1'000'000'000'000LL);
    if (negative) exp = -exp;
  }
  return lead + exp > 0;
}

// Formats bits and parses them back with both parsers.
void check_double_round_trip(uint64_t bits) {
  uint8_t buf[kMaxNumberText];
  ByteWriter w(buf, sizeof buf);
  const bool finite = ((bits >> 52) & 0x7FF) != 0x7FF;
  const Error e = format_double_bits(bits, w);
  check(e == (finite ? Error::ok : Error::out_of_range));
  if (!finite) return;
  const Result<uint64_t> back = parse_double_bits(as_text(w.written()));
  check(back.ok() && *back == bits);
  double ref = 0;
  const std::string_view text = as_text(w.written());
  const auto r = std::from_chars(text.data(), text.data() + text.size(), ref);
  check(r.ec == std::errc() && r.ptr == text.data() + text.size());
  check(std::bit_cast<uint64_t>(ref) == bits);
}

void check_float_round_trip(float x) {
  uint8_t buf[kMaxNumberText];
  ByteWriter w(buf, sizeof buf);
  check(format_float(x, w) == Error::ok);
  const std::string_view text = as_text(w.written());
  float back = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), back);
  check(r.ec == std::errc() && r.ptr == text.data() + text.size());
  check(std::bit_cast<uint32_t>(back) == std::bit_cast<uint32_t>(x));
  check(f32_from_f64_bits(f64_bits_from_f32(x)) == x);
}

void fuzz_double(std::string_view s) {
  const Result<uint64_t> got = parse_double_bits(s);
  const bool grammatical = json_number(s);
  check(grammatical == (got.error() != Error::bad_number));
  if (!grammatical) return;
  double ref = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), ref);
  check(r.ptr == s.data() + s.size());
  if (r.ec == std::errc::result_out_of_range) {
    // libstdc++ reports underflow to zero as out of range too.
    if (is_large(s)) {
      check(got.error() == Error::out_of_range);
    } else {
      check(got.ok() && (*got << 1) == 0 && (*got >> 63) == (s[0] == '-' ? 1u : 0u));
    }
    return;
  }
  check(r.ec == std::errc() && got.ok() && *got == std::bit_cast<uint64_t>(ref));
  check_double_round_trip(*got);
  const float f = f32_from_f64_bits(*got);
  if (f - f == 0.0f) check_float_round_trip(f);  // finite
}

void fuzz_integers(std::string_view s) {
  uint8_t buf[32];
  const Result<uint64_t> u = parse_uint(s);
  uint64_t ref_u = 0;
  const bool plain_digits = !s.empty() && is_digit(s[0]);
  const auto ru = std::from_chars(s.data(), s.data() + s.size(), ref_u);
  const bool ref_whole = plain_digits && ru.ptr == s.data() + s.size();
  if (u) {
    check(ref_whole && ru.ec == std::errc() && *u == ref_u);
    ByteWriter w(buf, sizeof buf);
    check(format_uint(*u, w) == Error::ok);
    check(*parse_uint(as_text(w.written())) == *u);
  } else {
    check(u.error() == (ref_whole ? Error::out_of_range : Error::bad_number));
  }
  const Result<int64_t> i = parse_int(s);
  int64_t ref_i = 0;
  const bool sign_then_digit =
      !s.empty() && (is_digit(s[0]) || (s[0] == '-' && s.size() > 1 && is_digit(s[1])));
  const auto ri = std::from_chars(s.data(), s.data() + s.size(), ref_i);
  const bool ref_i_whole = sign_then_digit && ri.ptr == s.data() + s.size();
  if (i) {
    check(ref_i_whole && ri.ec == std::errc() && *i == ref_i);
    ByteWriter w(buf, sizeof buf);
    check(format_int(*i, w) == Error::ok);
    check(*parse_int(as_text(w.written())) == *i);
  } else {
    check(i.error() == (ref_i_whole ? Error::out_of_range : Error::bad_number));
  }
}

}  // namespace

void fuzz_hex(std::string_view s) {
  uint8_t bytes[64];
  char text[128];
  if (s.size() > sizeof text) return;
  if (decode_hex(s, {bytes, s.size() / 2}) != Error::ok) return;
  check(encode_hex({bytes, s.size() / 2}, {text, s.size()}) == Error::ok);
  for (size_t i = 0; i < s.size(); ++i) {
    const char lower = s[i] >= 'A' && s[i] <= 'F' ? static_cast<char>(s[i] - 'A' + 'a') : s[i];
    check(text[i] == lower);
  }
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view s(reinterpret_cast<const char*>(data), size);
  fuzz_hex(s);
  fuzz_double(s);
  fuzz_integers(s);
  (void)is_valid_utf8(Bytes{data, size});
  if (size >= 8) {
    uint64_t bits = 0;
    std::memcpy(&bits, data, sizeof bits);
    check_double_round_trip(bits);
    uint32_t fbits = 0;
    std::memcpy(&fbits, data, sizeof fbits);
    const float f = std::bit_cast<float>(fbits);
    if (f - f == 0.0f) check_float_round_trip(f);
  }
  return 0;
}
