// Requests to devices: encoding, retransmission, block-wise transfers, answers, queue mode.
#include <algorithm>

#include "server/codec/codec.hpp"
#include "server/core/batch.hpp"
#include "server/core/core.hpp"
#include "server/core/device_extra.hpp"
#include "server/core/exchange.hpp"
#include "server/core/queued.hpp"
#include "wire/coap/block.hpp"

namespace tl::server::core {

using wire::coap::BlockValue;
using wire::coap::Code;
using wire::coap::ContentFormat;
using wire::coap::MessageBuilder;
using wire::coap::MessageView;
using wire::coap::Type;

namespace {

constexpr size_t kMaxAnswer = 1 << 20;

Outcome fail(OutcomeStatus status, std::string detail) {
  Outcome o;
  o.status = status;
  o.detail = std::move(detail);
  return o;
}

// Which levels a path needs for each operation (TS 1.1 6.3, 6.4).
std::string check(const DeviceRequest& r) {
  const int depth = r.path.depth();
  const bool values = r.op == Operation::write_replace || r.op == Operation::write_update || r.op == Operation::create;
  if (values && r.values.empty()) return "no values to write";
  switch (r.op) {
    case Operation::read:
    case Operation::discover:
    case Operation::observe:
    case Operation::cancel_observe:
    case Operation::write_attributes:
      return depth >= 1 ? "" : "name an object, instance or resource";
    case Operation::write_replace: return depth >= 2 ? "" : "write to an instance or a resource";
    case Operation::write_update: return depth >= 2 ? "" : "a partial update goes to an instance or a resource";
    case Operation::execute: return depth == 3 ? "" : "execute a resource (/object/instance/resource)";
    case Operation::create: return depth == 1 || depth == 2 ? "" : "create under an object (/object)";
    case Operation::delete_instance: return depth == 2 ? "" : "delete an instance (/object/instance)";
  }
  return "unknown operation";
}

uint16_t chosen_format(Format f, bool lwm2m_1_0) {
  if (f != Format::automatic) return static_cast<uint16_t>(f);
  return lwm2m_1_0 ? codec::cf::tlv : codec::cf::senml_cbor;
}

Code method_of(Operation op) {
  switch (op) {
    case Operation::read:
    case Operation::discover:
    case Operation::observe:
    case Operation::cancel_observe:
      return Code::get;
    case Operation::write_replace:
    case Operation::write_attributes:
      return Code::put;
    case Operation::write_update:
    case Operation::execute:
    case Operation::create:
      return Code::post;
    case Operation::delete_instance:
      return Code::delete_;
  }
  return Code::get;
}

uint64_t token_of(wire::Bytes t) {
  if (t.size() != 8) return 0;
  uint64_t v = 0;
  for (uint8_t b : t) v = (v << 8) | b;
  return v;
}

void put_token(uint64_t token, uint8_t (&out)[8]) {
  for (int i = 7; i >= 0; --i, token >>= 8) out[i] = static_cast<uint8_t>(token);
}

}  // namespace

void Core::request(std::string_view endpoint, DeviceRequest req, OutcomeCallback done) {
  Device* d = registry_.find(endpoint);
  if (d == nullptr) return done(fail(OutcomeStatus::not_registered, "no device is registered as '" + std::string(endpoint) + "'"));
  if (const std::string why = check(req); !why.empty()) return done(fail(OutcomeStatus::bad_request, why));
  if (!sleeping(*d)) return start(*d, std::move(req), std::move(done), 0);
  if (req.queue_expiry_s == 0) return done(fail(OutcomeStatus::failed, "the device sleeps (queue mode) and the request may not wait"));
  const TimeMs now = link_.wall_ms();
  if (last_request_id_ == 0) last_request_id_ = static_cast<RequestId>(now) << 8;  // unique across restarts
  QueuedRequest q;
  q.id = ++last_request_id_;
  q.expires_mono_ms = link_.mono_ms() + uint64_t{req.queue_expiry_s} * 1000;
  store::PendingRequest stored;
  stored.id = q.id;
  stored.device = d->id;
  stored.kind = kind_of(req.op);
  stored.path = req.path;
  stored.body = body_of(req);
  stored.created_ms = now;
  stored.expires_ms = now + TimeMs{req.queue_expiry_s} * 1000;
  batch().writes.put_request(std::move(stored));
  q.request = std::move(req);
  Outcome o;
  o.status = OutcomeStatus::queued;
  o.request_id = q.id;
  enqueue(*d, std::move(q));
  o.detail = "the device sleeps: the request goes out after its next Update";
  // Queued means stored: the caller hears of it once the request survives a restart.
  after_durable([o = std::move(o), done = std::move(done)](bool durable) mutable {
    if (!durable) o = fail(OutcomeStatus::failed, "the request could not be stored");
    done(std::move(o));
  });
}

void Core::start(Device& d, DeviceRequest req, OutcomeCallback done, RequestId queued_id) {
  start_to(d.id, d.peer, d.secure, d.lwm2m_1_0, std::move(req), std::move(done), queued_id, {});
}

void Core::start_to(DeviceId id, const Peer& peer, bool secure, bool lwm2m_1_0, DeviceRequest req,
                    OutcomeCallback done, RequestId queued_id, std::string uri) {
  Device* dev = registry_.find(id);
  auto x = std::make_unique<Exchange>();
  x->token = next_token();
  x->device = id;
  x->peer = peer;
  x->secure = secure;
  x->uri = uri.empty() ? req.path.to_string() : std::move(uri);
  x->started_ms = link_.mono_ms();
  x->give_up_ms = x->started_ms + req.timeout_ms;
  x->queued_id = queued_id;
  if (req.op == Operation::cancel_observe) {
    // Forget the observation; the device learns it from the Reset to its next notification.
    if (dev != nullptr && dev->extra) {
      auto& obs = dev->extra->observations;
      for (auto it = obs.begin(); it != obs.end();) {
        if (req.path.contains(it->path) || it->path == req.path) {
          observations_.erase(it->token);
          if (!it->standing) batch().writes.delete_observation({dev->id, it->path, 0});
          it = obs.erase(it);
        } else {
          ++it;
        }
      }
    }
    Outcome o;
    o.status = OutcomeStatus::done;
    o.coap_code = static_cast<uint8_t>(Code::deleted);
    o.detail = "observation cancelled";
    if (done) done(std::move(o));
    return;
  }
  if (req.op == Operation::write_replace || req.op == Operation::write_update || req.op == Operation::create) {
    const uint16_t format = chosen_format(req.format, lwm2m_1_0);
    auto encoded = codec::encode(format, req.path, req.values);
    if (!encoded) {
      if (done) done(fail(OutcomeStatus::bad_request, encoded.error()));
      return;
    }
    x->body = std::move(encoded).value();
    x->body_format = format;
  } else if (req.op == Operation::execute) {
    x->body.assign(req.arguments.begin(), req.arguments.end());
  }
  x->request = std::move(req);
  x->done = std::move(done);
  Exchange& ref = *x;
  exchanges_[x->token] = std::move(x);
  transmit(ref);
}

// (Re)builds the datagram for the exchange's next message: the first one, the next Block1
// block, or the next Block2 request; then sends it under a new message id.
void Core::transmit(Exchange& x) {
  const DeviceRequest& r = x.request;
  const bool follow_up = !x.received.empty();
  MessageBuilder b(Type::con, follow_up ? Code::get : method_of(r.op), next_mid());
  uint8_t token[8];
  put_token(x.token, token);
  b.token({token, 8});
  const std::string& path = x.uri;
  b.uri_path(path);
  const Device* d = registry_.find(x.device);
  const bool old = d != nullptr && d->lwm2m_1_0;
  switch (r.op) {
    case Operation::read:
    case Operation::observe:
      if (r.op == Operation::observe && !follow_up) b.observe(0);
      if (r.format != Format::automatic || r.path.depth() < 3) b.accept(static_cast<ContentFormat>(chosen_format(r.format, old)));
      break;
    case Operation::discover: b.accept(ContentFormat::link_format); break;
    case Operation::write_attributes:
      for (const std::string& a : r.attributes) b.uri_query(a);
      break;
    default: break;
  }
  if (follow_up) {
    const uint32_t num = static_cast<uint32_t>(x.received.size() / wire::coap::block_size(x.szx));
    b.block2(*wire::coap::encode_block(BlockValue{num, false, x.szx}));
  } else if (!x.body.empty()) {
    if (x.body_format != 0 || r.op != Operation::execute) b.content_format(static_cast<ContentFormat>(x.body_format));
    const size_t block = wire::coap::block_size(x.szx);
    if (x.body.size() > block) {
      const size_t offset = size_t{x.block1_num} * block;
      const size_t n = std::min(block, x.body.size() - offset);
      const bool more = offset + n < x.body.size();
      b.block1(*wire::coap::encode_block(BlockValue{x.block1_num, more, x.szx}));
      if (x.block1_num == 0) b.size1(static_cast<uint32_t>(x.body.size()));
      b.payload({x.body.data() + offset, n});
    } else {
      b.payload({x.body.data(), x.body.size()});
    }
  }
  x.datagram.resize(1200 + path.size());
  wire::ByteWriter w(wire::MutableBytes(x.datagram.data(), x.datagram.size()));
  if (b.write(w) != wire::Error::ok) return finish(x.token, fail(OutcomeStatus::failed, "the request does not fit a datagram"));
  x.datagram.resize(w.size());
  exchange_by_mid_.erase(x.mid);
  x.mid = wire::coap::decode_header(x.datagram)->message_id;
  exchange_by_mid_[x.mid] = x.token;
  x.acked = false;
  x.retransmission.start(config_.transmission, link_.mono_ms(), static_cast<uint32_t>(next_token()));
  send_datagram(x.peer, x.secure, x.datagram);
  schedule_exchange(x);
}

void Core::schedule_exchange(Exchange& x) {
  const uint64_t at = x.acked ? x.give_up_ms : std::min(x.give_up_ms, x.retransmission.deadline_ms());
  if (at == x.due_ms) return;
  x.due_ms = at;
  exchange_due_.push({at, x.token});
}

void Core::run_exchanges(uint64_t now, uint64_t& deadline) {
  while (!exchange_due_.empty() && exchange_due_.top().at_ms <= now) {
    const Due due = exchange_due_.top();
    exchange_due_.pop();
    const auto it = exchanges_.find(due.key);
    if (it == exchanges_.end() || it->second->due_ms != due.at_ms) continue;  // finished, or due later
    Exchange& x = *it->second;
    x.due_ms = 0;
    bool give_up = now >= x.give_up_ms;
    if (!give_up && !x.acked) {
      switch (x.retransmission.poll(now)) {
        case wire::coap::Retransmission::Step::retransmit:
          ++stats_.retransmissions;
          send_datagram(x.peer, x.secure, x.datagram);
          break;
        case wire::coap::Retransmission::Step::give_up: give_up = true; break;
        default: break;
      }
    }
    if (give_up) {
      ++stats_.requests_timeout;
      finish(due.key, fail(OutcomeStatus::timeout, "the device did not answer in time"));
      continue;
    }
    schedule_exchange(x);  // an ACK since may have moved it to the caller's timeout
  }
  if (!exchange_due_.empty()) deadline = std::min(deadline, exchange_due_.top().at_ms);
}

void Core::on_response(const Peer& peer, const MessageView& m) {
  const uint64_t token = token_of(m.token());
  auto it = exchanges_.find(token);
  if (it == exchanges_.end() || !(it->second->peer == peer)) {
    if (m.observe() && observations_.count(token) != 0) return on_notification(peer, m, token);
    // Not ours (any more): a confirmable one is refused, which also ends a stale observation.
    if (m.type() == Type::con || (m.type() == Type::non && m.observe())) {
      const Device* d = registry_.find_by_peer(peer);
      send_empty(peer, d != nullptr && d->secure, Type::rst, m.message_id());
    }
    return;
  }
  Exchange& x = *it->second;
  if (m.type() == Type::con) send_empty(peer, x.secure, Type::ack, m.message_id());
  else if (m.type() == Type::ack && m.message_id() != x.mid) return;  // an old ACK
  const uint8_t cls = static_cast<uint8_t>(m.code()) >> 5;
  // Block1: the next block of a large write.
  if (m.code() == Code::continue_ && !x.body.empty()) {
    if (const auto opt = m.block1()) {
      const auto asked = wire::coap::decode_block(*opt);
      const size_t reached = (size_t{x.block1_num} + 1) * wire::coap::block_size(x.szx);
      if (asked && asked->szx < x.szx) x.szx = asked->szx;
      x.block1_num = static_cast<uint32_t>(reached / wire::coap::block_size(x.szx));
      if (reached < x.body.size()) return transmit(x);
    }
    return finish(token, fail(OutcomeStatus::failed, "the device asked for a block past the end"));
  }
  // Block2: more of a large answer.
  if (cls == 2) {
    if (const auto opt = m.block2()) {
      const auto got = wire::coap::decode_block(*opt);
      if (!got || got->offset() != x.received.size()) return finish(token, fail(OutcomeStatus::failed, "the device sent an unexpected block"));
      if (got->more) {
        x.received.insert(x.received.end(), m.payload().begin(), m.payload().end());
        if (x.received.size() > kMaxAnswer) return finish(token, fail(OutcomeStatus::failed, "the answer is larger than 1 MB"));
        x.szx = got->szx;
        if (m.observe() && x.request.op == Operation::observe) {
          // The observation is established by the first block; later blocks are plain GETs.
          Device* d = registry_.find(x.device);
          if (d != nullptr) observations_[token] = ObservationRef{d->id, x.request.path, x.request.format};
        }
        return transmit(x);
      }
    }
  }
  std::vector<uint8_t> whole;
  Bytes payload = m.payload();
  if (!x.received.empty()) {
    whole = std::move(x.received);
    whole.insert(whole.end(), payload.begin(), payload.end());
    payload = whole;
  }
  Outcome o = outcome_of(x, m, payload);
  if (x.request.op == Operation::observe && cls == 2 && m.observe()) {
    Device* d = registry_.find(x.device);
    if (d != nullptr) {
      observations_[token] = ObservationRef{d->id, x.request.path, x.request.format};
      bool known = false;
      for (ObservationIntent& intent : extra_of(*d).observations) {
        if (intent.path == x.request.path) {
          if (intent.token != 0 && intent.token != token) observations_.erase(intent.token);
          intent.token = token;
          intent.format = x.request.format;
          known = true;
        }
      }
      if (!known) {
        d->extra->observations.push_back({x.request.path, x.request.format, token});
        batch().writes.put_observation({d->id, x.request.path, static_cast<uint16_t>(x.request.format)});
      }
      if (!o.values.empty()) {
        std::vector<Sample> values = o.values;
        store_values(values, *d, EventKind::notification, x.request.path);
      }
    }
  }
  finish(token, std::move(o));
}

Outcome Core::outcome_of(const Exchange& x, const MessageView& m, Bytes payload) {
  Outcome o;
  o.status = OutcomeStatus::done;
  o.coap_code = static_cast<uint8_t>(m.code());
  const uint16_t format = m.content_format() ? static_cast<uint16_t>(*m.content_format()) : uint16_t{0};
  o.format = static_cast<Format>(format);
  const uint8_t cls = o.coap_code >> 5;
  if (cls != 2) {
    o.detail.assign(payload.begin(), payload.end());  // diagnostic payload, if any
    return o;
  }
  if (x.request.op == Operation::discover) {
    o.link_format.assign(payload.begin(), payload.end());
    return o;
  }
  if ((x.request.op == Operation::read || x.request.op == Operation::observe) && !payload.empty()) {
    auto decoded = codec::decode(format, payload, x.request.path, x.device, link_.wall_ms());
    if (decoded) o.values = std::move(decoded).value();
    else o.detail = "the device's answer does not decode: " + decoded.error();
  }
  return o;
}

void Core::finish(uint64_t token, Outcome outcome) {
  auto it = exchanges_.find(token);
  if (it == exchanges_.end()) return;
  std::unique_ptr<Exchange> x = std::move(it->second);
  exchanges_.erase(it);
  exchange_by_mid_.erase(x->mid);
  if (outcome.status == OutcomeStatus::done) ++stats_.requests_done;
  if (config_.on_request_done) {
    config_.on_request_done(static_cast<double>(link_.mono_ms() - x->started_ms) / 1000.0);
  }
  if (x->queued_id != 0) {
    const bool ok = outcome.status == OutcomeStatus::done;
    const store::RequestState state = ok ? store::RequestState::done : store::RequestState::failed;
    std::string result = ok ? "code " + std::to_string(outcome.coap_code >> 5) + "." +
                                  std::to_string(outcome.coap_code & 31)
                            : outcome.detail;
    batch().writes.update_request(x->queued_id, state, std::move(result));
    if (events_.has_subscribers()) {
      Event e;
      e.kind = EventKind::request_done;
      e.time_ms = link_.wall_ms();
      e.device = x->device;
      if (const Device* d = registry_.find(x->device)) e.endpoint = d->endpoint;
      e.request_id = x->queued_id;
      e.detail = std::string(store::to_string(state));
      events_.publish(e);
    }
  }
  if (x->done) x->done(std::move(outcome));
}

DeviceExtra& Core::extra_of(Device& d) {
  if (!d.extra) d.extra = std::make_unique<DeviceExtra>();
  return *d.extra;
}

void Core::enqueue(Device& d, QueuedRequest q) {
  queue_due_.push({q.expires_mono_ms, d.id});
  extra_of(d).queue.push_back(std::move(q));
  ++queued_;
}

void Core::deliver_queue(Device& d) {
  if (!d.extra) return;
  auto queue = std::move(d.extra->queue);
  d.extra->queue.clear();
  for (QueuedRequest& q : queue) {
    --queued_;
    start(d, std::move(q.request), std::move(q.done), q.id);
  }
}

void Core::load_observations() {
  for (const store::Observation& stored : store_.observations()) {
    Device* d = registry_.find(stored.device);
    if (d != nullptr) extra_of(*d).observations.push_back({stored.path, static_cast<Format>(stored.format), 0});
  }
}

void Core::load_queues() {
  const uint64_t mono = link_.mono_ms();
  const TimeMs wall = link_.wall_ms();
  for (const store::PendingRequest& stored : store_.pending_requests()) {
    last_request_id_ = std::max(last_request_id_, stored.id);
    Device* d = registry_.find(stored.device);
    std::optional<DeviceRequest> request = request_from(stored);
    if (d == nullptr || !request || stored.expires_ms <= wall) {
      const char* why = d == nullptr ? "the device is no longer registered"
                        : !request   ? "the stored request does not decode"
                                     : "not delivered in time";
      batch().writes.update_request(stored.id, request && d != nullptr ? store::RequestState::expired : store::RequestState::failed, why);
      continue;
    }
    QueuedRequest q;
    q.id = stored.id;
    q.request = std::move(*request);
    q.expires_mono_ms = mono + static_cast<uint64_t>(stored.expires_ms - wall);
    enqueue(*d, std::move(q));
  }
}

void Core::expire_queues(uint64_t now, uint64_t& deadline) {
  while (!queue_due_.empty() && queue_due_.top().at_ms <= now) {
    const DeviceId id = queue_due_.top().key;
    queue_due_.pop();
    Device* found = registry_.find(id);
    if (found == nullptr || !found->extra || found->extra->queue.empty()) continue;  // gone, or delivered
    Device& d = *found;
    auto& q = d.extra->queue;
    for (auto it = q.begin(); it != q.end();) {
      if (now < it->expires_mono_ms) {
        ++it;
        continue;
      }
      --queued_;
      batch().writes.update_request(it->id, store::RequestState::expired, "not delivered in time");
      if (events_.has_subscribers()) {
        Event e;
        e.kind = EventKind::request_done;
        e.time_ms = link_.wall_ms();
        e.device = d.id;
        e.endpoint = d.endpoint;
        e.request_id = it->id;
        e.detail = "expired";
        events_.publish(e);
      }
      it = q.erase(it);
    }
  }
  if (!queue_due_.empty()) deadline = std::min(deadline, queue_due_.top().at_ms);
}

void Core::establish_observations(Device& d, bool every_one) {
  if (!d.extra) return;
  for (ObservationIntent& intent : d.extra->observations) {
    if (!every_one && (intent.token != 0 || intent.establishing)) continue;
    if (intent.token != 0) observations_.erase(intent.token);
    intent.token = 0;
    intent.establishing = true;
    DeviceRequest r;
    r.op = Operation::observe;
    r.path = intent.path;
    r.format = intent.format;
    r.timeout_ms = static_cast<uint32_t>(config_.transmission.max_transmit_wait_ms());
    // Accepted or not, the attempt is over: a failed one is tried again after the next Update.
    start(d, std::move(r), [this, id = d.id, path = intent.path](const Outcome&) {
      Device* dev = registry_.find(id);
      if (dev == nullptr || !dev->extra) return;
      for (ObservationIntent& o : dev->extra->observations) {
        if (o.path == path) o.establishing = false;
      }
    }, 0);
  }
}

std::vector<store::PendingRequest> Core::pending_requests(std::string_view endpoint) {
  std::vector<store::PendingRequest> out;
  Device* d = registry_.find(endpoint);
  if (d == nullptr) return out;
  return store_.requests_of(d->id);
}

}  // namespace tl::server::core
