#include "wire/senml/cbor.hpp"

#include "wire/numtext.hpp"

namespace tl::wire::cbor {
namespace {

constexpr uint64_t low_mask(unsigned bits) { return bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1; }

constexpr unsigned kF64Mant = 52;
constexpr int kF64Bias = 1023;

// Widens an IEEE-754 pattern with `ebits` exponent and `mbits` mantissa bits to binary64.
uint64_t widen(uint64_t bits, unsigned ebits, unsigned mbits) {
  const uint64_t sign = ((bits >> (ebits + mbits)) & 1) << 63;
  const uint64_t exp = (bits >> mbits) & low_mask(ebits);
  uint64_t mant = bits & low_mask(mbits);
  const int bias = (1 << (ebits - 1)) - 1;
  const unsigned shift = kF64Mant - mbits;
  if (exp == low_mask(ebits)) return sign | (uint64_t{0x7FF} << kF64Mant) | (mant << shift);
  if (exp == 0) {
    if (mant == 0) return sign;
    // Subnormal: shift the leading 1 up into the implicit-bit position binary64 has for it.
    int e = 1 - bias;
    while ((mant & (uint64_t{1} << mbits)) == 0) {
      mant <<= 1;
      --e;
    }
    mant &= low_mask(mbits);
    return sign | (static_cast<uint64_t>(e + kF64Bias) << kF64Mant) | (mant << shift);
  }
  const int e = static_cast<int>(exp) - bias;
  return sign | (static_cast<uint64_t>(e + kF64Bias) << kF64Mant) | (mant << shift);
}

// Narrows binary64 to a format with `ebits`/`mbits` when no bit of the value is lost.
bool narrow(uint64_t f64, unsigned ebits, unsigned mbits, uint64_t& out) {
  const uint64_t sign = (f64 >> 63) << (ebits + mbits);
  const int exp = static_cast<int>((f64 >> kF64Mant) & 0x7FF);
  const uint64_t mant = f64 & low_mask(kF64Mant);
  const unsigned drop = kF64Mant - mbits;
  if (exp == 0x7FF) {  // infinity, or NaN whose payload must survive
    if ((mant & low_mask(drop)) != 0) return false;
    out = sign | (low_mask(ebits) << mbits) | (mant >> drop);
    return true;
  }
  if (exp == 0) {  // zero fits; binary64 subnormals are far below any narrow format's range
    out = sign;
    return mant == 0;
  }
  const int bias = (1 << (ebits - 1)) - 1;
  const int e = exp - kF64Bias;
  if (e > bias) return false;
  if (e >= 1 - bias) {
    if ((mant & low_mask(drop)) != 0) return false;
    out = sign | (static_cast<uint64_t>(e + bias) << mbits) | (mant >> drop);
    return true;
  }
  // Subnormal in the narrow format: 1.mant * 2^e == m * 2^(1 - bias - mbits).
  const uint64_t sig = mant | (uint64_t{1} << kF64Mant);
  const int shift = 1 - bias - e + static_cast<int>(drop);
  if (shift > 63 || (sig & low_mask(static_cast<unsigned>(shift))) != 0) return false;
  out = sign | (sig >> shift);
  return true;
}

}  // namespace

uint64_t f64_from_f16(uint16_t half) { return widen(half, 5, 10); }
uint64_t f64_from_f32(uint32_t single) { return widen(single, 8, 23); }

bool f16_from_f64(uint64_t f64, uint16_t& half) {
  uint64_t out = 0;
  if (!narrow(f64, 5, 10, out)) return false;
  half = static_cast<uint16_t>(out);
  return true;
}

bool f32_from_f64(uint64_t f64, uint32_t& single) {
  uint64_t out = 0;
  if (!narrow(f64, 8, 23, out)) return false;
  single = static_cast<uint32_t>(out);
  return true;
}

// ---- Writer

void Writer::head(uint8_t major, uint64_t arg) {
  const auto m = static_cast<uint8_t>(major << 5);
  if (arg < 24) {
    out_.put(static_cast<uint8_t>(m | arg));
  } else if (arg <= 0xFF) {
    out_.put(static_cast<uint8_t>(m | 24));
    out_.put_be(arg, 1);
  } else if (arg <= 0xFFFF) {
    out_.put(static_cast<uint8_t>(m | 25));
    out_.put_be(arg, 2);
  } else if (arg <= 0xFFFFFFFF) {
    out_.put(static_cast<uint8_t>(m | 26));
    out_.put_be(arg, 4);
  } else {
    out_.put(static_cast<uint8_t>(m | 27));
    out_.put_be(arg, 8);
  }
}

void Writer::integer(int64_t v) {
  if (v >= 0) {
    head(0, static_cast<uint64_t>(v));
  } else {
    negative_integer(static_cast<uint64_t>(-1 - v));  // -1 - v cannot overflow for any negative v
  }
}

void Writer::bytes(Bytes b) {
  head(2, b.size());
  out_.put(b);
}

void Writer::text(std::string_view s) {
  head(3, s.size());
  out_.put(s);
}

void Writer::float_bits(uint64_t f64) {
  uint16_t half = 0;
  uint32_t single = 0;
  if (f16_from_f64(f64, half)) {
    out_.put(0xF9);
    out_.put_be(half, 2);
  } else if (f32_from_f64(f64, single)) {
    out_.put(0xFA);
    out_.put_be(single, 4);
  } else {
    out_.put(0xFB);
    out_.put_be(f64, 8);
  }
}

// ---- Reader

Result<Token> Reader::next() {
  Token t;
  Error e = next(t);
  if (e != Error::ok) return e;
  return t;
}

Error Reader::next(Token& t) {
  if (error_ != Error::ok) return error_;
  if (depth_ == 0 && in_.empty()) return Error::end;
  t = Token{};
  Error e = read_token(t);
  if (e != Error::ok) error_ = e;
  return e;
}

Error Reader::skip() {
  const size_t start = depth_;
  Token t;
  Error e = next(t);
  if (e != Error::ok) return e;
  if (t.type == Type::break_mark) return Error::malformed;  // no item where one was expected
  while (e == Error::ok && depth_ > start) e = next(t);
  return e;
}

Error Reader::read_token(Token& t) {
  bool tagged = false;
  for (;;) {
    Result<uint8_t> initial = in_.byte();
    if (!initial) return Error::truncated;
    if ((*initial >> 5) != 6) {
      // A tag applies to the data item that follows it; a break is not one.
      if (tagged && *initial == 0xFF) return Error::malformed;
      return read_item(*initial, t);
    }
    // Tags carry semantics this stack never needs; the tagged item is returned as it is.
    Result<uint64_t> tag = argument(*initial & 0x1F);
    if (!tag) return tag.error();
    tagged = true;
  }
}

Result<uint64_t> Reader::argument(uint8_t info) {
  if (info < 24) return uint64_t{info};
  if (info > 27) return Error::malformed;  // 28-30 reserved; 31 only where indefinite is allowed
  return in_.be(1u << (info - 24));
}

Error Reader::read_item(uint8_t initial, Token& t) {
  const auto major = static_cast<uint8_t>(initial >> 5);
  const auto info = static_cast<uint8_t>(initial & 0x1F);
  if (initial == 0xFF) {
    t.type = Type::break_mark;
    return close_break();
  }
  count_item();
  Error e = Error::ok;
  switch (major) {
    case 0:
    case 1: {
      Result<uint64_t> arg = argument(info);
      t.type = major == 0 ? Type::unsigned_integer : Type::negative_integer;
      t.u = *arg;
      e = arg.error();
      break;
    }
    case 2:
    case 3:
      t.type = major == 2 ? Type::bytes : Type::text;
      e = read_string(info, t);
      break;
    case 4:
    case 5:
      t.type = major == 5 ? Type::map : Type::array;
      return open_container(info, t);
    default: e = read_simple(info, t); break;
  }
  if (e == Error::ok) close_finished();
  return e;
}

Error Reader::read_string(uint8_t info, Token& t) {
  if (info == 31) return Error::unsupported;  // chunked strings: never produced by SenML encoders
  Result<uint64_t> len = argument(info);
  if (!len) return len.error();
  if (*len > in_.remaining()) return Error::truncated;
  t.bytes = *in_.take(static_cast<size_t>(*len));
  if (t.type == Type::text && !is_valid_utf8(t.bytes)) return Error::invalid_utf8;
  return Error::ok;
}

Error Reader::read_simple(uint8_t info, Token& t) {
  switch (info) {
    case 20:
    case 21:
      t.type = Type::boolean;
      t.b = info == 21;
      return Error::ok;
    case 22: t.type = Type::null; return Error::ok;
    case 23: t.type = Type::undefined; return Error::ok;
    case 24: {
      Result<uint8_t> v = in_.byte();
      if (!v) return v.error();
      if (*v < 32) return Error::malformed;  // RFC 8949 3.3: those need the one-byte form
      t.type = Type::simple;
      t.u = *v;
      return Error::ok;
    }
    case 25:
    case 26:
    case 27: {
      Result<uint64_t> bits = argument(info);
      if (!bits) return bits.error();
      t.type = Type::floating;
      t.u = info == 25   ? f64_from_f16(static_cast<uint16_t>(*bits))
            : info == 26 ? f64_from_f32(static_cast<uint32_t>(*bits))
                         : *bits;
      return Error::ok;
    }
    default:
      if (info >= 28) return Error::malformed;
      t.type = Type::simple;
      t.u = info;
      return Error::ok;
  }
}

Error Reader::open_container(uint8_t info, Token& t) {
  const bool is_map = t.type == Type::map;
  t.indefinite = info == 31;
  if (!t.indefinite) {
    Result<uint64_t> count = argument(info);
    if (!count) return count.error();
    t.u = *count;
    // Every item takes at least one byte: a count the input cannot hold is truncated input.
    const uint64_t room = is_map ? in_.remaining() / 2 : in_.remaining();
    if (t.u > room) return Error::truncated;
    if (t.u == 0) {
      close_finished();
      return Error::ok;
    }
  }
  if (depth_ == kMaxDepth) return Error::nesting_too_deep;
  stack_[depth_++] = Frame{is_map ? t.u * 2 : t.u, 0, t.indefinite, is_map};
  return Error::ok;
}

void Reader::count_item() {
  if (depth_ == 0) return;
  Frame& f = stack_[depth_ - 1];
  if (f.indefinite) {
    ++f.seen;
  } else {
    --f.remaining;  // close_finished() never leaves an exhausted definite frame on top
  }
}

Error Reader::close_break() {
  if (depth_ == 0 || !stack_[depth_ - 1].indefinite) return Error::malformed;
  const Frame& f = stack_[depth_ - 1];
  if (f.is_map && f.seen % 2 != 0) return Error::malformed;  // a key without its value
  --depth_;
  close_finished();
  return Error::ok;
}

void Reader::close_finished() {
  while (depth_ > 0 && !stack_[depth_ - 1].indefinite && stack_[depth_ - 1].remaining == 0) --depth_;
}

}  // namespace tl::wire::cbor
