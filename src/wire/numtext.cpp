// Numbers as text with integer arithmetic only; see numtext.hpp.
//
// Floating point text uses exact big-integer arithmetic rather than the fast table-driven methods
// (Ryu, Eisel-Lemire): their power-of-ten tables cost several KB of flash, while the big-integer
// methods are short, exact by construction, and fast enough for the few numbers a device handles
// per message.
//   format: Burger & Dybvig's free-format algorithm ("Printing Floating-Point Numbers Quickly and
//           Accurately", 1996), the exact form of Steele & White's shortest-digits method.
//   parse:  the decimal D * 10^E as an exact ratio of two integers, long division to the 53-bit
//           significand plus a round bit and a sticky bit, then round half to even.
//
// Stack (measured on Cortex-M4 with -Os, see the wire README): format uses four 36-word numbers
// (~600 bytes), parse two 116-word numbers (~930 bytes).
#include "wire/numtext.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <limits>

namespace tl::wire {
namespace {

// ---- Big unsigned integers ------------------------------------------------------------------
// Little-endian 32-bit words in a stack array the caller owns, so one copy of this code serves
// the formatter's small numbers and the parser's large ones. Operations do not check capacity:
// each array is sized where it is declared from a bound on the values it can hold, plus one
// spare word for shl.
struct Big {
  uint32_t* w;
  size_t len = 0;  // words in use; w[len - 1] != 0
};

void set(Big& a, uint64_t v) {
  a.w[0] = static_cast<uint32_t>(v);
  a.w[1] = static_cast<uint32_t>(v >> 32);
  a.len = a.w[1] != 0 ? 2 : (a.w[0] != 0 ? 1 : 0);
}

void trim(Big& a) {
  while (a.len > 0 && a.w[a.len - 1] == 0) --a.len;
}

// a = a * m + add
void mul_add(Big& a, uint32_t m, uint32_t add) {
  uint64_t carry = add;
  for (size_t i = 0; i < a.len; ++i) {
    const uint64_t t = uint64_t{a.w[i]} * m + carry;
    a.w[i] = static_cast<uint32_t>(t);
    carry = t >> 32;
  }
  if (carry != 0) a.w[a.len++] = static_cast<uint32_t>(carry);
}

constexpr std::array<uint32_t, 10> kPow10 = {1,      10,      100,      1000,      10000,
                                             100000, 1000000, 10000000, 100000000, 1000000000};

void mul_pow10(Big& a, uint64_t k) {
  for (; k >= 9; k -= 9) mul_add(a, kPow10[9], 0);
  if (k != 0) mul_add(a, kPow10[static_cast<size_t>(k)], 0);
}

void shl(Big& a, size_t bits) {
  if (a.len == 0) return;
  const size_t ws = bits / 32;
  const unsigned up = 32 - bits % 32;  // a word's high part moves down by `up` into the next
  // Highest word first, so that in-place moves never overwrite a word not yet read. A 64-bit
  // window avoids the undefined shift by 32 when the bit shift is zero.
  a.w[a.len + ws] = static_cast<uint32_t>(uint64_t{a.w[a.len - 1]} >> up);
  for (size_t i = a.len - 1; i > 0; --i) {
    a.w[i + ws] = static_cast<uint32_t>(((uint64_t{a.w[i]} << 32) | a.w[i - 1]) >> up);
  }
  a.w[ws] = static_cast<uint32_t>(uint64_t{a.w[0]} << 32 >> up);
  std::fill(a.w, a.w + ws, 0u);
  a.len += ws + 1;
  trim(a);
}

int cmp(const Big& a, const Big& b) {
  if (a.len != b.len) return a.len < b.len ? -1 : 1;
  for (size_t i = a.len; i-- > 0;) {
    if (a.w[i] != b.w[i]) return a.w[i] < b.w[i] ? -1 : 1;
  }
  return 0;
}

uint32_t word(const Big& a, size_t i) { return i < a.len ? a.w[i] : 0; }

// Sign of (a + b) - c, without a temporary: the highest word where the sum and c differ decides.
int cmp_sum(const Big& a, const Big& b, const Big& c) {
  const size_t n = std::max({a.len, b.len, c.len});
  uint64_t carry = 0;
  int result = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint64_t sum = uint64_t{word(a, i)} + word(b, i) + carry;
    const auto lo = static_cast<uint32_t>(sum);
    carry = sum >> 32;
    if (lo != word(c, i)) result = lo < word(c, i) ? -1 : 1;
  }
  return carry != 0 ? 1 : result;
}

// a -= b * q, for a >= b * q.
void mul_sub(Big& a, const Big& b, uint32_t q) {
  uint64_t carry = 0;
  uint32_t borrow = 0;
  for (size_t i = 0; i < a.len; ++i) {
    const uint64_t product = uint64_t{word(b, i)} * q + carry;
    carry = product >> 32;
    const uint64_t d = uint64_t{a.w[i]} - static_cast<uint32_t>(product) - borrow;
    a.w[i] = static_cast<uint32_t>(d);
    borrow = static_cast<uint32_t>(d >> 63);
  }
  trim(a);
}

size_t bit_length(const Big& a) {
  return a.len == 0 ? 0 : 32 * (a.len - 1) + static_cast<size_t>(std::bit_width(a.w[a.len - 1]));
}

// Both the formatter and the parser produce their result one small digit at a time, as
// floor(r / s) with r < 16 s. Shifting r and s (and anything compared with them) left together
// until s's top word lies in [2^27, 2^28) keeps r within as many words as s, and makes
// top(r) / (top(s) + 1) an estimate of the digit that is never too large and at most one too
// small (the error is below 17 / 2^27), so one multiply-subtract and one correction suffice.
size_t normalising_shift(const Big& s) { return (60 - bit_length(s) % 32) % 32; }

uint32_t divide_digit(Big& r, const Big& s) {
  const size_t top = s.len - 1;
  uint32_t q = word(r, top) / (s.w[top] + 1);
  if (q != 0) mul_sub(r, s, q);
  if (cmp(r, s) >= 0) {
    mul_sub(r, s, 1);
    ++q;
  }
  return q;
}

// ---- Output ---------------------------------------------------------------------------------

// Writes all of `text` or nothing.
Error emit(ByteWriter& out, const char* text, size_t n) {
  const bool fits = n <= out.remaining();
  out.put(reinterpret_cast<const uint8_t*>(text), n);
  return fits ? Error::ok : Error::buffer_too_small;
}

// v /= 10, returning the remainder, with 32-bit divisions only: a 64-bit one calls libgcc's
// __aeabi_uldivmod on a 32-bit core. Long division: the high word, then the low word's two
// halves, each partial dividend (remainder * 2^16 + half) staying below 10 * 2^16.
uint32_t divmod10(uint64_t& v) {
  const auto hi = static_cast<uint32_t>(v >> 32);
  const auto lo = static_cast<uint32_t>(v);
  const uint32_t mid = (hi % 10) << 16 | lo >> 16;
  const uint32_t low = (mid % 10) << 16 | (lo & 0xFFFF);
  v = uint64_t{hi / 10} << 32 | (mid / 10) << 16 | low / 10;
  return low % 10;
}

// Decimal digits of v, right-aligned to `end`; returns the first.
char* put_decimal(uint64_t v, char* end) {
  do {
    *--end = static_cast<char>('0' + divmod10(v));
  } while (v != 0);
  return end;
}

// ---- Shortest digits (Burger & Dybvig free-format) -------------------------------------------

// Enough for binary64: a shortest representation never needs more than 17 digits.
constexpr size_t kMaxDigits = 17;

// Scaled so that value = r/s * 10^k, and the values that round to the same float are those
// within m_minus below and m_plus above.
//
// Word bound: s is the largest number, and r < 10 s stays within as many words. For binary64 s
// is at most 4 * 10^309 (large values) or 2^1076 * 10 (tiny values: 2^(2-e), times 10 for the
// exponent correction), below 2^1080; the normalising shift adds at most 31 bits: 35 words,
// plus shl's spare word.
constexpr size_t kFormatWords = 36;

struct Digits {
  std::array<char, kMaxDigits> d;
  size_t n = 0;
  int point = 0;  // value = 0.d1 d2 ... * 10^point
};

// Shortest digits of f * 2^e (f > 0) that read back as the same float. `lower_closer` is true
// when f is a power of two above the smallest normal, where the float below is half as far
// away as the float above. Ties between two equally short candidates go to the even digit,
// which is what Ryu (and therefore std::to_chars) does.
void shortest(uint64_t f, int e, bool lower_closer, Digits& out) {
  std::array<uint32_t, kFormatWords> rw, sw, mlw, mhw;
  Big r{rw.data()}, s{sw.data()}, m_minus{mlw.data()}, m_plus_own{mhw.data()};
  // Round half to even decides whether the boundaries themselves read back as this float.
  const bool even = (f & 1) == 0;
  const unsigned lc = lower_closer ? 1 : 0;
  // Everything is doubled (and doubled again when lower_closer) so the half-gaps are integers.
  set(r, f);
  set(s, 1);
  set(m_minus, 1);
  if (e >= 0) {
    shl(r, static_cast<size_t>(e) + 1 + lc);
    shl(s, 1 + lc);
    shl(m_minus, static_cast<size_t>(e));
  } else {
    shl(r, 1 + lc);
    shl(s, static_cast<size_t>(1 - e) + lc);
  }
  // The half-gap above equals the one below unless lower_closer; then it is twice as large.
  Big& m_plus = lower_closer ? m_plus_own : m_minus;
  if (lower_closer) {
    std::copy_n(m_minus.w, m_minus.len, m_plus_own.w);
    m_plus_own.len = m_minus.len;
    shl(m_plus_own, 1);
  }
  // Estimate k, the least with high end < 10^k, from below; the loop after corrects upwards.
  // value >= 2^e2 >= 10^floor(e2 * log10(2)), so k > floor(e2 * log10(2)). 78913 / 2^18 is just
  // below log10(2): for e2 >= 0 the product's floor is at most the true one, for e2 < 0 it may
  // be one above it, so there the + 1 is left out.
  const int e2 = e + static_cast<int>(std::bit_width(f)) - 1;
  int k = ((e2 * 78913) >> 18) + (e2 >= 0 ? 1 : 0);
  if (k >= 0) {
    mul_pow10(s, static_cast<uint64_t>(k));
  } else {
    mul_pow10(r, static_cast<uint64_t>(-k));
    mul_pow10(m_minus, static_cast<uint64_t>(-k));
    if (lower_closer) mul_pow10(m_plus, static_cast<uint64_t>(-k));
  }
  // Correct the low estimate: the upper end of the interval must lie below 10^k (or may touch
  // it when it is excluded, i.e. when f is odd).
  for (int c = cmp_sum(r, m_plus, s); c > 0 || (c == 0 && even); c = cmp_sum(r, m_plus, s)) {
    mul_add(s, 10, 0);
    ++k;
  }
  out.point = k;
  out.n = 0;
  const size_t shift = normalising_shift(s);
  shl(s, shift);
  shl(r, shift);
  shl(m_minus, shift);
  if (lower_closer) shl(m_plus, shift);
  for (;;) {
    mul_add(r, 10, 0);
    mul_add(m_minus, 10, 0);
    if (lower_closer) mul_add(m_plus, 10, 0);
    auto digit = static_cast<char>(divide_digit(r, s));
    // Can we stop with this digit (low) or with this digit + 1 (high)?
    const int c_low = cmp(r, m_minus);
    const int c_high = cmp_sum(r, m_plus, s);
    const bool low = c_low < 0 || (c_low == 0 && even);
    const bool high = c_high > 0 || (c_high == 0 && even);
    if (low && high) {
      // Both read back: take the nearer, the even one on a tie.
      const int c_mid = cmp_sum(r, r, s);
      if (c_mid > 0 || (c_mid == 0 && (digit & 1) != 0)) ++digit;
    } else if (high) {
      ++digit;
    }
    out.d[out.n++] = static_cast<char>('0' + digit);
    if (low || high) return;
  }
}

// JavaScript's Number.prototype.toString layout (ECMA-262 Number::toString): plain notation for
// 1e-6 <= |x| < 1e21, otherwise d.ddde+XX / d.ddde-XX.
Error emit_number(bool negative, const Digits& dg, ByteWriter& out) {
  std::array<char, kMaxNumberText> buf;
  char* p = buf.data();
  const auto n = static_cast<int>(dg.n);
  const int k = dg.point;
  const char* d = dg.d.data();
  if (negative) *p++ = '-';
  if (n <= k && k <= 21) {
    p = std::copy_n(d, n, p);
    p = std::fill_n(p, k - n, '0');
  } else if (0 < k && k <= 21) {
    p = std::copy_n(d, k, p);
    *p++ = '.';
    p = std::copy_n(d + k, n - k, p);
  } else if (-6 < k && k <= 0) {
    *p++ = '0';
    *p++ = '.';
    p = std::fill_n(p, -k, '0');
    p = std::copy_n(d, n, p);
  } else {
    *p++ = d[0];
    if (n > 1) {
      *p++ = '.';
      p = std::copy_n(d + 1, n - 1, p);
    }
    *p++ = 'e';
    *p++ = k - 1 < 0 ? '-' : '+';
    std::array<char, 4> exp;
    char* const exp_end = exp.data() + exp.size();
    const char* first = put_decimal(static_cast<uint64_t>(k - 1 < 0 ? 1 - k : k - 1), exp_end);
    p = std::copy(first, static_cast<const char*>(exp_end), p);
  }
  return emit(out, buf.data(), static_cast<size_t>(p - buf.data()));
}

// Formats a finite value given as sign, biased exponent and fraction field of an IEEE format
// with `frac_bits` fraction bits and the given bias.
Error format_ieee(bool negative, uint32_t biased, uint64_t frac, int frac_bits, int bias,
                  ByteWriter& out) {
  if (biased == 0 && frac == 0) return negative ? emit(out, "-0", 2) : emit(out, "0", 1);
  const int min_e = 1 - bias - frac_bits;  // exponent of the subnormals' unit
  const uint64_t f = biased == 0 ? frac : frac | (uint64_t{1} << frac_bits);
  const int e = biased == 0 ? min_e : min_e + static_cast<int>(biased) - 1;
  Digits dg;
  shortest(f, e, frac == 0 && biased > 1, dg);
  return emit_number(negative, dg, out);
}

// ---- Parsing --------------------------------------------------------------------------------

bool is_digit(char c) { return c >= '0' && c <= '9'; }

const char* skip_digits(const char* p, const char* end) {
  while (p != end && is_digit(*p)) ++p;
  return p;
}

// A number in the JSON grammar, reduced to its significant digits and decimal point.
struct DecimalText {
  bool negative = false;
  const char* first = nullptr;  // first non-zero digit; nullptr when the value is zero
  const char* last = nullptr;   // end of the digits (integer and fraction, '.' in between)
  int64_t point = 0;            // value = 0.d1 d2 ... * 10^point
};

// Exponents are read saturating here: any larger magnitude is equally out of range, and inputs
// long enough to shift the decimal point by this much cannot exist.
constexpr int64_t kExponentCap = 100'000'000'000'000'000;

Result<DecimalText> scan_decimal(std::string_view s) {
  const char* p = s.data();
  const char* const end = p + s.size();
  DecimalText t;
  if (p != end && *p == '-') {
    t.negative = true;
    ++p;
  }
  const char* const int_begin = p;
  p = skip_digits(p, end);
  const char* const int_end = p;
  if (int_end == int_begin) return Error::bad_number;
  const char* frac_begin = int_end;
  if (p != end && *p == '.') {
    frac_begin = ++p;
    p = skip_digits(p, end);
    if (p == frac_begin) return Error::bad_number;
  }
  const char* const frac_end = p;
  int64_t exponent = 0;
  if (p != end && (*p == 'e' || *p == 'E')) {
    ++p;
    const bool exp_negative = p != end && *p == '-';
    if (p != end && (*p == '+' || *p == '-')) ++p;
    const char* const exp_begin = p;
    for (; p != end && is_digit(*p); ++p) {
      exponent = std::min(exponent * 10 + (*p - '0'), kExponentCap);
    }
    if (p == exp_begin) return Error::bad_number;
    if (exp_negative) exponent = -exponent;
  }
  if (p != end) return Error::bad_number;
  t.last = frac_end;
  const char* q = int_begin;
  while (q != int_end && *q == '0') ++q;
  if (q != int_end) {
    t.first = q;
    t.point = (int_end - q) + exponent;
    return t;
  }
  q = frac_begin;
  while (q != frac_end && *q == '0') ++q;
  if (q != frac_end) {
    t.first = q;
    t.point = exponent - (q - frac_begin);
  }
  return t;
}

// Digits beyond this many cannot change the rounding: a value halfway between two binary64
// values has at most 767 significant digits, so the digits kept here decide on which side of
// every such midpoint the number lies, and whether any dropped digit is non-zero decides ties.
constexpr size_t kMaxParseDigits = 768;
// Values with point > kMaxPoint are at least 10^310 (out of range); with point < kMinPoint
// they are below 10^-324, less than half the smallest subnormal (2^-1074 ~ 4.9e-324): zero.
constexpr int64_t kMaxPoint = 310;
constexpr int64_t kMinPoint = -323;
// Word bound: the divisor is at most 10^(769 - kMinPoint) = 10^1092 < 2^3628, 3659 bits after
// the normalising shift: 115 words, which the remainder (below 16 times the divisor, top word
// below 2^32) never exceeds; the dividend is at most 10^769 or 10^kMaxPoint, smaller. Plus
// shl's spare word.
constexpr size_t kParseWords = 116;

// Loads the significant digits as an integer; returns how many there are. When non-zero digits
// are dropped past kMaxParseDigits, a final digit 1 stands in for them (sticky).
size_t load_digits(const DecimalText& t, Big& d) {
  size_t n = 0;
  uint32_t chunk = 0;
  size_t chunk_len = 0;
  const char* p = t.first;
  for (; p != t.last && n < kMaxParseDigits; ++p) {
    if (*p == '.') continue;
    chunk = chunk * 10 + static_cast<uint32_t>(*p - '0');
    ++n;
    if (++chunk_len == 9) {
      mul_add(d, kPow10[9], chunk);
      chunk = 0;
      chunk_len = 0;
    }
  }
  mul_add(d, kPow10[chunk_len], chunk);
  for (; p != t.last; ++p) {
    if (*p != '.' && *p != '0') {
      mul_add(d, 10, 1);
      return n + 1;
    }
  }
  return n;
}

// Correctly rounded binary64 bits (without sign) of num / den, both non-zero.
// Error::out_of_range when the result rounds to infinity.
Result<uint64_t> round_quotient(Big& num, Big& den) {
  // Align so that den <= num < 2 den; then value = num / den * 2^b with the ratio in [1, 2).
  const auto bits_num = static_cast<int64_t>(bit_length(num));
  const auto bits_den = static_cast<int64_t>(bit_length(den));
  int64_t b = bits_num - bits_den;
  if (b > 0) {
    shl(den, static_cast<size_t>(b));
  } else {
    shl(num, static_cast<size_t>(-b));
  }
  if (cmp(num, den) < 0) {
    shl(num, 1);
    --b;
  }
  if (b > 1023) return Error::out_of_range;
  // Significand bits to keep: 53 for a normal result, fewer for a subnormal one; below 2^-1075
  // nothing but zero is possible.
  if (b < -1075) return uint64_t{0};
  const auto keep = static_cast<int>(std::min<int64_t>(53, b + 1075));
  // Long division in base 16 after the leading 1 bit, until the kept bits and the round bit are
  // there (up to 3 more bits, which count towards the sticky bit with the remainder).
  const size_t shift = normalising_shift(den);
  shl(den, shift);
  shl(num, shift);
  mul_sub(num, den, 1);
  uint64_t q = 1;
  int produced = 1;
  for (; produced < keep + 1; produced += 4) {
    shl(num, 4);
    q = q << 4 | divide_digit(num, den);
  }
  const int extra = produced - (keep + 1);
  const bool sticky = num.len != 0 || (q & ((uint64_t{1} << extra) - 1)) != 0;
  const bool round = ((q >> extra) & 1) != 0;
  q >>= extra + 1;
  if (round && (sticky || (q & 1) != 0)) ++q;
  // For a normal result q holds the implicit bit, which adding to the exponent field (biased - 1)
  // makes up for; a subnormal q goes in as is. A rounding carry moves into the exponent.
  const uint64_t bits = b >= -1022 ? (static_cast<uint64_t>(b + 1022) << 52) + q : q;
  if (bits >= (uint64_t{0x7FF} << 52)) return Error::out_of_range;
  return bits;
}

}  // namespace

Error format_uint(uint64_t v, ByteWriter& out) {
  std::array<char, 20> buf;
  char* const end = buf.data() + buf.size();
  const char* first = put_decimal(v, end);
  return emit(out, first, static_cast<size_t>(end - first));
}

Error format_int(int64_t v, ByteWriter& out) {
  std::array<char, 21> buf;
  char* const end = buf.data() + buf.size();
  // Magnitude in unsigned arithmetic: -INT64_MIN does not fit in int64_t.
  const uint64_t mag = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  char* first = put_decimal(mag, end);
  if (v < 0) *--first = '-';
  return emit(out, first, static_cast<size_t>(end - first));
}

Result<uint64_t> parse_uint(std::string_view s) {
  if (s.empty()) return Error::bad_number;
  uint64_t v = 0;
  bool overflow = false;
  // A malformed number is reported as such even when its digits would also overflow.
  for (const char c : s) {
    if (!is_digit(c)) return Error::bad_number;
    const auto digit = static_cast<uint64_t>(c - '0');
    // v * 10 + digit > max, with the division by 10 done at compile time.
    constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
    if (v > kMax / 10 || (v == kMax / 10 && digit > kMax % 10)) overflow = true;
    v = v * 10 + digit;
  }
  if (overflow) return Error::out_of_range;
  return v;
}

Result<int64_t> parse_int(std::string_view s) {
  const bool negative = !s.empty() && s.front() == '-';
  if (negative) s.remove_prefix(1);
  const Result<uint64_t> mag = parse_uint(s);
  if (!mag) return mag.error();
  const uint64_t limit = uint64_t{std::numeric_limits<int64_t>::max()} + (negative ? 1 : 0);
  if (*mag > limit) return Error::out_of_range;
  // Negate in unsigned arithmetic so that 2^63 becomes INT64_MIN without overflow.
  return static_cast<int64_t>(negative ? 0 - *mag : *mag);
}

Error format_double_bits(uint64_t bits, ByteWriter& out) {
  const auto biased = static_cast<uint32_t>((bits >> 52) & 0x7FF);
  if (biased == 0x7FF) return Error::out_of_range;
  return format_ieee((bits >> 63) != 0, biased, bits & ((uint64_t{1} << 52) - 1), 52, 1023, out);
}

Error format_float(float v, ByteWriter& out) {
  const uint32_t bits = std::bit_cast<uint32_t>(v);
  const uint32_t biased = (bits >> 23) & 0xFF;
  if (biased == 0xFF) return Error::out_of_range;
  return format_ieee((bits >> 31) != 0, biased, bits & 0x7FFFFF, 23, 127, out);
}

Result<uint64_t> parse_double_bits(std::string_view s) {
  const Result<DecimalText> text = scan_decimal(s);
  if (!text) return text.error();
  const uint64_t sign = text->negative ? uint64_t{1} << 63 : 0;
  if (text->first == nullptr || text->point < kMinPoint) return sign;
  if (text->point > kMaxPoint) return Error::out_of_range;
  std::array<uint32_t, kParseWords> num_words, den_words;
  Big num{num_words.data()}, den{den_words.data()};
  const size_t n = load_digits(*text, num);
  set(den, 1);
  // value = num * 10^(point - n): the power of ten goes into whichever side keeps it integral.
  const int64_t e10 = text->point - static_cast<int64_t>(n);
  if (e10 >= 0) {
    mul_pow10(num, static_cast<uint64_t>(e10));
  } else {
    mul_pow10(den, static_cast<uint64_t>(-e10));
  }
  const Result<uint64_t> mag = round_quotient(num, den);
  if (!mag) return mag.error();
  return sign | *mag;
}

bool is_valid_utf8(Bytes s) {
  size_t i = 0;
  while (i < s.size()) {
    const uint8_t b = s[i];
    if (b < 0x80) {
      ++i;
      continue;
    }
    // RFC 3629 section 4: the lead byte fixes the length and the allowed range of the second
    // byte, which is where overlongs (E0, F0), surrogates (ED) and > U+10FFFF (F4) are cut off.
    size_t len = 0;
    uint8_t lo = 0x80;
    uint8_t hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    } else {
      return false;  // continuation byte, overlong lead C0/C1, or F5..FF
    }
    if (s.size() - i < len) return false;
    if (s[i + 1] < lo || s[i + 1] > hi) return false;
    for (size_t j = 2; j < len; ++j) {
      if ((s[i + j] & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

}  // namespace tl::wire
