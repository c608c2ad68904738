#include "wire/senml/senml_cbor.hpp"

#include <array>
#include <limits>

#include "wire/numtext.hpp"

namespace tl::wire::senml {
namespace {

using cbor::Token;
using cbor::Type;
using lwm2m::Value;
using lwm2m::ValueType;

// CBOR keys of RFC 8428 6 that the writer uses.
constexpr int8_t kKeyBn = -2;
constexpr int8_t kKeyBt = -3;
constexpr int8_t kKeyN = 0;
constexpr int8_t kKeyT = 6;
// The value key per lwm2m::ValueType (v 2, vs 3, vb 4, vd 8); none and objlnk ("vlo") have none.
constexpr int8_t kNoKey = 127;
constexpr int8_t kValueKeys[] = {kNoKey, 3, 2, 2, 2, 4, 8, 2, kNoKey, 3};
static_assert(std::size(kValueKeys) == static_cast<size_t>(ValueType::corelnk) + 1);

// Every key the writer uses lies in -24..23: a one-byte head, written directly rather than
// through cbor::Writer::integer's 64-bit argument.
void put_key(ByteWriter& out, int8_t key) {
  out.put(static_cast<uint8_t>(key >= 0 ? key : 0x20 | (-1 - key)));
}

constexpr uint64_t kInt64Max = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());

Result<Field> field_of(const Token& key) {
  switch (key.type) {
    case Type::unsigned_integer:
      return key.u > kInt64Max ? Field::unknown : field_from_cbor_key(static_cast<int64_t>(key.u));
    case Type::negative_integer:
      return key.u > kInt64Max ? Field::unknown : field_from_cbor_key(-1 - static_cast<int64_t>(key.u));
    case Type::text: return field_from_label(as_text(key.bytes));
    default: return Error::malformed;
  }
}

Error field_value(const Token& t, FieldValue& out) {
  switch (t.type) {
    case Type::unsigned_integer:
    case Type::negative_integer:
    case Type::floating:
      out.type = FieldValue::Type::number;
      out.number.form = t.type == Type::floating           ? Number::Form::float_bits
                        : t.type == Type::unsigned_integer ? Number::Form::unsigned_integer
                                                           : Number::Form::negative_integer;
      out.number.u = t.u;
      return Error::ok;
    case Type::text:
      out.type = FieldValue::Type::text;
      out.text = as_text(t.bytes);
      return Error::ok;
    case Type::bytes:
      out.type = FieldValue::Type::data;
      out.data = t.bytes;
      return Error::ok;
    case Type::boolean:
      out.type = FieldValue::Type::boolean;
      out.boolean = t.b;
      return Error::ok;
    default: return Error::malformed;
  }
}

}  // namespace

Result<Record> CborReader::next() {
  Result<Record> r = Error::ok;  // filled in place: a Record is large to copy
  if (error_ == Error::ok) {
    Token map;
    error_ = next_record_head(map);
    if (error_ == Error::ok) error_ = read_record(map, *r);
  }
  if (error_ != Error::ok) r = error_;
  return r;
}

// The map that starts the next record, or Error::end after the last one.
Error CborReader::next_record_head(Token& t) {
  if (!opened_) {
    Error e = cbor_.next(t);
    if (e != Error::ok) return e == Error::end ? Error::malformed : e;
    if (t.type != Type::array) return Error::malformed;
    opened_ = true;
    indefinite_ = t.indefinite;
    left_ = t.u;
  }
  if (!indefinite_ && left_ == 0) return cbor_.at_end() ? Error::end : Error::malformed;
  Error e = cbor_.next(t);
  if (e != Error::ok) return e;
  if (t.type == Type::break_mark) return cbor_.at_end() ? Error::end : Error::malformed;
  if (t.type != Type::map) return Error::malformed;
  if (!indefinite_) --left_;
  return Error::ok;
}

Error CborReader::read_record(const Token& map, Record& out) {
  RawRecord raw;
  Token token;    // each key, then its value
  FieldValue v;   // set fully by field_value for each member; declared once as it is large
  for (uint64_t i = 0; map.indefinite || i < map.u; ++i) {
    Error e = cbor_.next(token);
    if (e != Error::ok) return e;
    if (token.type == Type::break_mark) break;  // the reader only lets a break close the map
    e = read_member(token, v, raw);
    if (e != Error::ok) return e;
  }
  return pack_.resolve(raw, out);
}

// `token` holds the key on entry and is reused for the value.
Error CborReader::read_member(Token& token, FieldValue& v, RawRecord& raw) {
  Result<Field> f = field_of(token);
  if (!f) return f.error();
  if (*f == Field::unknown) return cbor_.skip();
  Error e = cbor_.next(token);
  if (e != Error::ok) return e;
  e = field_value(token, v);
  if (e != Error::ok) return e;
  return raw.set(*f, v);
}

// ---- CborWriter

CborWriter::CborWriter(ByteWriter& out, size_t records) : out_(out), cbor_(out), declared_(records) {
  if (records == kUnknownCount) {
    cbor_.array_start();
  } else {
    cbor_.array(records);
  }
}

Error CborWriter::finish() {
  if (declared_ == kUnknownCount) {
    cbor_.end();
  } else if (written_ != declared_) {
    return Error::inconsistent_length;
  }
  return out_.status();
}

Error CborWriter::write(const lwm2m::Path& path, const Value& value, const int64_t* time) {
  if (written_ == declared_) return Error::too_many_items;
  const bool is_text = value.type == ValueType::string || value.type == ValueType::corelnk;
  if (is_text && !is_valid_utf8(value.bytes)) return Error::invalid_utf8;
  RecordHead head;
  Error e = heads_.plan(path, time, head);
  if (e != Error::ok) return e;
  const size_t start = out_.size();
  const bool has_value = value.type != ValueType::none;
  cbor_.map(uint64_t{head.has_bn} + head.has_bt + head.has_n + head.has_t + has_value);
  if (head.has_bn) {
    put_key(out_, kKeyBn);
    cbor_.text(head.bn());
  }
  if (head.has_bt) {
    put_key(out_, kKeyBt);
    cbor_.integer(head.bt);
  }
  if (head.has_n) {
    put_key(out_, kKeyN);
    cbor_.text(head.n());
  }
  if (head.has_t) {
    put_key(out_, kKeyT);
    cbor_.integer(head.t);
  }
  write_value(value);
  if (out_.overflowed()) {
    out_.truncate(start);
    return Error::buffer_too_small;
  }
  heads_.commit(head);
  ++written_;
  return Error::ok;
}

void CborWriter::write_value(const Value& value) {
  const auto type = static_cast<size_t>(value.type);
  if (type >= std::size(kValueKeys)) return;
  if (kValueKeys[type] != kNoKey) put_key(out_, kValueKeys[type]);
  switch (value.type) {
    case ValueType::none: return;
    case ValueType::integer:
    case ValueType::time: return cbor_.integer(value.i);
    case ValueType::unsigned_integer: return cbor_.unsigned_integer(value.u);
    case ValueType::floating: return cbor_.float_bits(value.f64);
    case ValueType::boolean: return cbor_.boolean(value.b);
    case ValueType::string:
    case ValueType::corelnk:
    case ValueType::opaque:
      // vs and vd differ only in the major type: text 3, bytes 2.
      return value.type == ValueType::opaque ? cbor_.bytes(value.bytes) : cbor_.text(value.text());
    case ValueType::objlnk: {
      char text[12];  // "65535:65535"
      ByteWriter w(reinterpret_cast<uint8_t*>(text), sizeof text);
      format_objlnk(value.link, w);
      cbor_.text("vlo");
      cbor_.text(as_text(w.written()));
      return;
    }
  }
}

}  // namespace tl::wire::senml
