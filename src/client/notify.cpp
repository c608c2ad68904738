// Information reporting (TS 1.1 5.5, 6.4): Observe, notifications under the attribute rules,
// holding them in queue mode, and Send.
#include <algorithm>

#include "client/engine_internal.hpp"
#include "wire/senml/senml_cbor.hpp"

namespace tl::client {

using wire::coap::BlockValue;
using wire::coap::MessageBuilder;
using wire::coap::Type;
using wire::lwm2m::ValueType;

namespace {

class CborSink final : public ValueSink {
 public:
  explicit CborSink(wire::senml::CborWriter& w) : w_(w) {}
  Error value(const Path& path, const Value& v) override { return w_.add(path, v); }

 private:
  wire::senml::CborWriter& w_;
};

bool same_token(const Observation& o, Bytes token) {
  return token.size() == o.token_length && std::equal(token.begin(), token.end(), o.token);
}

}  // namespace

void Engine::on_changed(const Object&, const Path& path) {
  for (Observation& o : mem_.observations) {
    if (o.used && (o.path.contains(path) || path.contains(o.path))) o.dirty = true;
  }
}

bool Engine::numeric_resource(const Path& path) const {
  if (path.depth < 3) return false;
  const Object* o = path.object_id() == 1 ? &server_ : find_object(path.object_id());
  const model::ResourceDef* def = o != nullptr ? model::find_resource(o->def(), path.resource_id()) : nullptr;
  if (def == nullptr || (def->multiple && path.depth == 3)) return false;
  return def->type == ValueType::integer || def->type == ValueType::unsigned_integer ||
         def->type == ValueType::floating;
}

bool Engine::read_number(const Path& path, float& out) {
  Object* o = find_any_object(path.object_id());
  Value v;
  if (o == nullptr || is_error(read_value(*o, path, v))) return false;
  switch (v.type) {
    case ValueType::integer: out = static_cast<float>(v.i); return true;
    case ValueType::unsigned_integer: out = static_cast<float>(v.u); return true;
    case ValueType::floating: out = v.as_float(); return true;
    default: return false;
  }
}

Effective Engine::effective_attributes(const Path& path) const {
  const ServerRecord* s = server_record();
  return attributes_.effective(path, s != nullptr ? s->pmin_s : 0, s != nullptr ? s->pmax_s : 0);
}

void Engine::dm_observe(Request& r, uint32_t observe) {
  Observation* existing = nullptr;
  for (Observation& o : mem_.observations) {
    if (o.used && same_token(o, r.m.token())) existing = &o;
  }
  if (observe != wire::coap::kObserveRegister) {
    if (existing != nullptr) existing->used = false;  // Observe 1: cancel, then answer as a read
    return dm_read(r);
  }
  Object* obj = find_any_object(r.path.object_id());
  if (obj == nullptr) return respond(r, Code::not_found);
  if (const Code c = check_read_target(*obj, r.path, false); is_error(c)) return respond(r, c);
  const uint16_t format = format_or(r.m.accept(), default_format(*obj, r.path));
  ByteWriter w(mem_.payload);
  assembler_.reset();
  const Code code = render(r.path, format, w, false);
  if (is_error(code)) return respond(r, code);
  Observation* o = existing;
  for (Observation& slot : mem_.observations) {
    if (o == nullptr && !slot.used) o = &slot;
  }
  MessageBuilder b = response_for(r, Code::content);
  b.content_format(static_cast<ContentFormat>(format));
  if (o != nullptr) {
    // A full table answers as a plain read: the server sees it is not observed (RFC 7641 4.1).
    *o = Observation{};
    o->used = true;
    o->path = r.path;
    o->format = format;
    o->token_length = static_cast<uint8_t>(r.m.token().size());
    std::copy(r.m.token().begin(), r.m.token().end(), o->token);
    o->last_notify_ms = now_ms_;
    o->last_eval_ms = now_ms_;
    o->numeric = numeric_resource(r.path) && read_number(r.path, o->last_sent);
    b.observe(o->counter.next());
  }
  respond_blocks(r, b, w.written());
}

bool Engine::may_notify() const {
  // Asleep, notifications wait; after waking they wait for the Update that announces it.
  // A block-wise Send holds the payload buffer the notification would be rendered into.
  return !asleep_ && !(out_.kind == Exchange::update) && !send_.active;
}

void Engine::run_observations(uint64_t& deadline) {
  for (Observation& o : mem_.observations) {
    if (!o.used) continue;
    const Effective e = effective_attributes(o.path);
    NotifyPlan plan = plan_notification(o, e, now_ms_);
    if (plan.evaluate) {
      evaluate(o, e);
      plan = plan_notification(o, e, now_ms_);
    }
    if (plan.send && may_notify()) {
      if (config_.confirmable_notifications && out_.kind != Exchange::none) continue;  // after this exchange
      notify(o);
      if (!o.used) continue;
      plan = plan_notification(o, e, now_ms_);
    }
    if (!plan.send) deadline = std::min(deadline, plan.next_ms);
  }
}

void Engine::evaluate(Observation& o, const Effective& e) {
  const bool was_dirty = o.dirty;
  o.dirty = false;
  o.last_eval_ms = now_ms_;
  float value = 0;
  if (o.numeric && read_number(o.path, value)) {
    o.ready = o.ready || (e.has_threshold() ? passes_thresholds(e, o.last_sent, value)
                                            : (was_dirty || value != o.last_sent));
  } else {
    o.ready = o.ready || was_dirty;
  }
}

void Engine::notify(Observation& o) {
  ByteWriter w(mem_.payload);
  assembler_.reset();
  Code code = render(o.path, o.format, w, false);
  const bool con = config_.confirmable_notifications;
  MessageBuilder b(con ? Type::con : Type::non, is_error(code) ? code : Code::content, next_message_id());
  b.token({o.token, o.token_length});
  if (!is_error(code)) {
    b.observe(o.counter.next()).content_format(static_cast<ContentFormat>(o.format));
    const uint8_t szx = max_block_szx();
    const Bytes payload = w.written();
    if (payload.size() > wire::coap::block_size(szx)) {
      // The first block; the server asks for the rest with GET and Block2 (RFC 7959 3.4).
      b.block2(*wire::coap::encode_block(BlockValue{0, true, szx})).size2(static_cast<uint32_t>(payload.size()));
      b.payload(payload.first(wire::coap::block_size(szx)));
    } else {
      b.payload(payload);
    }
  }
  o.ready = false;
  o.last_notify_ms = now_ms_;
  if (o.numeric) (void)read_number(o.path, o.last_sent);
  if (is_error(code)) o.used = false;  // an error response ends the observation (RFC 7641 4.2)
  if (con) {
    out_.observation = static_cast<uint8_t>(&o - mem_.observations.data());
    if (start_exchange(Exchange::notify, b) == Error::ok) o.last_mid = out_.message_id;
    return;
  }
  ByteWriter msg(mem_.rx);  // free: notifications go out from the timers, after the datagrams
  if (b.write(msg) != Error::ok) return;
  o.last_mid = wire::coap::decode_header(msg.written())->message_id;
  transmit(msg.written());
}

void Engine::cancel_by_message_id(uint16_t message_id) {
  for (Observation& o : mem_.observations) {
    if (o.used && o.last_mid == message_id) o.used = false;
  }
}

void Engine::check_sleep(uint64_t& deadline) {
  if (!queue_mode() || asleep_ || out_.kind != Exchange::none) return;
  const uint64_t sleep_at = last_activity_ms_ + config_.awake_ms;
  if (now_ms_ >= sleep_at) {
    asleep_ = true;
  } else {
    deadline = std::min(deadline, sleep_at);
  }
}

Error Engine::send(std::span<const Path> paths) {
  if (state_ != State::registered) return Error::end;
  if (asleep_) {
    update_wanted_ = true;  // wake up with an Update first
    return Error::too_many_items;
  }
  if (out_.kind != Exchange::none || send_.active) return Error::too_many_items;
  ByteWriter w(mem_.payload);
  assembler_.reset();  // the payload buffer is reused here
  wire::senml::CborWriter cbor(w);
  CborSink sink(cbor);
  for (const Path& p : paths) {
    Object* o = find_object(p.object_id());
    if (o == nullptr || p.depth == 0) return Error::bad_path;
    if (is_error(check_read_target(*o, p, false))) return Error::bad_path;
    const Code c = render_values(*o, p, sink, false);
    if (is_error(c)) return c == Code::request_entity_too_large ? Error::buffer_too_small : Error::bad_path;
  }
  if (const Error e = cbor.finish(); e != Error::ok) return e;
  send_ = SendTransfer{false, max_block_szx(), 0, w.size()};
  if (send_.size <= wire::coap::block_size(send_.szx)) {
    MessageBuilder b(Type::con, Code::post, next_message_id());
    b.uri_path("/dp").content_format(ContentFormat::senml_cbor).payload(w.written());
    return start_exchange(Exchange::send, b);
  }
  send_.active = true;
  const Error e = send_block();
  if (e != Error::ok) send_.active = false;
  return e;
}

Error Engine::send_block() {
  const Result<wire::coap::BlockSlice> slice =
      wire::coap::slice_block(mem_.payload.first(send_.size), {send_.num, false, send_.szx}, send_.szx);
  if (!slice) return slice.error();
  MessageBuilder b(Type::con, Code::post, next_message_id());
  b.uri_path("/dp").content_format(ContentFormat::senml_cbor).block1(*wire::coap::encode_block(slice->block));
  if (send_.num == 0) b.size1(static_cast<uint32_t>(send_.size));
  b.payload(slice->data);
  return start_exchange(Exchange::send, b);
}

// 2.31 Continue asks for the next block, in the size the server's Block1 says if smaller (RFC
// 7959 2.5: the offset reached stays, the block number follows the new size); anything else
// ends the transfer.
void Engine::on_send_response(Code code, const MessageView* response) {
  if (!send_.active) return;
  const size_t reached = (size_t{send_.num} + 1) * wire::coap::block_size(send_.szx);
  if (code == Code::continue_ && response != nullptr && reached < send_.size) {
    if (const Maybe<uint32_t> option = response->block1()) {
      const Result<wire::coap::BlockValue> asked = wire::coap::decode_block(*option);
      if (asked && asked->szx < send_.szx) send_.szx = asked->szx;
    }
    send_.num = static_cast<uint32_t>(reached / wire::coap::block_size(send_.szx));
    if (send_block() == Error::ok) return;
  }
  send_.active = false;
}

}  // namespace tl::client
