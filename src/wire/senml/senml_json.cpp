#include "wire/senml/senml_json.hpp"

#include "wire/numtext.hpp"
#include "wire/senml/json_text.hpp"

namespace tl::wire::senml {

using lwm2m::Value;
using lwm2m::ValueType;

struct JsonReader::Scalar {
  enum class Type : uint8_t { string, number, boolean, null };
  Type type = Type::null;
  json::String str;
  std::string_view number;
  bool boolean = false;
};

JsonReader::JsonReader(Bytes in, MutableBytes scratch) : in_(as_text(in)), scratch_(scratch) {}

Result<Record> JsonReader::next() {
  if (error_ != Error::ok) return error_;
  Error e = advance_top();
  if (e == Error::ok) {
    Record r;
    e = read_record(r);
    if (e == Error::ok) return r;
  }
  error_ = e;
  return e;
}

bool JsonReader::eat(char c) {
  if (peek() != c) return false;
  ++pos_;
  return true;
}

bool JsonReader::eat_word(std::string_view word) {
  if (in_.size() - pos_ < word.size() || std::string_view(in_.data() + pos_, word.size()) != word) {
    return false;
  }
  pos_ += word.size();
  return true;
}

// Moves to the '{' of the next record, or reports the end of the pack.
Error JsonReader::advance_top() {
  json::skip_ws(in_, pos_);
  if (state_ == State::done) return Error::end;
  if (state_ == State::start) {
    if (!eat('[')) return Error::malformed;
    json::skip_ws(in_, pos_);
    if (eat(']')) return close_top();
  } else {
    if (eat(']')) return close_top();
    if (!eat(',')) return Error::malformed;
    json::skip_ws(in_, pos_);
  }
  if (peek() == '{') return Error::ok;
  return peek() == '[' ? Error::nesting_too_deep : Error::malformed;
}

Error JsonReader::close_top() {
  state_ = State::done;
  json::skip_ws(in_, pos_);
  return pos_ == in_.size() ? Error::end : Error::malformed;
}

Error JsonReader::read_record(Record& out) {
  ++pos_;  // '{'
  RawRecord raw;
  json::skip_ws(in_, pos_);
  if (!eat('}')) {
    for (;;) {
      Error e = read_member(raw);
      if (e != Error::ok) return e;
      json::skip_ws(in_, pos_);
      if (eat('}')) break;
      if (!eat(',')) return Error::malformed;
      json::skip_ws(in_, pos_);
    }
  }
  state_ = State::after_item;
  return pack_.resolve(raw, out);
}

Error JsonReader::read_member(RawRecord& raw) {
  if (peek() != '"') return Error::malformed;
  Result<json::String> key = json::scan_string(in_, pos_);
  if (!key) return key.error();
  std::string_view label = key->raw;
  if (key->escaped) {
    ByteWriter w(reinterpret_cast<uint8_t*>(key_), sizeof key_);
    if (json::decode_string(*key, w) != Error::ok) return Error::unsupported;
    label = {key_, w.size()};
  }
  const Field f = field_from_label(label);
  json::skip_ws(in_, pos_);
  if (!eat(':')) return Error::malformed;
  json::skip_ws(in_, pos_);
  Scalar s;
  Error e = read_scalar(s);
  if (e != Error::ok || f == Field::unknown) return e;
  FieldValue v;
  e = decode_into(s, f, v);
  if (e != Error::ok) return e;
  return raw.set(f, v);
}

Error JsonReader::read_scalar(Scalar& out) {
  const char c = peek();
  if (c == '"') {
    Result<json::String> s = json::scan_string(in_, pos_);
    if (!s) return s.error();
    out.type = Scalar::Type::string;
    out.str = *s;
    return Error::ok;
  }
  if (c == '-' || (c >= '0' && c <= '9')) {
    Result<std::string_view> n = json::scan_number(in_, pos_);
    if (!n) return n.error();
    out.type = Scalar::Type::number;
    out.number = *n;
    return Error::ok;
  }
  if (eat_word("true") || eat_word("false")) {
    out.type = Scalar::Type::boolean;
    out.boolean = c == 't';
    return Error::ok;
  }
  if (eat_word("null")) return Error::ok;
  return c == '[' || c == '{' ? Error::nesting_too_deep : Error::malformed;
}

Error JsonReader::decode_into(const Scalar& s, Field f, FieldValue& out) {
  switch (s.type) {
    case Scalar::Type::null: return Error::malformed;  // SenML has no null values
    case Scalar::Type::number:
      out.type = FieldValue::Type::number;
      out.number.form = Number::Form::text;
      out.number.text = s.number;
      return Error::ok;
    case Scalar::Type::boolean:
      out.type = FieldValue::Type::boolean;
      out.boolean = s.boolean;
      return Error::ok;
    case Scalar::Type::string: break;
  }
  if (f == Field::vd) return decode_data(s, out);
  out.type = FieldValue::Type::text;
  out.text = s.str.raw;
  if (!s.str.escaped) return Error::ok;
  // Names are kept in the reader (bn outlives its record); only "vs" needs the caller's scratch.
  MutableBytes buf = scratch_;
  Error too_long = Error::buffer_too_small;
  if (f == Field::bn || f == Field::n) {
    buf = {reinterpret_cast<uint8_t*>(f == Field::bn ? bn_ : n_), kMaxName};
    too_long = Error::bad_path;
  } else if (f == Field::vlo) {
    buf = {reinterpret_cast<uint8_t*>(link_), sizeof link_};
    too_long = Error::malformed;
  } else if (f != Field::vs) {
    return Error::ok;  // units and the like: never looked at
  }
  ByteWriter w(buf);
  if (json::decode_string(s.str, w) != Error::ok) return too_long;
  out.text = as_text(w.written());
  return Error::ok;
}

// "vd": base64url text (unescaped first when it has escapes) decoded into the scratch buffer.
Error JsonReader::decode_data(const Scalar& s, FieldValue& out) {
  std::string_view text = s.str.raw;
  if (s.str.escaped) {
    ByteWriter w(scratch_);
    if (json::decode_string(s.str, w) != Error::ok) return Error::buffer_too_small;
    text = as_text(w.written());
  }
  Result<size_t> n = json::decode_base64url(text, scratch_.data(), scratch_.size());
  if (!n) return n.error();
  out.type = FieldValue::Type::data;
  out.data = {scratch_.data(), *n};
  return Error::ok;
}

// ---- JsonWriter

JsonWriter::JsonWriter(ByteWriter& out) : out_(out) { out_.put('['); }

Error JsonWriter::finish() {
  out_.put(']');
  return out_.status();
}

void JsonWriter::key(const char* name) {
  if (!first_key_) out_.put(',');
  first_key_ = false;
  out_.put('"');
  out_.put(std::string_view(name));
  out_.put("\":");
}

Error JsonWriter::write(const lwm2m::Path& path, const Value& value, const int64_t* time) {
  RecordHead head;
  Error e = heads_.plan(path, time, head);
  if (e != Error::ok) return e;
  const size_t start = out_.size();
  if (!first_record_) out_.put(',');
  out_.put('{');
  first_key_ = true;
  if (head.has_bn) {
    key("bn");
    json::put_string(head.bn(), out_);
  }
  if (head.has_bt) {
    key("bt");
    format_int(head.bt, out_);
  }
  if (head.has_n) {
    key("n");
    json::put_string(head.n(), out_);
  }
  if (head.has_t) {
    key("t");
    format_int(head.t, out_);
  }
  e = write_value(value);
  out_.put('}');
  if (e == Error::ok) e = out_.status();
  if (e != Error::ok) {
    out_.truncate(start);
    return e;
  }
  heads_.commit(head);
  first_record_ = false;
  return Error::ok;
}

Error JsonWriter::write_value(const Value& value) {
  switch (value.type) {
    case ValueType::none: return Error::ok;
    case ValueType::integer:
    case ValueType::time: key("v"); return format_int(value.i, out_);
    case ValueType::unsigned_integer: key("v"); return format_uint(value.u, out_);
    case ValueType::floating: key("v"); return format_double_bits(value.f64, out_);
    case ValueType::string:
    case ValueType::corelnk: key("vs"); return json::put_string(value.text(), out_);
    case ValueType::boolean:
      key("vb");
      out_.put(value.b ? std::string_view("true") : std::string_view("false"));
      return Error::ok;
    case ValueType::opaque:
      key("vd");
      out_.put('"');
      json::put_base64url(value.bytes, out_);
      out_.put('"');
      return Error::ok;
    case ValueType::objlnk:
      key("vlo");
      out_.put('"');
      format_objlnk(value.link, out_);
      out_.put('"');
      return Error::ok;
  }
  return Error::wrong_type;
}

}  // namespace tl::wire::senml
