#include "wire/senml/senml_record.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>

#include "wire/lwm2m/text.hpp"
#include "wire/numtext.hpp"
#include "wire/senml/numbers.hpp"

namespace tl::wire::senml {
namespace {

using lwm2m::Value;
using lwm2m::ValueType;

// Labels in Field order, NUL-padded to four bytes: 64 bytes of table instead of a string_view
// and a Field per entry.
constexpr char kLabels[][4] = {{'b', 'v', 'e', 'r'}, "bn", "bt", "bu", "bv", "bs", "n",  "u",
                               "v",                  "vs", "vb", "s",  "t",  "ut", "vd", "vlo"};
static_assert(std::size(kLabels) == static_cast<size_t>(Field::unknown));

// The JSON/CBOR type each known field must have, in Field order.
constexpr FieldValue::Type kExpectedTypes[] = {
    FieldValue::Type::number,  FieldValue::Type::text,   FieldValue::Type::number,  // bver bn bt
    FieldValue::Type::text,    FieldValue::Type::number, FieldValue::Type::number,  // bu bv bs
    FieldValue::Type::text,    FieldValue::Type::text,   FieldValue::Type::number,  // n u v
    FieldValue::Type::text,    FieldValue::Type::boolean, FieldValue::Type::number,  // vs vb s
    FieldValue::Type::number,  FieldValue::Type::number, FieldValue::Type::data,    // t ut vd
    FieldValue::Type::text,                                                         // vlo
};
static_assert(std::size(kExpectedTypes) == static_cast<size_t>(Field::unknown));

Result<int64_t> ms_from_seconds(int64_t s) {
  constexpr int64_t kLimit = std::numeric_limits<int64_t>::max() / 1000;
  if (s > kLimit || s < -kLimit) return Error::out_of_range;
  return s * 1000;
}

// Every integer reading of a number goes through this one sign-and-magnitude form: integers on
// the wire as they are, floats when integral, JSON text exactly when it is a plain integer
// (64-bit values a binary64 cannot hold) and through binary64 otherwise (1e3, 5.0).
Error integral_parts(const Number& n, bool& negative, uint64_t& magnitude) {
  uint64_t bits = n.u;
  negative = n.form == Number::Form::negative_integer;
  magnitude = n.u;
  switch (n.form) {
    case Number::Form::unsigned_integer: return Error::ok;
    // -1 - u; -2^64 (u + 1 wrapping to 0) is beyond every integer type here.
    case Number::Form::negative_integer: return ++magnitude == 0 ? Error::out_of_range : Error::ok;
    case Number::Form::text: {
      std::string_view digits = n.text;
      negative = !digits.empty() && digits.front() == '-';
      if (negative) digits.remove_prefix(1);
      const Result<uint64_t> whole = parse_uint(digits);
      if (whole.error() != Error::bad_number) {
        magnitude = *whole;
        return whole.error();
      }
      const Result<uint64_t> parsed = parse_double_bits(n.text);
      if (!parsed) return parsed.error();
      bits = *parsed;
      break;
    }
    case Number::Form::float_bits: break;
  }
  negative = (bits >> 63) != 0;
  return integral_magnitude(bits, magnitude);
}

// Fills v.f64, v.i or v.u for the type already in v.type.
Error number_into(const Number& n, Value& v) {
  if (v.type == ValueType::floating) {
    const Result<uint64_t> bits = n.f64_bits();
    v.f64 = *bits;
    return bits.error();
  }
  if (v.type == ValueType::unsigned_integer) {
    const Result<uint64_t> u = n.to_uint64();
    v.u = *u;
    return u.error();
  }
  if (v.type != ValueType::integer && v.type != ValueType::time) return Error::wrong_type;
  const Result<int64_t> i = n.to_int64();
  v.i = *i;
  return i.error();
}

// Which value type each record kind reads as without being asked for one (Record::value).
constexpr ValueType kNaturalTypes[] = {ValueType::none,    ValueType::floating, ValueType::string,
                                       ValueType::boolean, ValueType::opaque,   ValueType::objlnk};

}  // namespace

Field field_from_label(std::string_view label) {
  if (!label.empty() && label.size() <= 4) {  // memcmp wants a non-null pointer
    for (size_t f = 0; f < std::size(kLabels); ++f) {
      const char* l = kLabels[f];
      if (std::memcmp(l, label.data(), label.size()) == 0 && (label.size() == 4 || l[label.size()] == 0)) {
        return static_cast<Field>(f);
      }
    }
  }
  if (!label.empty() && label.back() == '_') return Field::must_understand;
  return Field::unknown;
}

Field field_from_cbor_key(int64_t key) {
  switch (key) {
    case -1: return Field::bver;
    case -2: return Field::bn;
    case -3: return Field::bt;
    case -4: return Field::bu;
    case -5: return Field::bv;
    case -6: return Field::bs;
    case 0: return Field::n;
    case 1: return Field::u;
    case 2: return Field::v;
    case 3: return Field::vs;
    case 4: return Field::vb;
    case 5: return Field::s;
    case 6: return Field::t;
    case 7: return Field::ut;
    case 8: return Field::vd;
    default: return Field::unknown;
  }
}

// ---- Number

Result<uint64_t> Number::f64_bits() const {
  switch (form) {
    case Form::text: return parse_double_bits(text);
    case Form::unsigned_integer: return f64_from_integer(false, u);
    case Form::negative_integer:
      // -1 - u; u + 1 wraps to 0 only for -2^64, whose magnitude 2^64 binary64 holds exactly.
      return u == std::numeric_limits<uint64_t>::max() ? uint64_t{0xC3F0000000000000}
                                                        : f64_from_integer(true, u + 1);
    case Form::float_bits: return u;
  }
  return Error::malformed;
}

Result<int64_t> Number::to_int64() const {
  bool negative = false;
  uint64_t magnitude = 0;
  const Error e = integral_parts(*this, negative, magnitude);
  if (e != Error::ok) return e;
  return int64_from_parts(negative, magnitude);
}

Result<uint64_t> Number::to_uint64() const {
  bool negative = false;
  uint64_t magnitude = 0;
  const Error e = integral_parts(*this, negative, magnitude);
  if (e != Error::ok) return e;
  return uint64_from_parts(negative, magnitude);
}

Result<int64_t> Number::to_ms() const {
  // Whole seconds (any form) scale exactly; only a fraction needs the binary64 rounding.
  const Result<int64_t> whole = to_int64();
  if (whole) return ms_from_seconds(*whole);
  if (whole.error() != Error::wrong_type) return whole.error();
  const Result<uint64_t> bits = f64_bits();
  if (!bits) return bits.error();
  return ms_from_f64(*bits);
}

// ---- Record

int64_t Record::time_seconds() const {
  const int64_t q = time_ms / 1000;
  return (time_ms % 1000 < 0) ? q - 1 : q;
}

Result<Value> Record::value() const {
  if (kind > Kind::objlnk) return Error::malformed;
  return value_as(kNaturalTypes[static_cast<size_t>(kind)]);
}

Result<Value> Record::value_as(ValueType type) const {
  if (kind > Kind::objlnk) return Error::malformed;
  // One Value filled in place rather than a factory per case: each factory's zeroed temporary
  // costs a memset call at -Os.
  Value v;
  v.type = type;
  if (kind == Kind::number) {
    const Error e = number_into(number, v);
    if (e != Error::ok) return e;
    return v;
  }
  // A vs also reads as a core link; every other kind only as its own type.
  const bool link_text = kind == Kind::string && type == ValueType::corelnk;
  if (type != kNaturalTypes[static_cast<size_t>(kind)] && !link_text) return Error::wrong_type;
  v.bytes = bytes;
  if (kind == Kind::boolean) {
    v.b = boolean;
  } else if (kind == Kind::objlnk) {
    v.link = link;
  }
  return v;
}

// ---- RawRecord

Error RawRecord::set_value(Kind k) {
  if (kind != Kind::none) return Error::malformed;  // RFC 8428 4.2: one value per record
  kind = k;
  return Error::ok;
}

Error RawRecord::set(Field f, const FieldValue& v) {
  if (f == Field::unknown) return Error::ok;
  // Base value and sums change every value read; ignoring them would misread the pack.
  if (f == Field::bv || f == Field::bs || f == Field::s || f == Field::must_understand) {
    return Error::unsupported;
  }
  const uint32_t bit = uint32_t{1} << static_cast<unsigned>(f);
  if ((seen_ & bit) != 0) return Error::malformed;
  seen_ |= bit;
  if (v.type != kExpectedTypes[static_cast<size_t>(f)]) return Error::malformed;

  switch (f) {
    case Field::bn:
      has_bn = true;
      bn = v.text;
      return Error::ok;
    case Field::n:
      has_n = true;
      n = v.text;
      return Error::ok;
    case Field::bt:
      has_bt = true;
      bt = v.number;
      return Error::ok;
    case Field::t:
      has_t = true;
      t = v.number;
      return Error::ok;
    case Field::bver: {
      Result<int64_t> version = v.number.to_int64();
      return version && *version == 10 ? Error::ok : Error::unsupported;
    }
    case Field::v:
      number = v.number;
      return set_value(Kind::number);
    case Field::vs:
      bytes = as_bytes(v.text);
      return set_value(Kind::string);
    case Field::vb:
      boolean = v.boolean;
      return set_value(Kind::boolean);
    case Field::vd:
      bytes = v.data;
      return set_value(Kind::data);
    case Field::vlo: {
      Result<lwm2m::ObjLink> l = parse_objlnk(v.text);
      if (!l) return l.error();
      link = *l;
      return set_value(Kind::objlnk);
    }
    default: return Error::ok;  // bu, u, ut: carried but not used by LwM2M
  }
}

// ---- PackContext

Error PackContext::resolve_name(const RawRecord& raw, lwm2m::Path& out) const {
  const std::string_view n = raw.has_n ? raw.n : std::string_view{};
  if (!has_bn_ && n.empty()) return Error::missing_name;
  if (n.size() > kMaxName) return Error::bad_path;
  // The name is bn + n; a base name alone may end in '/' ("bn":"/3/0/" names the instance /3/0).
  lwm2m::PathParser name = bn_;
  name.feed(n);
  Result<lwm2m::Path> p = name.finish(true);
  if (!p) return Error::bad_path;
  out = *p;
  return Error::ok;
}

Error PackContext::resolve(const RawRecord& raw, Record& out) {
  if (raw.has_bn) {
    if (raw.bn.size() > kMaxName) return Error::bad_path;
    bn_ = lwm2m::PathParser{};
    bn_.feed(raw.bn);
    has_bn_ = !raw.bn.empty();
  }
  if (raw.has_bt) {
    Result<int64_t> bt = raw.bt.to_ms();
    if (!bt) return bt.error();
    has_bt_ = true;
    bt_ms_ = *bt;
  }
  Error e = resolve_name(raw, out.path);
  if (e != Error::ok) return e;

  int64_t t_ms = 0;
  if (raw.has_t) {
    Result<int64_t> t = raw.t.to_ms();
    if (!t) return t.error();
    t_ms = *t;
  }
  out.has_time = has_bt_ || raw.has_t;
  if (__builtin_add_overflow(has_bt_ ? bt_ms_ : 0, t_ms, &out.time_ms)) return Error::out_of_range;
  out.time_relative = out.time_ms < kRelativeTimeLimit * 1000;
  out.kind = raw.kind;
  out.number = raw.number;
  out.boolean = raw.boolean;
  out.bytes = raw.bytes;
  out.link = raw.link;
  return Error::ok;
}

// ---- object links

// The text/plain codec's object link text; SenML reports any fault in it as malformed.
Result<lwm2m::ObjLink> parse_objlnk(std::string_view text) {
  const Result<lwm2m::ObjLink> link = lwm2m::text::parse_objlnk(text);
  if (!link) return Error::malformed;
  return link;
}

Error format_objlnk(lwm2m::ObjLink link, ByteWriter& out) { return lwm2m::text::format_objlnk(link, out); }

// ---- HeadPlanner

void HeadPlanner::set_base_name(const lwm2m::Path& base) {
  has_base_ = true;
  base_ = base;
}

void HeadPlanner::set_base_time(int64_t seconds) {
  has_bt_ = true;
  bt_sent_ = false;
  bt_ = seconds;
}

Error HeadPlanner::plan_name(const lwm2m::Path& path, RecordHead& head) const {
  ByteWriter n(reinterpret_cast<uint8_t*>(head.n_text), sizeof head.n_text);
  if (!has_base_) {  // full names in n, no bn
    head.has_n = true;
    Error e = lwm2m::format_path(path, n);
    head.n_len = n.size();
    return e;
  }
  if (!base_.contains(path)) return Error::bad_path;
  ByteWriter bn(reinterpret_cast<uint8_t*>(head.bn_text), sizeof head.bn_text);
  Error e = lwm2m::format_path(base_, bn);
  if (e != Error::ok) return e;
  if (!(path == base_)) {
    // bn "<base>/" and n the rest of the path (the root's text "/" already ends in '/').
    if (!base_.is_root()) bn.put('/');
    // The full path starts with the bn text just written: n is what follows it, moved to the
    // front in place rather than formatted into a second buffer.
    e = lwm2m::format_path(path, n);
    if (e != Error::ok) return e;
    head.n_len = n.size() - bn.size();
    std::memmove(head.n_text, head.n_text + bn.size(), head.n_len);
    head.has_n = true;
  }
  head.bn_len = bn.size();
  head.has_bn = head.bn() != std::string_view(bn_, bn_len_);
  return Error::ok;
}

Error HeadPlanner::plan(const lwm2m::Path& path, const int64_t* time, RecordHead& head) const {
  head = RecordHead{};
  Error e = plan_name(path, head);
  if (e != Error::ok) return e;
  if (has_bt_ && !bt_sent_) {
    head.has_bt = true;
    head.bt = bt_;
  }
  if (time == nullptr) return Error::ok;
  if (!has_bt_) {
    head.has_t = true;
    head.t = *time;
    return Error::ok;
  }
  if (__builtin_sub_overflow(*time, bt_, &head.t)) return Error::out_of_range;
  head.has_t = head.t != 0;  // t 0 is the base time itself
  return Error::ok;
}

void HeadPlanner::commit(const RecordHead& head) {
  if (head.has_bn) {
    std::copy_n(head.bn_text, head.bn_len, bn_);
    bn_len_ = head.bn_len;
  }
  if (head.has_bt) bt_sent_ = true;
}

}  // namespace tl::wire::senml
