// TLV answers into samples. TLV carries no types: the DDF gives them, unknown resources are
// opaque (their bytes kept as sent).
#include "server/codec/detail.hpp"
#include "wire/lwm2m/tlv.hpp"

namespace tl::server::codec::detail {
namespace {

namespace wl = wire::lwm2m;

Result<store::Value> leaf_value(const wl::tlv::Record& rec, store::Path path) {
  const model::ResourceDef* def = find_resource(path);
  wl::ValueType type = wl::ValueType::opaque;
  if (def != nullptr) {
    if (std::string shape = shape_mismatch(path, def); !shape.empty()) return Failure{shape};
    if (def->type == wl::ValueType::none) {
      return Failure{path.to_string() + " is executable: it has no value"};
    }
    type = def->type;
  }
  const wire::Result<wl::Value> v = wl::tlv::decode(rec.value, type);
  if (!v) {
    return Failure{path.to_string() + ": " + std::to_string(rec.value.size()) +
                   " bytes that are no " + wl::value_type_name(type) + " (" +
                   describe(v.error()) + ")"};
  }
  return to_store(*v);
}

}  // namespace

Result<Samples> decode_tlv(std::span<const std::uint8_t> payload, store::Path requested,
                           store::DeviceId device, store::TimeMs now_ms) {
  if (requested.depth() == 0) {
    return Failure{"TLV needs the requested object, instance, resource or resource instance"};
  }
  wl::tlv::Reader reader(payload, to_wire(requested));
  Samples out;
  for (;;) {
    const wire::Result<wl::tlv::Record> rec = reader.next();
    if (!rec) {
      if (rec.error() == wire::Error::end) return out;
      return Failure{"TLV for " + requested.to_string() + ": " + describe(rec.error())};
    }
    const store::Path path = to_store(rec->path);
    Result<store::Value> value = leaf_value(*rec, path);
    if (!value) return Failure{"TLV: " + value.error()};
    out.push_back({device, path, now_ms, std::move(value).value()});
  }
}

}  // namespace tl::server::codec::detail
