// SenML-JSON and SenML-CBOR packs (a device's Read/Observe answers and Send) into samples.
#include <bit>
#include <cmath>

#include "server/codec/detail.hpp"
#include "wire/senml/senml_cbor.hpp"
#include "wire/senml/senml_json.hpp"

namespace tl::server::codec::detail {
namespace {

namespace wl = wire::lwm2m;
using wire::senml::Kind;
using wire::senml::Number;
using wire::senml::Record;

std::string kind_name(Kind kind) {
  switch (kind) {
    case Kind::none: return "no value";
    case Kind::number: return "a number (v)";
    case Kind::string: return "a string (vs)";
    case Kind::boolean: return "a boolean (vb)";
    case Kind::data: return "data (vd)";
    case Kind::objlnk: return "an object link (vlo)";
  }
  return "?";
}

// A number written without fraction or exponent: kept as an integer when nothing says otherwise.
bool written_as_integer(const Number& n) {
  if (n.form == Number::Form::float_bits) return false;
  if (n.form != Number::Form::text) return true;
  return n.text.find_first_of(".eE") == std::string_view::npos;
}

// An integral SenML number converted to binary64 must keep its value: 2^53 + 1 would not.
bool float_is_exact(const Number& n, double d) {
  if (const auto i = n.to_int64(); i) {
    return d >= -0x1p63 && d < 0x1p63 && static_cast<std::int64_t>(d) == *i;
  }
  if (const auto u = n.to_uint64(); u) return d >= 0 && d < 0x1p64 && static_cast<std::uint64_t>(d) == *u;
  return true;  // not integral, or beyond 64 bits: it was a float on the wire already
}

// The SenML type when the DDF says nothing: numbers as written, the rest as labelled.
wire::Result<wl::Value> natural_value(const Record& rec) {
  if (rec.kind != Kind::number || !written_as_integer(rec.number)) return rec.value();
  if (const auto i = rec.value_as(wl::ValueType::integer); i) return i;
  if (const auto u = rec.value_as(wl::ValueType::unsigned_integer); u) return u;
  return rec.value();  // beyond 64 bits: the nearest float, as SenML numbers are
}

Result<store::Value> typed_value(const Record& rec, store::Path path, store::ValueType type) {
  const wire::Result<wl::Value> v = rec.value_as(to_wire(type));
  if (v) {
    if (type == store::ValueType::floating &&
        !float_is_exact(rec.number, std::bit_cast<double>(v->f64))) {
      return Failure{path.to_string() + " is a Float resource and " +
                     "the integer sent has no exact Float value"};
    }
    return to_store(*v);
  }
  const bool integral = type == store::ValueType::integer ||
                        type == store::ValueType::unsigned_integer || type == store::ValueType::time;
  std::string why = kind_name(rec.kind);
  if (v.error() == wire::Error::out_of_range) {
    why = "a number out of its range";
  } else if (rec.kind == Kind::number && integral) {
    why = "a number with a fraction (it would lose information)";
  }
  return Failure{path.to_string() + " has type " + type_name(type) + " but the record holds " +
                 why};
}

Result<store::Value> record_value(const Record& rec, store::Path path) {
  if (rec.kind == Kind::none) return Failure{path.to_string() + ": a record without a value"};
  const model::ResourceDef* def = find_resource(path);
  if (def != nullptr) {
    if (std::string shape = shape_mismatch(path, def); !shape.empty()) return Failure{shape};
    const std::optional<store::ValueType> type = to_store(def->type);
    if (!type) return Failure{path.to_string() + " is executable: it has no value"};
    return typed_value(rec, path, *type);
  }
  const wire::Result<wl::Value> v = natural_value(rec);
  if (!v) return Failure{path.to_string() + ": " + describe(v.error())};
  return to_store(*v);
}

Result<store::TimeMs> record_time(const Record& rec, store::TimeMs now_ms) {
  if (!rec.has_time) return now_ms;
  if (!rec.time_relative) return rec.time_ms;
  store::TimeMs t = 0;
  if (__builtin_add_overflow(now_ms, rec.time_ms, &t)) return Failure{"relative time overflows"};
  return t;
}

template <class Reader>
Result<Samples> read_pack(Reader& reader, const char* format, store::Path requested,
                          store::DeviceId device, store::TimeMs now_ms) {
  Samples out;
  for (std::size_t index = 0;; ++index) {
    const wire::Result<Record> rec = reader.next();
    const std::string where = std::string(format) + " record " + std::to_string(index);
    if (!rec) {
      if (rec.error() == wire::Error::end) return out;
      return Failure{where + ": " + describe(rec.error())};
    }
    const store::Path path = to_store(rec->path);
    if (path.depth() < 3) {
      return Failure{where + ": " + path.to_string() + " is no resource (values belong to resources)"};
    }
    if (!requested.contains(path)) {
      return Failure{where + ": " + path.to_string() + " is not under " + requested.to_string()};
    }
    Result<store::Value> value = record_value(*rec, path);
    if (!value) return Failure{where + ": " + value.error()};
    const Result<store::TimeMs> time = record_time(*rec, now_ms);
    if (!time) return Failure{where + ": " + time.error()};
    out.push_back({device, path, *time, std::move(value).value()});
  }
}

}  // namespace

Result<Samples> decode_senml_json(std::span<const std::uint8_t> payload, store::Path requested,
                                  store::DeviceId device, store::TimeMs now_ms) {
  // Unescaped text and base64url data never grow: the payload's size is enough scratch.
  std::vector<std::uint8_t> scratch(payload.size());
  wire::senml::JsonReader reader(payload, scratch);
  return read_pack(reader, "SenML-JSON", requested, device, now_ms);
}

Result<Samples> decode_senml_cbor(std::span<const std::uint8_t> payload, store::Path requested,
                                  store::DeviceId device, store::TimeMs now_ms) {
  wire::senml::CborReader reader(payload);
  return read_pack(reader, "SenML-CBOR", requested, device, now_ms);
}

}  // namespace tl::server::codec::detail
