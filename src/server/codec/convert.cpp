#include <bit>
#include <cstring>

#include "server/codec/detail.hpp"

namespace tl::server::codec::detail {

namespace wl = wire::lwm2m;

wl::Path to_wire(store::Path path) {
  wl::Path out;
  out.depth = static_cast<std::uint8_t>(path.depth());
  for (int level = 0; level < path.depth(); ++level) out.ids[level] = path.id(level);
  return out;
}

store::Path to_store(const wl::Path& path) {
  return store::Path::of(path.depth, path.ids[0], path.ids[1], path.ids[2], path.ids[3]);
}

wl::ValueType to_wire(store::ValueType type) {
  switch (type) {
    case store::ValueType::integer: return wl::ValueType::integer;
    case store::ValueType::unsigned_integer: return wl::ValueType::unsigned_integer;
    case store::ValueType::floating: return wl::ValueType::floating;
    case store::ValueType::boolean: return wl::ValueType::boolean;
    case store::ValueType::string: return wl::ValueType::string;
    case store::ValueType::opaque: return wl::ValueType::opaque;
    case store::ValueType::time: return wl::ValueType::time;
    case store::ValueType::objlnk: return wl::ValueType::objlnk;
  }
  return wl::ValueType::none;
}

std::optional<store::ValueType> to_store(wl::ValueType type) {
  switch (type) {
    case wl::ValueType::none: return std::nullopt;
    case wl::ValueType::string:
    case wl::ValueType::corelnk: return store::ValueType::string;
    case wl::ValueType::integer: return store::ValueType::integer;
    case wl::ValueType::unsigned_integer: return store::ValueType::unsigned_integer;
    case wl::ValueType::floating: return store::ValueType::floating;
    case wl::ValueType::boolean: return store::ValueType::boolean;
    case wl::ValueType::opaque: return store::ValueType::opaque;
    case wl::ValueType::time: return store::ValueType::time;
    case wl::ValueType::objlnk: return store::ValueType::objlnk;
  }
  return std::nullopt;
}

namespace {

struct ToWire {
  wl::Value operator()(std::int64_t v) const { return wl::Value::integer(v); }
  wl::Value operator()(std::uint64_t v) const { return wl::Value::unsigned_integer(v); }
  wl::Value operator()(double v) const {
    return wl::Value::floating_bits(std::bit_cast<std::uint64_t>(v));
  }
  wl::Value operator()(bool v) const { return wl::Value::boolean(v); }
  wl::Value operator()(const std::string& v) const { return wl::Value::string(v); }
  wl::Value operator()(const store::Opaque& v) const { return wl::Value::opaque(v); }
  wl::Value operator()(store::Time v) const { return wl::Value::time(v.seconds); }
  wl::Value operator()(store::ObjLink v) const { return wl::Value::objlnk(v.object, v.instance); }
};

}  // namespace

wl::Value to_wire(const store::Value& value) { return std::visit(ToWire{}, value); }

store::Value to_store(const wl::Value& value) {
  switch (value.type) {
    case wl::ValueType::integer: return value.i;
    case wl::ValueType::unsigned_integer: return value.u;
    case wl::ValueType::floating: return std::bit_cast<double>(value.f64);
    case wl::ValueType::boolean: return value.b;
    case wl::ValueType::opaque: return store::Opaque(value.bytes.begin(), value.bytes.end());
    case wl::ValueType::time: return store::Time{value.i};
    case wl::ValueType::objlnk: return store::ObjLink{value.link.object_id, value.link.instance_id};
    case wl::ValueType::string:
    case wl::ValueType::corelnk:
    case wl::ValueType::none: break;
  }
  return std::string(value.text());
}

const model::ResourceDef* find_resource(store::Path path) {
  if (path.depth() < 3) return nullptr;
  const model::ObjectDef* object = model::find_object(path.id(0));
  return object == nullptr ? nullptr : model::find_resource(*object, path.id(2));
}

std::string describe(wire::Error error) {
  switch (error) {
    case wire::Error::truncated: return "truncated (the payload ends inside a record)";
    case wire::Error::malformed: return "malformed";
    case wire::Error::invalid_utf8: return "text that is not UTF-8";
    case wire::Error::nesting_too_deep: return "nested too deep";
    case wire::Error::inconsistent_length: return "inconsistent lengths";
    case wire::Error::missing_name: return "a record without a name";
    case wire::Error::bad_path: return "a name that is no LwM2M path";
    case wire::Error::bad_number: return "a bad number";
    case wire::Error::wrong_type: return "a value of the wrong type";
    case wire::Error::out_of_range: return "a number out of range";
    case wire::Error::unsupported: return "a feature this server does not support";
    default: return wire::error_name(error);
  }
}

std::string type_name(store::ValueType type) { return std::string(store::to_string(type)); }

std::string shape_mismatch(store::Path path, const model::ResourceDef* def) {
  if (def == nullptr) return {};
  if (def->multiple && path.depth() == 3) {
    return path.to_string() + " is a multiple resource: its values are resource instances";
  }
  if (!def->multiple && path.depth() == 4) {
    return path.to_string() + " is below a single resource: it has no resource instances";
  }
  return {};
}

}  // namespace tl::server::codec::detail
