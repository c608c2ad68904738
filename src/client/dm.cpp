// Requests from a server: deduplication, dispatch and the device management interface
// (TS 1.1 5.4: Read, Write, Execute, Create, Delete, Discover, Write-Attributes).
#include <algorithm>

#include "client/engine_internal.hpp"

namespace tl::client {

using wire::coap::MessageBuilder;
using wire::coap::Type;

namespace {

constexpr size_t kMaxQueryItems = 8;

// Uri-Path "bs", or an LwM2M path (no segments: the root).
void parse_target(const MessageView& m, bool& bs_path, bool& lwm2m_path, Path& path) {
  std::string_view segments[4];
  size_t count = 0;
  for (const wire::coap::Option& o : m.uri_path()) {
    if (count == 4) return;  // deeper than any LwM2M path
    segments[count++] = o.text();
  }
  if (count == 1 && segments[0] == "bs") {
    bs_path = true;
    return;
  }
  const Result<Path> p = wire::lwm2m::path_from_segments(segments, count);
  if (!p) return;
  path = *p;
  lwm2m_path = true;
}

}  // namespace

void Engine::handle_request(const MessageView& m) {
  const bool con = m.type() == Type::con;
  const auto seen = dedup_.receive(0, m.message_id(), con, now_ms_);
  // A full window (a long block-wise transfer within EXCHANGE_LIFETIME) cannot tell duplicates
  // apart; dropping would stall the transfer, so the request is served unrecorded.
  if (seen && seen->status == wire::coap::Dedup::duplicate_reply) {
    if (seen->response == response_handle_) transmit(mem_.response.first(response_length_));
    return;
  }
  if (seen && seen->status == wire::coap::Dedup::duplicate) return;
  Request r{m, {}};
  r.bootstrap = state_ == State::bootstrapping || state_ == State::bootstrap_request;
  if (wire::coap::check_options(m) != Error::ok) return respond(r, Code::bad_option);
  parse_target(m, r.bs_path, r.lwm2m_path, r.path);
  dispatch(r);
}

void Engine::dispatch(Request& r) {
  if (r.bootstrap) return bootstrap_request(r);
  if (!r.lwm2m_path) return respond(r, Code::not_found);
  if (r.path.depth == 0) return respond(r, Code::method_not_allowed);
  // A block-wise Send holds the payload buffer that reads and writes need: the server retries.
  if (send_.active) return respond(r, Code::service_unavailable);
  // Only the bootstrap server may see the credentials (TS 1.1 E.1).
  if (r.path.object_id() == 0) return respond(r, Code::unauthorized);
  const bool has_query = !r.m.uri_query().empty();
  switch (r.m.code()) {
    case Code::get:
      if (format_or(r.m.accept(), 0) == kLinkFormat) return dm_discover(r);
      if (const Maybe<uint32_t> obs = r.m.observe()) return dm_observe(r, *obs);
      return dm_read(r);
    case Code::put:
      if (has_query && r.m.payload().empty()) return dm_write_attributes(r);
      return dm_write(r, WriteMode::replace);
    case Code::post:
      if (r.path.depth == 1) return dm_create(r);
      if (r.path.depth == 2) return dm_write(r, WriteMode::partial);
      if (r.path.depth == 3) return dm_execute(r);
      return respond(r, Code::method_not_allowed);
    case Code::delete_:
      return dm_delete(r);
    default:
      return respond(r, Code::method_not_allowed);
  }
}

MessageBuilder Engine::response_for(const Request& r, Code code) {
  if (r.m.type() == Type::con) return MessageBuilder::piggybacked_response(r.m, code);
  MessageBuilder b(Type::non, code, next_message_id());
  b.token(r.m.token());
  return b;
}

void Engine::finish_response(Request& r, const MessageBuilder& b) {
  ByteWriter w(mem_.response);
  if (b.write(w) != Error::ok) {
    // Only a payload can overflow: answer without it.
    w = ByteWriter(mem_.response);
    if (response_for(r, Code::request_entity_too_large).write(w) != Error::ok) return;
  }
  response_length_ = w.size();
  ++response_handle_;
  (void)dedup_.respond(0, r.m.message_id(), response_handle_, now_ms_);
  transmit(w.written());
}

void Engine::respond(Request& r, Code code) { finish_response(r, response_for(r, code)); }

void Engine::dm_read(Request& r) {
  Object* o = find_any_object(r.path.object_id());
  if (o == nullptr || r.path.depth == 0) return respond(r, o == nullptr ? Code::not_found : Code::method_not_allowed);
  if (const Code c = check_read_target(*o, r.path, r.bootstrap); is_error(c)) return respond(r, c);
  const uint16_t format = format_or(r.m.accept(), default_format(*o, r.path));
  if (format == kOpaque && r.path.depth >= 3) return respond_opaque_blocks(r, *o);
  ByteWriter w(mem_.payload);
  assembler_.reset();  // the payload buffer is reused here
  const Code code = render(r.path, format, w, r.bootstrap);
  if (is_error(code)) return respond(r, code);
  MessageBuilder b = response_for(r, Code::content);
  b.content_format(static_cast<ContentFormat>(format));
  respond_blocks(r, b, w.written());
}

void Engine::dm_write(Request& r, WriteMode mode) {
  Object* o = find_any_object(r.path.object_id());
  if (o == nullptr) return respond(r, Code::not_found);
  if (r.path.depth < 2) return respond(r, Code::method_not_allowed);
  if (!o->has_instance(r.path.instance_id())) return respond(r, Code::not_found);
  if (handle_block1(r, *o, mode)) return;
  const Maybe<ContentFormat> format = r.m.content_format();
  if (!format) return respond(r, Code::bad_request);
  respond(r, apply_payload(*o, r.path, wire::coap::to_uint(*format), r.m.payload(), mode, false));
}

void Engine::dm_execute(Request& r) {
  Object* o = find_any_object(r.path.object_id());
  if (o == nullptr) return respond(r, Code::not_found);
  const model::ResourceDef* def = model::find_resource(o->def(), r.path.resource_id());
  if (def == nullptr) return respond(r, Code::not_found);
  if (!model::has(def->operations, model::Operations::E)) return respond(r, Code::method_not_allowed);
  if (!o->has_instance(r.path.instance_id()) || !o->has_resource(r.path.instance_id(), def->id)) {
    return respond(r, Code::not_found);
  }
  respond(r, code_for(o->execute(r.path, wire::as_text(r.m.payload()))));
}

void Engine::dm_create(Request& r) {
  Object* o = find_object(r.path.object_id());
  if (o == nullptr) return respond(r, Code::not_found);
  if (!o->def().multiple_instances && o->instance(0) != kNoId) return respond(r, Code::method_not_allowed);
  const Maybe<ContentFormat> cf = r.m.content_format();
  if (!cf) return respond(r, Code::bad_request);
  const uint16_t format = wire::coap::to_uint(*cf);
  // The new instance's id: from the payload when it names one, else the lowest free id.
  uint16_t iid = 0;
  while (o->has_instance(iid)) ++iid;
  Path target = Path::instance(o->id(), iid);
  if (format == kTlv) {
    wire::lwm2m::tlv::Reader reader(r.m.payload(), Path::object(o->id()));
    const Result<wire::lwm2m::tlv::Record> first = reader.next_record();
    if (first && first->kind == wire::lwm2m::tlv::Kind::object_instance) {
      iid = first->path.instance_id();
      target = Path::object(o->id());
    }
  } else if (is_senml(format)) {
    wire::senml::CborReader cbor(r.m.payload());
#if TL_CLIENT_SENML_JSON
    wire::senml::JsonReader json(r.m.payload(), mem_.scratch);
    const Result<wire::senml::Record> first = format == kSenmlCbor ? cbor.next() : json.next();
#else
    const Result<wire::senml::Record> first = cbor.next();
#endif
    if (!first || first->path.depth < 2) return respond(r, Code::bad_request);
    iid = first->path.instance_id();
    target = Path::object(o->id());
  } else {
    return respond(r, Code::unsupported_content_format);
  }
  if (o->has_instance(iid)) return respond(r, Code::bad_request);
  if (const Status s = o->create(iid); s != Status::ok) return respond(r, code_for(s));
  const Code code = apply_payload(*o, target, format, r.m.payload(), WriteMode::replace, false);
  if (is_error(code)) {
    (void)o->remove(iid);
    return respond(r, code);
  }
  char location[wire::lwm2m::kMaxPathText];
  ByteWriter w(reinterpret_cast<uint8_t*>(location), sizeof(location));
  (void)wire::lwm2m::format_path(Path::instance(o->id(), iid), w);
  MessageBuilder b = response_for(r, Code::created);
  b.location_path({location, w.size()});
  finish_response(r, b);
  objects_changed();
}

void Engine::dm_delete(Request& r) {
  Object* o = find_object(r.path.object_id());
  if (o == nullptr) return respond(r, r.path.object_id() == 1 ? Code::method_not_allowed : Code::not_found);
  if (r.path.depth != 2) return respond(r, Code::method_not_allowed);
  const Status s = o->remove(r.path.instance_id());
  if (s != Status::ok) return respond(r, code_for(s));
  attributes_.remove_under(r.path);
  for (Observation& obs : mem_.observations) {
    if (obs.used && r.path.contains(obs.path)) obs.dirty = true;  // its next notification is 4.04
  }
  respond(r, Code::deleted);
  objects_changed();
}

void Engine::dm_discover(Request& r) {
  Object* o = find_any_object(r.path.object_id());
  if (o == nullptr) return respond(r, Code::not_found);
  if (r.path.depth > 3) return respond(r, Code::method_not_allowed);
  ByteWriter w(mem_.payload);
  assembler_.reset();
  const Code code = write_discover(*o, r.path, w);
  if (is_error(code)) return respond(r, code);
  MessageBuilder b = response_for(r, Code::content);
  b.content_format(ContentFormat::link_format);
  respond_blocks(r, b, w.written());
}

void Engine::dm_write_attributes(Request& r) {
  Object* o = find_any_object(r.path.object_id());
  if (o == nullptr) return respond(r, Code::not_found);
  if (r.path.depth >= 2 && !o->has_instance(r.path.instance_id())) return respond(r, Code::not_found);
  if (r.path.depth >= 3 && model::find_resource(o->def(), r.path.resource_id()) == nullptr) {
    return respond(r, Code::not_found);
  }
  std::string_view items[kMaxQueryItems];
  size_t count = 0;
  for (const wire::coap::Option& q : r.m.uri_query()) {
    if (count == kMaxQueryItems) return respond(r, Code::bad_request);
    items[count++] = q.text();
  }
  const Result<Attributes> attrs = wire::lwm2m::link::parse_query(items, count);
  if (!attrs) return respond(r, Code::bad_request);
  // gt, lt and st compare numbers: only a numeric resource has them (TS 1.1 5.1.2).
  const uint16_t thresholds = Attributes::bit(Attr::gt) | Attributes::bit(Attr::lt) | Attributes::bit(Attr::st);
  if ((attrs->present & thresholds) != 0 && !numeric_resource(r.path)) return respond(r, Code::bad_request);
  if (attributes_.apply(r.path, *attrs) != Error::ok) return respond(r, Code::request_entity_too_large);
  respond(r, Code::changed);
}

}  // namespace tl::client
