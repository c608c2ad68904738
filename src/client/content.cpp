// Values to and from the content formats: reads walk an object into a format writer, writes
// decode a payload value by value into the object, both checked against the ObjectDef.
#include "client/engine_internal.hpp"
#include "wire/lwm2m/opaque.hpp"
#include "wire/lwm2m/text.hpp"
#include "wire/lwm2m/tlv.hpp"
#include "wire/senml/senml_cbor.hpp"
#if TL_CLIENT_SENML_JSON
#include "wire/senml/senml_json.hpp"
#endif

namespace tl::client {

using model::Operations;
using model::ResourceDef;
using wire::lwm2m::ValueType;

namespace {

bool readable(const ResourceDef& def, bool bootstrap) {
  // Object 0 lists no operations: only the bootstrap server reads it.
  return def.type != ValueType::none && (bootstrap || model::has(def.operations, Operations::R));
}

bool single_value(const ResourceDef& def, const Path& path) {
  return path.depth == 4 || (path.depth == 3 && !def.multiple);
}

Code writer_code(Error e) {
  if (e == Error::ok) return Code::content;
  return e == Error::buffer_too_small ? Code::request_entity_too_large : Code::internal_server_error;
}

class TlvSink final : public ValueSink {
 public:
  explicit TlvSink(ByteWriter& out) : tlv_(out) {}
  void begin_instance(uint16_t iid) override { tlv_.begin_object_instance(iid); }
  void end_instance() override { tlv_.end(); }
  void begin_multiple(uint16_t rid) override { tlv_.begin_multiple_resource(rid); }
  void end_multiple() override { tlv_.end(); }
  Error value(const Path& path, const Value& v) override {
    if (path.depth == 4) tlv_.resource_instance(path.resource_instance_id(), v);
    else tlv_.resource(path.resource_id(), v);
    return tlv_.status();
  }
  Error finish() const { return tlv_.finish(); }

 private:
  wire::lwm2m::tlv::Writer tlv_;
};

template <class Writer>
class SenmlSink final : public ValueSink {
 public:
  explicit SenmlSink(Writer& w) : w_(w) {}
  Error value(const Path& path, const Value& v) override { return w_.add(path, v); }

 private:
  Writer& w_;
};

// One decoded value of a write payload.
struct Item {
  Path path;
  Value value;
};

// Outcome of decoding one value: Code::continue_ with an item, Code::changed after the last one,
// else the error to answer.
constexpr Code kItem = Code::continue_;

Code decode_code(Error e) { return e == Error::end ? Code::changed : code_for(e); }

// The type the ObjectDef gives `path`: 4.00 when it names no single value, 4.04 when the
// resource is unknown.
Code type_at(const Object& o, const Path& path, ValueType& type) {
  if (path.depth < 3 || path.object_id() != o.id()) return Code::bad_request;
  const ResourceDef* def = model::find_resource(o.def(), path.resource_id());
  if (def == nullptr) return Code::not_found;
  type = def->type;
  return kItem;
}

Code typed(Result<Value> v, const Path& path, Item& out) {
  if (!v) return code_for(v.error());
  out = Item{path, *v};
  return kItem;
}

}  // namespace

Code Engine::check_read_target(Object& o, const Path& path, bool bootstrap) const {
  if (path.depth >= 2 && !o.has_instance(path.instance_id())) return Code::not_found;
  if (path.depth < 3) return Code::content;
  const ResourceDef* def = model::find_resource(o.def(), path.resource_id());
  if (def == nullptr || !o.has_resource(path.instance_id(), def->id)) return Code::not_found;
  if (!readable(*def, bootstrap)) return Code::method_not_allowed;
  if (path.depth == 4) {
    if (!def->multiple) return Code::not_found;
    for (size_t i = 0;; ++i) {
      const uint16_t ri = o.resource_instance(path.instance_id(), def->id, i);
      if (ri == kNoId) return Code::not_found;
      if (ri == path.resource_instance_id()) break;
    }
  }
  return Code::content;
}

uint16_t Engine::default_format(const Object& o, const Path& path) const {
  const ResourceDef* def = path.depth >= 3 ? model::find_resource(o.def(), path.resource_id()) : nullptr;
  if (def == nullptr || !single_value(*def, path)) return kSenmlCbor;
  return def->type == ValueType::opaque ? kOpaque : kTextPlain;
}

Code Engine::read_value(Object& o, const Path& path, Value& out) {
  const ResourceDef* def = model::find_resource(o.def(), path.resource_id());
  if (def == nullptr) return Code::not_found;
  const Status s = o.read(path, out, mem_.scratch);
  if (s != Status::ok) return s == Status::ok ? Code::content : code_for(s);
  // The ObjectDef decides the type; an object answering another one is a bug in the object.
  return out.type == def->type ? Code::content : Code::internal_server_error;
}

Code Engine::render_resource(Object& o, const Path& path, const ResourceDef& def, ValueSink& sink) {
  Value v;
  if (!def.multiple || path.depth == 4) {
    if (const Code c = read_value(o, path, v); is_error(c)) return c;
    return writer_code(sink.value(path, v));
  }
  sink.begin_multiple(def.id);
  for (size_t i = 0;; ++i) {
    const uint16_t ri = o.resource_instance(path.instance_id(), def.id, i);
    if (ri == kNoId) break;
    const Path p = path.child(ri);
    if (const Code c = read_value(o, p, v); is_error(c)) return c;
    if (const Error e = sink.value(p, v); e != Error::ok) return writer_code(e);
  }
  sink.end_multiple();
  return Code::content;
}

Code Engine::render_values(Object& o, const Path& path, ValueSink& sink, bool bootstrap) {
  if (path.depth == 1) {
    for (size_t i = 0; o.instance(i) != kNoId; ++i) {
      sink.begin_instance(o.instance(i));
      if (const Code c = render_values(o, path.child(o.instance(i)), sink, bootstrap); is_error(c)) return c;
      sink.end_instance();
    }
    return Code::content;
  }
  if (path.depth >= 3) {
    const ResourceDef* def = model::find_resource(o.def(), path.resource_id());
    return def != nullptr ? render_resource(o, path, *def, sink) : Code::not_found;
  }
  for (const ResourceDef& def : o.def().resources) {
    if (!readable(def, bootstrap) || !o.has_resource(path.instance_id(), def.id)) continue;
    const Code c = render_resource(o, path.child(def.id), def, sink);
    if (c == Code::not_found) continue;  // an optional value the object does not have now
    if (is_error(c)) return c;
  }
  return Code::content;
}

Code Engine::render(const Path& path, uint16_t format, ByteWriter& out, bool bootstrap) {
  Object* o = find_any_object(path.object_id());
  if (o == nullptr) return Code::not_found;
  const ResourceDef* def = path.depth >= 3 ? model::find_resource(o->def(), path.resource_id()) : nullptr;
  const bool single = def != nullptr && single_value(*def, path);
  Value v;
  switch (format) {
    case kTextPlain:
    case kOpaque: {
      if (!single || (format == kOpaque && def->type != ValueType::opaque)) return Code::not_acceptable;
      if (const Code c = read_value(*o, path, v); is_error(c)) return c;
      return writer_code(format == kOpaque ? wire::lwm2m::opaque::write(v, out) : wire::lwm2m::text::write(v, out));
    }
    case kTlv: {
      TlvSink sink(out);
      if (const Code c = render_values(*o, path, sink, bootstrap); is_error(c)) return c;
      return writer_code(sink.finish());
    }
#if TL_CLIENT_SENML_JSON
    case kSenmlJson: {
      wire::senml::JsonWriter w(out);
      w.set_base_name(path);
      SenmlSink<wire::senml::JsonWriter> sink(w);
      if (const Code c = render_values(*o, path, sink, bootstrap); is_error(c)) return c;
      return writer_code(w.finish());
    }
#endif
    case kSenmlCbor: {
      wire::senml::CborWriter w(out);
      w.set_base_name(path);
      SenmlSink<wire::senml::CborWriter> sink(w);
      if (const Code c = render_values(*o, path, sink, bootstrap); is_error(c)) return c;
      return writer_code(w.finish());
    }
    default:
      return Code::not_acceptable;
  }
}

Code Engine::write_value(Object& o, const Path& path, const Value& value, bool bootstrap) {
  const ResourceDef* def = model::find_resource(o.def(), path.resource_id());
  if (def == nullptr) return Code::not_found;
  if (!bootstrap && !model::has(def->operations, Operations::W)) return Code::method_not_allowed;
  if (def->multiple != (path.depth == 4)) return Code::bad_request;
  if (!o.has_instance(path.instance_id())) {
    // Bootstrap-Write creates what it writes into (TS 1.1 5.2.7.2).
    if (!bootstrap) return Code::not_found;
    if (const Status s = o.create(path.instance_id()); s != Status::ok) return code_for(s);
  }
  return code_for(o.write(path, value));
}

Code Engine::apply_payload(Object& o, const Path& target, uint16_t format, Bytes payload, WriteMode mode,
                           bool bootstrap) {
  if (target.depth >= 3) {
    const ResourceDef* def = model::find_resource(o.def(), target.resource_id());
    if (def == nullptr) return Code::not_found;
    if (!bootstrap && !model::has(def->operations, Operations::W)) return Code::method_not_allowed;
  }
  if ((format == kTextPlain || format == kOpaque) && target.depth < 3) return Code::unsupported_content_format;
  if (format != kTextPlain && format != kOpaque && format != kTlv && !is_senml(format)) {
    return Code::unsupported_content_format;
  }
  if (target.depth >= 2 && o.has_instance(target.instance_id())) {
    if (const Status s = o.write_begin(target, mode); s != Status::ok) return code_for(s);
  }
  // Each decoder below yields one Item per call (see kItem).
  wire::lwm2m::tlv::Reader tlv(payload, target);
#if TL_CLIENT_SENML_JSON
  wire::senml::JsonReader json(payload, mem_.scratch);
#endif
  wire::senml::CborReader cbor(payload);
  bool single_done = false;
  const auto next = [&](Item& item) -> Code {
    ValueType type = ValueType::none;
    if (format == kTextPlain || format == kOpaque) {
      if (single_done) return Code::changed;
      single_done = true;
      if (const Code c = type_at(o, target, type); c != kItem) return c;
      return typed(format == kOpaque ? wire::lwm2m::opaque::read(payload, type)
                                     : wire::lwm2m::text::read(payload, type, mem_.scratch),
                   target, item);
    }
    if (format == kTlv) {
      const Result<wire::lwm2m::tlv::Record> rec = tlv.next();
      if (!rec) return decode_code(rec.error());
      if (const Code c = type_at(o, rec->path, type); c != kItem) return c;
      return typed(wire::lwm2m::tlv::decode(rec->value, type), rec->path, item);
    }
#if TL_CLIENT_SENML_JSON
    const Result<wire::senml::Record> rec = format == kSenmlCbor ? cbor.next() : json.next();
#else
    const Result<wire::senml::Record> rec = cbor.next();
#endif
    if (!rec) return decode_code(rec.error());
    if (!target.contains(rec->path)) return Code::bad_request;
    if (const Code c = type_at(o, rec->path, type); c != kItem) return c;
    return typed(rec->value_as(type), rec->path, item);
  };
  for (;;) {
    Item item;
    if (const Code c = next(item); c != kItem) return c;
    if (const Code c = write_value(o, item.path, item.value, bootstrap); is_error(c)) return c;
  }
}

}  // namespace tl::client
