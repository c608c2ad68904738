// Datagram dispatch, answers, the store batch and the timers.
#include "server/core/core.hpp"

#include <random>

#include "server/core/batch.hpp"
#include "server/core/device_extra.hpp"
#include "server/core/exchange.hpp"
#include "server/core/incoming.hpp"

namespace tl::server::core {

using wire::coap::Code;
using wire::coap::MessageBuilder;
using wire::coap::MessageView;
using wire::coap::Type;

Core::Core(CoreConfig config, Link& link, store::Store& store)
    : config_(std::move(config)),
      link_(link),
      store_(store),
      dedup_(config_.dedup_entries),
      limiter_(config_.peer_rate, config_.peer_burst) {
  std::random_device rd;
  token_key_ = (uint64_t{rd()} << 32) | rd();
  mid_ = static_cast<uint16_t>(rd());
  if (!config_.endpoint_of_identity) {
    config_.endpoint_of_identity = [](std::string_view identity) { return std::string(identity); };
  }
}

Core::~Core() = default;

uint64_t Core::next_token() {
  // Unique while the server runs, and not guessable from outside: a counter through a keyed
  // bijection (multiply by an odd constant, xor the key, then a final mix).
  uint64_t x = (++token_counter_ * 0x9E3779B97F4A7C15ull) ^ token_key_;
  x ^= x >> 29;
  return x == 0 ? 1 : x;
}

bool Core::admit(const Peer& peer) {
  if (limiter_.admit(peer, link_.mono_ms())) return true;
  ++stats_.rate_limited;
  return false;
}

void Core::on_datagram(const Peer& peer, Bytes datagram, bool secure, std::string_view identity) {
  ++stats_.datagrams_in;
  const auto decoded = wire::coap::decode(datagram);
  if (!decoded) {
    ++stats_.malformed;
    // A confirmable message we cannot parse is rejected with a Reset (RFC 7252 4.2).
    const auto header = wire::coap::decode_header(datagram);
    if (header && header->type == Type::con) send_empty(peer, secure, Type::rst, header->message_id);
    return;
  }
  const MessageView& m = *decoded;
  if (m.is_empty()) {
    if (m.type() == Type::con) return send_empty(peer, secure, Type::rst, m.message_id());  // ping
    auto it = exchange_by_mid_.find(m.message_id());
    if (it == exchange_by_mid_.end()) return;
    const uint64_t token = it->second;
    auto x = exchanges_.find(token);
    if (x == exchanges_.end() || !(x->second->peer == peer)) return;
    if (m.type() == Type::rst) return finish(token, Outcome{OutcomeStatus::failed, 0, {}, {}, {}, "the device reset the request", 0});
    x->second->acked = true;  // a separate response follows
    return;
  }
  const uint8_t code_class = static_cast<uint8_t>(m.code()) >> 5;
  if (code_class == 0) {
    Incoming in;
    in.peer = peer;
    in.secure = secure;
    in.identity = identity;
    in.m = &m;
    in.type = m.type();
    in.mid = m.message_id();
    in.token.assign(m.token().begin(), m.token().end());
    for (const auto& o : m.uri_path()) in.path.emplace_back(reinterpret_cast<const char*>(o.value.data()), o.value.size());
    for (const auto& o : m.uri_query()) in.query.emplace_back(reinterpret_cast<const char*>(o.value.data()), o.value.size());
    return handle_request(in);
  }
  if (code_class >= 2) return on_response(peer, m);
  ++stats_.malformed;  // class 1 is reserved
}

void Core::handle_request(Incoming& in) {
  if (in.type == Type::con) {
    std::span<const uint8_t> again;
    switch (dedup_.check(in.peer, in.mid, link_.mono_ms(), config_.transmission.exchange_lifetime_ms(), again)) {
      case DedupCache::Seen::answered:
        ++stats_.duplicates;
        return send_datagram(in.peer, in.secure, again);
      case DedupCache::Seen::in_progress:
        ++stats_.duplicates;
        return;  // the answer goes out once the store has it
      case DedupCache::Seen::fresh:
        break;
    }
  }
  if (wire::coap::check_options(*in.m) != wire::Error::ok) return answer(in, Code::bad_option);
  const Code method = in.m->code();
  if (in.path.size() >= 1 && in.path[0] == "rd") {
    if (in.path.size() == 1) return method == Code::post ? on_register(in) : answer(in, Code::method_not_allowed);
    DeviceId id = 0;
    uint32_t nonce = 0;
    Device* d = in.path.size() == 2 && parse_registration_id(in.path[1], id, nonce) ? registry_.find(id) : nullptr;
    if (d == nullptr || d->nonce != nonce) return answer(in, Code::not_found);
    // A device that registered over DTLS is only ever managed through its own session.
    if (d->secure && (!in.secure || in.identity != d->psk_identity)) return answer(in, Code::forbidden);
    if (method == Code::post) return on_update(in, *d);
    if (method == Code::delete_) return on_deregister(in, *d);
    return answer(in, Code::method_not_allowed);
  }
  if (in.path.size() == 1 && in.path[0] == "bs") {
    return method == Code::post ? on_bootstrap_request(in) : answer(in, Code::method_not_allowed);
  }
  if (in.path.size() == 1 && in.path[0] == "dp") {
    if (method != Code::post) return answer(in, Code::method_not_allowed);
    Device* d = registry_.find_by_peer(in.peer);
    if (d == nullptr || (d->secure && (!in.secure || in.identity != d->psk_identity))) return answer(in, Code::forbidden);  // Send before Register (TS 1.1 6.4.4)
    return on_send(in, *d);
  }
  answer(in, Code::not_found);
}

void Core::answer(Incoming& in, Code code, std::string_view location) {
  const bool con = in.type == Type::con;
  MessageBuilder b(con ? Type::ack : Type::non, code, con ? in.mid : next_mid());
  b.token({in.token.data(), in.token.size()});
  if (!location.empty()) b.location_path(location);
  if (code == Code::service_unavailable) b.max_age(config_.overload_retry_s);  // when to try again
  std::vector<uint8_t> out(64 + location.size());
  wire::ByteWriter w(wire::MutableBytes(out.data(), out.size()));
  if (b.write(w) != wire::Error::ok) return;
  out.resize(w.size());
  if (con) dedup_.answer(in.peer, in.mid, out);
  send_datagram(in.peer, in.secure, out);
}

void Core::answer_when_durable(Incoming& in, Code code, std::string location) {
  after_durable([this, peer = in.peer, secure = in.secure, type = in.type, mid = in.mid, token = in.token, code,
                 location = std::move(location)](bool durable) {
    if (!durable) ++stats_.store_failures;
    Incoming later;
    later.peer = peer;
    later.secure = secure;
    later.type = type;
    later.mid = mid;
    later.token = token;
    answer(later, durable ? code : Code::internal_server_error, durable ? location : std::string_view{});
  });
}

void Core::send_datagram(const Peer& peer, bool secure, Bytes datagram) {
  ++stats_.datagrams_out;
  link_.send(peer, secure, datagram);
}

void Core::send_empty(const Peer& peer, bool secure, Type type, uint16_t mid) {
  uint8_t buf[4];
  wire::ByteWriter w(wire::MutableBytes(buf, sizeof(buf)));
  if (wire::coap::write_empty(type, mid, w) == wire::Error::ok) send_datagram(peer, secure, w.written());
}

Core::Batch& Core::batch() {
  if (!batch_) {
    batch_ = std::make_unique<Batch>();
    batch_deadline_ = link_.mono_ms() + config_.batch_ms;
  }
  ++batch_->count;
  if (batch_->count >= config_.batch_writes) batch_deadline_ = 0;  // flush at the next poll()
  return *batch_;
}

void Core::after_durable(std::function<void(bool durable)> then) { batch().then.push_back(std::move(then)); }

void Core::flush() {
  if (!batch_) return;
  std::unique_ptr<Batch> b = std::move(batch_);
  batch_deadline_ = UINT64_MAX;
  auto then = std::make_shared<std::vector<std::function<void(bool)>>>(std::move(b->then));
  in_store_ += b->count;
  store_.submit(std::move(b->writes), [this, then, count = b->count, values = b->values,
                                        notifications = b->notifications](bool durable) {
    link_.post([this, then, durable, count, values, notifications] {
      in_store_ -= count;
      if (durable) {
        stats_.values_stored += values;
        stats_.notifications_stored += notifications;
      }
      for (auto& f : *then) f(durable);
    });
  });
}

uint64_t Core::poll() {
  const uint64_t now = link_.mono_ms();
  uint64_t deadline = UINT64_MAX;
  expire(now);
  expire_queues(now, deadline);
  run_exchanges(now, deadline);
  if (batch_ && now >= batch_deadline_) flush();
  deadline = std::min({deadline, registry_.next_expiry(), batch_ ? batch_deadline_ : UINT64_MAX});
  return deadline;
}

CoreStats Core::stats() const {
  CoreStats s = stats_;
  s.requests_queued = queued_;
  s.exchanges = exchanges_.size();
  s.store_backlog = store_backlog();
  return s;
}

size_t Core::store_backlog() const { return in_store_ + (batch_ ? batch_->count : 0); }

size_t Core::sleeping_count() {
  size_t n = 0;
  registry_.for_each([&](const Device& d) { n += sleeping(d) ? size_t{1} : size_t{0}; });
  return n;
}

bool Core::sleeping(const Device& d) const {
  return d.queue_mode && link_.mono_ms() >= d.last_seen_mono_ms + config_.queue_awake_ms;
}

}  // namespace tl::server::core
