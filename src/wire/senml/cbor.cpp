#include "wire/senml/cbor.hpp"

#include "wire/ieee754.hpp"
#include "wire/numtext.hpp"

namespace tl::wire::cbor {
// Half and single precision go through the base layer's one converter (wire/ieee754.hpp);
// narrowing is a round to nearest checked by widening back, which is exact when nothing was lost.
uint64_t f64_from_f16(uint16_t half) { return f64_bits_widen(half, 5, 10); }
uint64_t f64_from_f32(uint32_t single) { return f64_bits_widen(single, 8, 23); }

namespace {

bool narrow_exact(uint64_t f64, unsigned exp_bits, unsigned frac_bits, uint32_t& out) {
  out = f64_bits_narrow(f64, exp_bits, frac_bits);
  return f64_bits_widen(out, exp_bits, frac_bits) == f64;
}

}  // namespace

bool f16_from_f64(uint64_t f64, uint16_t& half) {
  uint32_t out = 0;
  if (!narrow_exact(f64, 5, 10, out)) return false;
  half = static_cast<uint16_t>(out);
  return true;
}

bool f32_from_f64(uint64_t f64, uint32_t& single) {
  uint32_t out = 0;
  if (!narrow_exact(f64, 8, 23, out)) return false;
  single = out;
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
