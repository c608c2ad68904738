// The event loop, incoming datagram dispatch and the one outstanding confirmable exchange.
#include <algorithm>

#include "client/engine_internal.hpp"

namespace tl::client {

using wire::coap::MessageBuilder;
using wire::coap::Retransmission;
using wire::coap::Type;

namespace {
// At most this many datagrams are handled per step, so a flood cannot starve the timers.
constexpr int kMaxDatagramsPerStep = 16;
// Room for the CoAP header, token and options next to a block in one datagram.
constexpr size_t kHeaderRoom = 96;
}  // namespace

Engine::Engine(Platform& platform, Transport& transport, std::span<Object* const> objects,
               const ClientConfig& config, Memory memory)
    : platform_(platform),
      transport_(transport),
      objects_(objects),
      config_(config),
      mem_(memory),
      attributes_(memory.attributes),
      dedup_(config.transmission),
      assembler_(memory.payload) {
  for (Object* o : objects_) o->set_listener(this);
  next_mid_ = static_cast<uint16_t>(platform.random32());
}

uint64_t Engine::step(uint64_t now_ms) {
  now_ms_ = now_ms;
  uint64_t deadline = UINT64_MAX;
  if (transport_.state() != Transport::State::closed) deadline = transport_.poll(now_ms);
  receive_all();
  collect_server_events();
  run_timers(deadline);
  return std::max(deadline, now_ms);
}

void Engine::receive_all() {
  for (int i = 0; i < kMaxDatagramsPerStep; ++i) {
    const Result<size_t> n = transport_.receive(mem_.rx);
    if (!n) {
      if (n.error() == Error::buffer_too_small) continue;  // dropped by the transport
      return;
    }
    // Asleep, the radio would be off: what arrives is lost, as it would be.
    if (!asleep_) handle_datagram(mem_.rx.first(*n), now_ms_);
  }
}

void Engine::handle_datagram(Bytes datagram, uint64_t now_ms) {
  now_ms_ = now_ms;
  const Result<MessageView> m = wire::coap::decode(datagram);
  if (!m) {
    // RFC 7252 4.2: a CON message we cannot parse is answered with RST, anything else ignored.
    const Result<wire::coap::Header> h = wire::coap::decode_header(datagram);
    if (h && h->type == Type::con) {
      uint8_t buf[wire::coap::kHeaderSize];
      ByteWriter w(buf, sizeof(buf));
      if (wire::coap::write_empty(Type::rst, h->message_id, w) == Error::ok) transmit(w.written());
    }
    return;
  }
  touch();
  if (wire::coap::is_ping(*m)) {
    uint8_t buf[wire::coap::kHeaderSize];
    ByteWriter w(buf, sizeof(buf));
    if (wire::coap::write_empty(Type::rst, m->message_id(), w) == Error::ok) transmit(w.written());
  } else if (wire::coap::is_request(m->code())) {
    handle_request(*m);
  } else {
    handle_response(*m);
  }
}

void Engine::handle_response(const MessageView& m) {
  const bool matches_mid = out_.kind != Exchange::none && m.message_id() == out_.message_id;
  if (m.type() == Type::rst) {
    if (matches_mid) return finish_exchange(Code::empty, nullptr);
    return cancel_by_message_id(m.message_id());
  }
  if (m.type() == Type::ack && m.is_empty()) {
    if (matches_mid) {
      out_.acked = true;  // a separate response follows (RFC 7252 5.2.2)
      out_.retransmission.stop();
    }
    return;
  }
  const bool ours = out_.kind != Exchange::none && m.token().size() == sizeof(out_.token) &&
                    std::equal(m.token().begin(), m.token().end(), out_.token);
  if (m.type() == Type::con) {
    // A separate response must be acknowledged whether or not it is still wanted.
    uint8_t buf[wire::coap::kHeaderSize];
    ByteWriter w(buf, sizeof(buf));
    const Type t = ours ? Type::ack : Type::rst;
    if (wire::coap::write_empty(t, m.message_id(), w) == Error::ok) transmit(w.written());
  }
  if (ours && (m.type() != Type::ack || matches_mid)) finish_exchange(m.code(), &m);
}

void Engine::run_timers(uint64_t& deadline) {
  run_exchange(deadline);
  // A state entered on the way (starting -> registering) acts in the same step; the bound
  // keeps a misbehaving transport from looping.
  for (int pass = 0; pass < 3; ++pass) {
    const State before = state_;
    run_state(deadline);
    if (state_ == before) break;
  }
  // A state change above may have sent a request; its retransmission timer counts too.
  if (out_.kind != Exchange::none) {
    deadline = std::min(deadline, out_.acked ? out_.give_up_ms : out_.retransmission.deadline_ms());
  }
}

void Engine::run_state(uint64_t& deadline) {
  switch (state_) {
    case State::starting:
      start();
      break;
    case State::backoff:
      if (now_ms_ >= retry_at_ms_) start();
      else deadline = std::min(deadline, retry_at_ms_);
      break;
    case State::bootstrap_request:
      if (transport_.state() == Transport::State::failed) fail_and_retry();
      else if (out_.kind == Exchange::none && transport_.state() == Transport::State::ready) send_bootstrap_request();
      break;
    case State::bootstrapping:
      if (now_ms_ >= bootstrap_deadline_ms_) {
        bootstrap_next_ = true;
        fail_and_retry();
      } else {
        deadline = std::min(deadline, bootstrap_deadline_ms_);
      }
      break;
    case State::registering:
      if (transport_.state() == Transport::State::failed) fail_and_retry();
      else if (out_.kind == Exchange::none && transport_.state() == Transport::State::ready) send_register();
      break;
    case State::registered:
      if ((update_wanted_ || now_ms_ >= update_at_ms_) && out_.kind == Exchange::none) send_update();
      deadline = std::min(deadline, update_at_ms_);
      run_observations(deadline);
      check_sleep(deadline);
      break;
    case State::deregistered:
      break;
  }
}

void Engine::run_exchange(uint64_t& deadline) {
  if (out_.kind == Exchange::none) return;
  if (out_.acked) {
    if (now_ms_ >= out_.give_up_ms) return finish_exchange(Code::empty, nullptr);
    deadline = std::min(deadline, out_.give_up_ms);
    return;
  }
  switch (out_.retransmission.poll(now_ms_)) {
    case Retransmission::Step::retransmit:
      transmit(mem_.request.first(out_.length));
      break;
    case Retransmission::Step::give_up:
      return finish_exchange(Code::empty, nullptr);
    default:
      break;
  }
  deadline = std::min(deadline, out_.retransmission.deadline_ms());
}

Error Engine::start_exchange(Exchange kind, MessageBuilder& b) {
  if (out_.kind != Exchange::none) return Error::too_many_items;
  const uint32_t token = platform_.random32();
  for (size_t i = 0; i < sizeof(out_.token); ++i) out_.token[i] = static_cast<uint8_t>(token >> (8 * i));
  b.token({out_.token, sizeof(out_.token)});
  ByteWriter w(mem_.request);
  if (const Error e = b.write(w); e != Error::ok) return e;
  out_.kind = kind;
  out_.length = w.size();
  out_.acked = false;
  out_.message_id = wire::coap::decode_header(w.written())->message_id;
  out_.give_up_ms = now_ms_ + config_.transmission.exchange_lifetime_ms();
  out_.retransmission.start(config_.transmission, now_ms_, platform_.random32());
  transmit(w.written());
  return Error::ok;
}

void Engine::finish_exchange(Code code, const MessageView* response) {
  const Exchange kind = out_.kind;
  const uint8_t observation = out_.observation;
  out_.kind = Exchange::none;
  out_.retransmission.stop();
  switch (kind) {
    case Exchange::bootstrap_request: return on_bootstrap_response(code);
    case Exchange::register_: return on_register_response(code, response);
    case Exchange::update: return on_update_response(code);
    case Exchange::deregister:
      transport_.close();
      state_ = State::deregistered;
      if (reenable_at_ms_ != UINT64_MAX) {  // disabled: the back-off timer brings it back
        state_ = State::backoff;
        retry_at_ms_ = reenable_at_ms_;
        reenable_at_ms_ = UINT64_MAX;
      }
      return;
    case Exchange::notify:
      // RST or no answer to a confirmable notification: the observer is gone (RFC 7641 4.5).
      if (code == Code::empty) mem_.observations[observation].used = false;
      return;
    case Exchange::send: return on_send_response(code, response);
    case Exchange::none:
      return;
  }
}

void Engine::transmit(Bytes datagram) {
  touch();
  (void)transport_.send(datagram);  // a lost datagram is the retransmission's business
}

void Engine::collect_server_events() {
  const uint8_t events = server_.take_events();
  if ((events & ServerObject::kParamsChanged) != 0) {
    send_params_ = true;
    update_wanted_ = true;
    save_accounts();
  }
  if ((events & ServerObject::kUpdateTrigger) != 0) update_wanted_ = true;
  if ((events & ServerObject::kDisable) != 0 && state_ == State::registered) {
    // Disable (TS 1.1 E.2): De-register, stay silent for the Disable Timeout, then register again.
    const ServerRecord* s = server_record();
    reenable_at_ms_ = now_ms_ + uint64_t{s != nullptr ? s->disable_timeout_s : 86'400u} * 1000u;
    deregister();
  }
  if ((events & ServerObject::kBootstrapTrigger) != 0) {
    bootstrap_next_ = true;
    transport_.close();
    state_ = State::starting;
  }
}

Object* Engine::find_object(uint16_t id) const {
  for (Object* o : objects_) {
    if (o->id() == id) return o;
  }
  return nullptr;
}

Object* Engine::find_any_object(uint16_t id) {
  if (id == 0) return &security_;
  if (id == 1) return &server_;
  return find_object(id);
}

uint8_t Engine::max_block_szx() const {
  uint8_t szx = wire::coap::kMaxSzx;
  while (szx > 0 && wire::coap::block_size(szx) + kHeaderRoom > mem_.rx.size()) --szx;
  return szx;
}

}  // namespace tl::client
