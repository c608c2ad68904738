// The registration interface (TS 1.1 5.3, 6.2): Register, Update, De-register, and the choice
// between registering and bootstrapping at start and after failures.
#include <algorithm>

#include "client/engine_internal.hpp"
#include "wire/lwm2m/link_format.hpp"
#include "wire/numtext.hpp"

namespace tl::client {

using wire::coap::MessageBuilder;
using wire::coap::Type;

namespace {

// Clamped slicing: the standard member may throw, which freestanding code must not.
std::string_view sub(std::string_view s, size_t pos, size_t n = std::string_view::npos) {
  if (pos > s.size()) return {};
  return {s.data() + pos, std::min(n, s.size() - pos)};
}

struct HostPort {
  std::string_view host;
  uint16_t port = 0;
};

// "coap://host:port", "coaps://[::1]:5684"; the port defaults to 5683 / 5684.
Result<HostPort> parse_uri(std::string_view uri) {
  HostPort hp;
  std::string_view rest;
  if (uri.starts_with("coap://")) {
    hp.port = 5683;
    rest = sub(uri, 7);
  } else if (uri.starts_with("coaps://")) {
    hp.port = 5684;
    rest = sub(uri, 8);
  } else {
    return Error::unsupported;
  }
  rest = sub(rest, 0, rest.find('/'));
  size_t host_end = rest.rfind(':');
  if (!rest.empty() && rest.front() == '[') {
    const size_t close = rest.find(']');
    if (close == std::string_view::npos) return Error::malformed;
    hp.host = sub(rest, 1, close - 1);
    host_end = close + 1 < rest.size() && rest[close + 1] == ':' ? close + 1 : std::string_view::npos;
  } else {
    hp.host = sub(rest, 0, host_end);
  }
  if (host_end != std::string_view::npos && host_end < rest.size()) {
    const Result<uint64_t> port = wire::parse_uint(sub(rest, host_end + 1));
    if (!port || *port == 0 || *port > 0xFFFF) return Error::malformed;
    hp.port = static_cast<uint16_t>(*port);
  }
  if (hp.host.empty()) return Error::malformed;
  return hp;
}

// "key=value" into `buf` for a Uri-Query option.
std::string_view query(char* buf, size_t cap, std::string_view key, std::string_view value) {
  ByteWriter w(reinterpret_cast<uint8_t*>(buf), cap);
  w.put(key);
  w.put('=');
  w.put(value);
  return {buf, w.size()};
}

std::string_view query_uint(char* buf, size_t cap, std::string_view key, uint64_t value) {
  ByteWriter w(reinterpret_cast<uint8_t*>(buf), cap);
  w.put(key);
  w.put('=');
  (void)wire::format_uint(value, w);
  return {buf, w.size()};
}

}  // namespace

const ServerRecord* Engine::server_record() const {
  const SecurityRecord* account = security_.server_account();
  return account != nullptr ? server_.by_short_id(account->short_server_id) : nullptr;
}

bool Engine::queue_mode() const {
  const ServerRecord* s = server_record();
  return s != nullptr ? std::string_view(s->binding, s->binding_len) == "UQ" : config_.queue_mode;
}

void Engine::start() {
  if (!accounts_loaded_) load_accounts();
  const SecurityRecord* server = security_.server_account();
  const SecurityRecord* bootstrap = security_.bootstrap_account();
  asleep_ = false;
  if (server != nullptr && server_record() != nullptr && !bootstrap_next_) {
    state_ = State::registering;
    connect(*server);
  } else if (bootstrap != nullptr) {
    bootstrap_next_ = false;
    state_ = State::bootstrap_request;
    connect(*bootstrap);
  } else {
    state_ = State::deregistered;  // nothing to talk to
  }
}

void Engine::connect(const SecurityRecord& account) {
  transport_.close();
  const Result<HostPort> hp = parse_uri(account.uri_text());
  if (!hp || transport_.open(hp->host, hp->port, account.credentials()) != Error::ok) fail_and_retry();
}

void Engine::fail_and_retry() {
  transport_.close();
  retry_delay_s_ = retry_delay_s_ == 0 ? config_.retry_first_s : std::min(retry_delay_s_ * 2, config_.retry_max_s);
  retry_at_ms_ = now_ms_ + uint64_t{retry_delay_s_} * 1000u;
  state_ = State::backoff;
}

Error Engine::write_object_list(ByteWriter& out) const {
  wire::lwm2m::link::Writer links(out);
  const auto list = [&links](const Object& o) {
    const bool versioned = o.def().version != "1.0";
    if (versioned || o.instance(0) == kNoId) {
      links.link(Path::object(o.id()));
      if (versioned) links.attr_token("ver", o.def().version);
    }
    for (size_t i = 0; o.instance(i) != kNoId; ++i) links.link(Path::instance(o.id(), o.instance(i)));
  };
  list(server_);  // object 0 is never listed (TS 1.1 6.2.1)
  for (const Object* o : objects_) list(*o);
  return links.status();
}

void Engine::send_register() {
  const ServerRecord* s = server_record();
  if (s == nullptr) return fail_and_retry();
  char ep[80];
  char lt[24];
  ByteWriter list(mem_.rx);  // free: registration runs from the timers, not inside a datagram
  if (write_object_list(list) != Error::ok) return fail_and_retry();
  MessageBuilder b(Type::con, Code::post, next_message_id());
  b.uri_path("/rd")
      .uri_query(query(ep, sizeof(ep), "ep", config_.endpoint))
      .uri_query(query_uint(lt, sizeof(lt), "lt", s->lifetime_s))
      .uri_query("lwm2m=1.1")
      .uri_query(queue_mode() ? "b=UQ" : "b=U")
      .content_format(ContentFormat::link_format)
      .payload(list.written());
  if (start_exchange(Exchange::register_, b) != Error::ok) fail_and_retry();
}

void Engine::on_register_response(Code code, const MessageView* response) {
  if (code != Code::created || response == nullptr) {
    // Bootstrap on registration failure (object 1 resource 16, true by default).
    bootstrap_next_ = security_.bootstrap_account() != nullptr;
    return fail_and_retry();
  }
  ByteWriter loc(reinterpret_cast<uint8_t*>(location_), sizeof(location_));
  for (const wire::coap::Option& segment : response->location_path()) {
    loc.put('/');
    loc.put(segment.value);
  }
  if (loc.overflowed()) return fail_and_retry();
  location_len_ = loc.size();
  // A new registration starts without observations: the server re-establishes the ones it wants
  // (TS 1.1 6.2.1), and tokens of the old registration must not produce notifications.
  for (Observation& o : mem_.observations) o.used = false;
  state_ = State::registered;
  retry_delay_s_ = 0;
  send_params_ = false;
  send_objects_ = false;
  update_wanted_ = false;
  schedule_update();
}

void Engine::schedule_update() {
  const ServerRecord* s = server_record();
  const uint64_t lifetime_ms = uint64_t{s != nullptr ? s->lifetime_s : 86'400u} * 1000u;
  const uint64_t margin = config_.transmission.max_transmit_wait_ms();
  // Update one MAX_TRANSMIT_WAIT before the lifetime ends, so that even a retransmitted Update
  // arrives in time; for short lifetimes at half of it.
  update_at_ms_ = now_ms_ + (lifetime_ms > 2 * margin ? lifetime_ms - margin : lifetime_ms / 2);
}

void Engine::send_update() {
  const ServerRecord* s = server_record();
  if (s == nullptr) return fail_and_retry();
  asleep_ = false;  // an Update is how a queue-mode client wakes up (TS 1.1 6.5)
  char lt[24];
  ByteWriter list(mem_.rx);  // free: registration runs from the timers, not inside a datagram
  if (send_objects_ && write_object_list(list) != Error::ok) return fail_and_retry();
  MessageBuilder b(Type::con, Code::post, next_message_id());
  b.uri_path({location_, location_len_});
  if (send_params_) {
    b.uri_query(query_uint(lt, sizeof(lt), "lt", s->lifetime_s)).uri_query(queue_mode() ? "b=UQ" : "b=U");
  }
  if (send_objects_) b.content_format(ContentFormat::link_format).payload(list.written());
  if (start_exchange(Exchange::update, b) != Error::ok) return;
  update_wanted_ = false;
  update_at_ms_ = UINT64_MAX;  // until the answer
}

void Engine::on_update_response(Code code) {
  if (code == Code::changed) {
    send_params_ = false;
    send_objects_ = false;
    schedule_update();
    return;
  }
  // 4.04: the server forgot us; any other failure or silence: we cannot tell we are registered.
  // Either way register again (TS 1.1 6.2.2).
  state_ = State::registering;
}

void Engine::objects_changed() {
  send_objects_ = true;
  update_wanted_ = true;
}

void Engine::deregister() {
  if (state_ != State::registered) return;
  out_.kind = Exchange::none;  // whatever was in flight no longer matters
  send_.active = false;
  MessageBuilder b(Type::con, Code::delete_, next_message_id());
  b.uri_path({location_, location_len_});
  if (start_exchange(Exchange::deregister, b) != Error::ok) state_ = State::deregistered;
}

}  // namespace tl::client
