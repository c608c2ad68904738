#include "client/object.hpp"

#include <algorithm>
#include <cstring>

namespace tl::client {

bool Object::has_resource(uint16_t, uint16_t rid) const {
  return model::find_resource(def_, rid) != nullptr;
}

uint16_t Object::resource_instance(uint16_t, uint16_t, size_t) const { return kNoId; }

wire::Result<size_t> Object::read_chunk(const Path& path, size_t offset, wire::MutableBytes out) {
  Value v;
  const Status s = read(path, v, out);
  if (s != Status::ok) return wire::Error::unsupported;
  if (v.type != wire::lwm2m::ValueType::opaque) return wire::Error::wrong_type;
  if (offset >= v.bytes.size()) return size_t{0};
  const size_t n = std::min(out.size(), v.bytes.size() - offset);
  // The value may already sit in `out` (read into scratch): memmove keeps an overlap correct.
  std::memmove(out.data(), v.bytes.data() + offset, n);
  return n;
}

Status Object::write_begin(const Path&, WriteMode) { return Status::ok; }

Status Object::write(const Path&, const Value&) { return Status::not_allowed; }

Status Object::write_chunk(const Path& path, size_t offset, wire::Bytes data, bool last) {
  if (offset != 0 || !last) return Status::too_large;
  return write(path, Value::opaque(data));
}

Status Object::execute(const Path&, std::string_view) { return Status::not_allowed; }

Status Object::create(uint16_t) { return Status::not_allowed; }

Status Object::remove(uint16_t) { return Status::not_allowed; }

bool Object::has_instance(uint16_t iid) const {
  for (size_t i = 0;; ++i) {
    const uint16_t id = instance(i);
    if (id == kNoId) return false;
    if (id == iid) return true;
  }
}

}  // namespace tl::client
