// The bootstrap interface (TS 1.1 5.2, 6.1): client-initiated Bootstrap-Request, the bootstrap
// server's Write / Delete / Discover / Finish, factory bootstrap and persistence of objects 0, 1.
#include "client/engine_internal.hpp"

namespace tl::client {

using wire::coap::MessageBuilder;
using wire::coap::Type;

namespace {
constexpr std::string_view kSecurityKey = "tl.sec";
constexpr std::string_view kServerKey = "tl.srv";
}  // namespace

void Engine::load_accounts() {
  accounts_loaded_ = true;
  if (security_.load(platform_, kSecurityKey) && server_.load(platform_, kServerKey)) return;
  // Factory bootstrap (TS 1.1 6.1.2): the configuration's accounts, iids in order.
  security_.clear();
  server_.clear();
  uint16_t security_iid = 0;
  uint16_t server_iid = 0;
  for (const ServerAccount& a : config_.factory) {
    security_.add(a, security_iid++);
    if (!a.bootstrap) server_.add(a, server_iid++, config_.queue_mode);
  }
}

void Engine::save_accounts() {
  (void)security_.save(platform_, kSecurityKey);
  (void)server_.save(platform_, kServerKey);
}

void Engine::send_bootstrap_request() {
  char ep[80];
  ByteWriter w(reinterpret_cast<uint8_t*>(ep), sizeof(ep));
  w.put(std::string_view("ep="));
  w.put(config_.endpoint);
  MessageBuilder b(Type::con, Code::post, next_message_id());
  // pct: our preferred format for what the bootstrap server writes (TS 1.1 5.2.7.1).
  b.uri_path("/bs").uri_query(std::string_view(ep, w.size())).uri_query("pct=112");
  if (start_exchange(Exchange::bootstrap_request, b) != Error::ok) fail_and_retry();
}

void Engine::on_bootstrap_response(Code code) {
  if (code != Code::changed) {
    bootstrap_next_ = true;
    return fail_and_retry();
  }
  state_ = State::bootstrapping;
  bootstrap_deadline_ms_ = now_ms_ + uint64_t{config_.bootstrap_timeout_s} * 1000u;
}

void Engine::bootstrap_request(Request& r) {
  const Code c = r.m.code();
  if (r.bs_path) {
    if (c == Code::post) return bootstrap_finish(r);
    return respond(r, Code::method_not_allowed);
  }
  if (!r.lwm2m_path) return respond(r, Code::not_found);
  if (c == Code::put) return bootstrap_write(r);
  if (c == Code::delete_) return bootstrap_delete(r);
  if (c == Code::get && format_or(r.m.accept(), kLinkFormat) == kLinkFormat) return bootstrap_discover(r);
  if (c == Code::get) return dm_read(r);  // Bootstrap-Read (TS 1.1 5.2.7.5)
  respond(r, Code::method_not_allowed);
}

void Engine::bootstrap_write(Request& r) {
  if (r.path.depth == 0) return respond(r, Code::method_not_allowed);
  Object* o = find_any_object(r.path.object_id());
  if (o == nullptr) return respond(r, Code::not_found);
  const Maybe<ContentFormat> format = r.m.content_format();
  if (!format) return respond(r, Code::bad_request);
  respond(r, apply_payload(*o, r.path, wire::coap::to_uint(*format), r.m.payload(), WriteMode::replace, true));
}

void Engine::bootstrap_delete(Request& r) {
  if (r.path.depth > 2) return respond(r, Code::bad_request);
  const auto erase = [this, &r](Object& o) {
    if (r.path.depth >= 1 && r.path.object_id() != o.id()) return;
    size_t index = 0;
    for (uint16_t iid = o.instance(index); iid != kNoId; iid = o.instance(index)) {
      const SecurityRecord* s = o.id() == 0 ? security_.find(iid) : nullptr;
      // The bootstrap server's own account survives (TS 1.1 5.2.7.4).
      const bool keep = (s != nullptr && s->bootstrap) || (r.path.depth == 2 && iid != r.path.instance_id());
      if (keep || o.remove(iid) != Status::ok) ++index;
    }
  };
  erase(security_);
  erase(server_);
  for (Object* o : objects_) erase(*o);
  attributes_.remove_under(r.path);
  respond(r, Code::deleted);
}

void Engine::bootstrap_discover(Request& r) {
  if (r.path.depth > 1) return respond(r, Code::bad_request);
  ByteWriter w(mem_.payload);
  const Code code = write_bootstrap_discover(r.path, w);
  if (is_error(code)) return respond(r, code);
  MessageBuilder b = response_for(r, Code::content);
  b.content_format(ContentFormat::link_format);
  respond_blocks(r, b, w.written());
}

bool Engine::accounts_consistent() const { return server_record() != nullptr; }

void Engine::bootstrap_finish(Request& r) {
  // TS 1.1 5.2.7.3: 4.06 when the configuration does not let the client register anywhere.
  if (!accounts_consistent()) return respond(r, Code::not_acceptable);
  respond(r, Code::changed);
  save_accounts();
  bootstrap_deadline_ms_ = UINT64_MAX;
  bootstrap_next_ = false;
  retry_delay_s_ = 0;
  state_ = State::starting;
}

}  // namespace tl::client
