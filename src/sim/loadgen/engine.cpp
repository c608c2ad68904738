#include "sim/loadgen/engine.hpp"

#include "sim/loadgen/messages.hpp"
#include "wire/coap/observe.hpp"

namespace tl::sim::loadgen {

namespace coap = wire::coap;
using coap::Code;
using coap::MessageView;
using coap::Type;

namespace {

constexpr uint64_t kNever = UINT64_MAX;

Stats& stats_of(std::array<Stats, kKinds>& all, Kind k) { return all[static_cast<size_t>(k)]; }

}  // namespace

Engine::Engine(const EngineConfig& config, Send send)
    : config_(config), send_(std::move(send)), endpoints_(config.devices) {
  if (config_.per_channel == 0) config_.per_channel = 1;
  channels_.resize(channels());
  // Random first message IDs and tokens: a rerun against the same server must not look like
  // duplicates or answers to the previous run.
  std::random_device seed;
  random_.seed(seed());
  for (Channel& c : channels_) c.next_mid = static_cast<uint16_t>(random_());
  next_id_ = (uint64_t{random_()} << 32) | 1;
}

void Engine::start_register(uint32_t i, uint64_t now_us) {
  uint8_t buf[512];
  const uint64_t token = next_id_++;
  const uint16_t mid = next_mid(channel_of(i));
  const size_t n = register_request(mid, token, name(i), config_.lifetime, buf);
  if (n == 0) return;
  ++stats_of(stats_, Kind::register_).sent;
  transmit_con(i, Kind::register_, mid, token, {buf, n}, now_us);
}

void Engine::notify(uint32_t i, bool confirmable, uint64_t now_us) {
  Endpoint& e = endpoints_[i];
  if (!e.observed) return;
  uint8_t token[8];
  for (unsigned k = 0; k < e.obs_token_len; ++k) {
    token[k] = static_cast<uint8_t>(e.obs_token >> (8 * (e.obs_token_len - 1 - k)));
  }
  uint8_t buf[512];
  const uint16_t mid = next_mid(channel_of(i));
  const Type type = confirmable ? Type::con : Type::non;
  const size_t n = notification(type, mid, {token, e.obs_token_len}, e.obs_seq, ++e.windows, buf);
  e.obs_seq = (e.obs_seq + 1) & coap::kObserveSeqMask;
  if (n == 0) return;
  ++stats_of(stats_, Kind::notify).sent;
  if (confirmable) {
    transmit_con(i, Kind::notify, mid, next_id_++, {buf, n}, now_us);
  } else {
    send_(channel_of(i), {buf, n});
  }
}

void Engine::send_data(uint32_t i, bool confirmable, uint64_t now_us) {
  uint8_t buf[512];
  const uint64_t token = next_id_++;
  const uint16_t mid = next_mid(channel_of(i));
  const size_t n = send_request(confirmable ? Type::con : Type::non, mid, token, ++endpoints_[i].windows, buf);
  if (n == 0) return;
  ++stats_of(stats_, Kind::send).sent;
  if (confirmable) {
    transmit_con(i, Kind::send, mid, token, {buf, n}, now_us);
  } else {
    send_(channel_of(i), {buf, n});
  }
}

void Engine::transmit_con(uint32_t i, Kind kind, uint16_t mid, uint64_t token, std::span<const uint8_t> datagram,
                          uint64_t now_us) {
  // Notifications share their observation's token: their id is a fresh counter value, and their
  // ACK is found by message ID alone.
  const uint64_t id = token;
  Pending& p = pending_[id];
  p.datagram.assign(datagram.begin(), datagram.end());
  p.first_us = now_us;
  p.token = token;
  p.endpoint = i;
  p.mid = mid;
  p.kind = kind;
  p.rt.start(config_.transmission, now_us / 1000, static_cast<uint32_t>(random_()));
  by_mid_[mid_key(channel_of(i), mid)] = id;
  timers_.push({p.rt.deadline_ms(), id});
  send_(channel_of(i), datagram);
}

void Engine::on_datagram(uint32_t channel, std::span<const uint8_t> datagram, uint64_t now_us) {
  const wire::Result<MessageView> m = coap::decode(datagram);
  if (!m) return;  // not CoAP: nothing a device could do with it
  if (m->type() == Type::ack || m->type() == Type::rst) {
    on_answer(channel, *m, now_us);
  } else if (coap::is_response(m->code())) {
    on_separate_response(channel, *m, now_us);
  } else if (coap::is_request(m->code())) {
    if (config_.answer_requests) on_request(channel, *m);
  } else if (coap::is_ping(*m)) {
    uint8_t buf[8];
    const size_t n = empty(Type::rst, m->message_id(), buf);
    if (n != 0 && config_.answer_requests) send_(channel, {buf, n});
  }
}

void Engine::on_answer(uint32_t channel, const MessageView& m, uint64_t now_us) {
  const auto it = by_mid_.find(mid_key(channel, m.message_id()));
  if (it == by_mid_.end()) return;  // a duplicate ACK, or one for an exchange given up
  const uint64_t id = it->second;
  const auto found = pending_.find(id);
  if (found == pending_.end()) {
    by_mid_.erase(it);
    return;
  }
  Pending& p = found->second;
  if (m.type() == Type::rst) {
    complete(id, nullptr, now_us, true);
    return;
  }
  if (m.is_empty() && p.kind != Kind::notify) {
    // Accepted; the response comes later as its own message with our token.
    p.waiting_separate = true;
    p.rt.stop();
    by_mid_.erase(it);
    return;
  }
  if (!m.is_empty() && token_value(m.token()) != p.token) return;  // not our exchange
  complete(id, m.is_empty() ? nullptr : &m, now_us, false);
}

void Engine::on_separate_response(uint32_t channel, const MessageView& m, uint64_t now_us) {
  if (m.type() == Type::con) {
    uint8_t buf[8];
    const size_t n = empty(Type::ack, m.message_id(), buf);
    if (n != 0) send_(channel, {buf, n});
  }
  const uint64_t id = token_value(m.token());
  const auto it = pending_.find(id);
  if (it == pending_.end() || it->second.kind == Kind::notify) return;
  if (channel_of(it->second.endpoint) != channel) return;
  complete(id, &m, now_us, false);
}

// Counts the exchange's outcome and forgets it. `answer` is null for an Empty ACK of a CON
// notification (a success) and for an RST.
void Engine::complete(uint64_t id, const MessageView* answer, uint64_t now_us, bool reset) {
  const auto it = pending_.find(id);
  if (it == pending_.end()) return;
  Pending& p = it->second;
  Stats& s = stats_of(stats_, p.kind);
  if (!reset && (answer == nullptr || coap::code_class(answer->code()) == 2)) {
    ++s.answered;
    s.latency.record(now_us - p.first_us);
    if (p.kind == Kind::register_ && answer != nullptr) registered(p.endpoint, *answer);
  } else {
    ++s.rejected;
  }
  if (!p.waiting_separate) by_mid_.erase(mid_key(channel_of(p.endpoint), p.mid));
  pending_.erase(it);
}

void Engine::registered(uint32_t i, const MessageView& answer) {
  Endpoint& e = endpoints_[i];
  e.location.clear();
  for (const coap::Option& o : answer.location_path()) {
    e.location += '/';
    e.location += o.text();
  }
  if (!e.registered) ++registered_;
  e.registered = true;
  if (!e.observed) channels_[channel_of(i)].awaiting.push_back(i);
}

uint64_t Engine::poll(uint64_t now_us) {
  const uint64_t now_ms = now_us / 1000;
  while (!timers_.empty() && timers_.top().first <= now_ms) {
    const uint64_t id = timers_.top().second;
    timers_.pop();
    const auto it = pending_.find(id);
    if (it == pending_.end() || !it->second.rt.active()) continue;  // answered meanwhile
    Pending& p = it->second;
    switch (p.rt.poll(now_ms)) {
      case coap::Retransmission::Step::retransmit:
        ++stats_of(stats_, p.kind).retransmissions;
        send_(channel_of(p.endpoint), p.datagram);
        timers_.push({p.rt.deadline_ms(), id});
        break;
      case coap::Retransmission::Step::give_up:
        ++stats_of(stats_, p.kind).timeouts;
        by_mid_.erase(mid_key(channel_of(p.endpoint), p.mid));
        pending_.erase(it);
        break;
      default:
        timers_.push({p.rt.deadline_ms(), id});
        break;
    }
  }
  return timers_.empty() ? kNever : timers_.top().first * 1000;
}

uint32_t Engine::target_of(uint32_t channel, uint64_t token, bool new_observation) {
  const auto [from, to] = observers_.equal_range(token);
  for (auto it = from; it != to; ++it) {
    if (channel_of(it->second) == channel) return it->second;
  }
  const uint32_t first = channel * config_.per_channel;
  // A channel of one endpoint is unambiguous whatever the request.
  const uint32_t only = config_.per_channel == 1 && first < config_.devices ? first : UINT32_MAX;
  if (!new_observation) return only;
  Channel& c = channels_[channel];
  while (c.awaiting_head < c.awaiting.size()) {
    const uint32_t i = c.awaiting[c.awaiting_head++];
    if (!endpoints_[i].observed) return i;
  }
  c.awaiting.clear();
  c.awaiting_head = 0;
  return only;
}

void Engine::on_request(uint32_t channel, const MessageView& m) {
  if (m.code() == Code::get && m.observe()) {
    const bool start = *m.observe() == coap::kObserveRegister;
    const uint64_t token = token_value(m.token());
    const uint32_t i = target_of(channel, token, start);
    if (i != UINT32_MAX) {
      Endpoint& e = endpoints_[i];
      if (start && (!e.observed || e.obs_token != token)) {
        // A new observation, or the server observing again under another token.
        if (e.observed) forget_observer(e.obs_token, i);
        e.observed = true;
        e.obs_token = token;
        e.obs_token_len = static_cast<uint8_t>(m.token().size());
        e.obs_seq = 0;
        observed_.push_back(i);
        observers_.emplace(token, i);
      } else if (!start && e.observed) {
        e.observed = false;  // stays in observed_; notify() skips it
        forget_observer(e.obs_token, i);
      }
    }
  }
  answer(channel, m);
}

void Engine::forget_observer(uint64_t token, uint32_t i) {
  const auto [from, to] = observers_.equal_range(token);
  for (auto it = from; it != to; ++it) {
    if (it->second == i) {
      observers_.erase(it);
      return;
    }
  }
}

// GET: the counters (2.05, with the next Observe value for an observation); PUT/POST: 2.04;
// DELETE: 2.02; anything else 4.05. Good enough for a server that observes and configures.
void Engine::answer(uint32_t channel, const MessageView& request) {
  uint8_t payload[256];
  uint8_t buf[512];
  Code code = Code::method_not_allowed;
  int64_t observe = -1;
  wire::Bytes body;
  if (request.code() == Code::get) {
    code = Code::content;
    const size_t n = counters_payload(0, payload);
    body = {payload, n};
    if (request.observe() && *request.observe() == coap::kObserveRegister) {
      const uint32_t i = target_of(channel, token_value(request.token()), false);
      if (i == UINT32_MAX) {
        code = Code::not_found;
        body = {};
      } else {
        observe = endpoints_[i].obs_seq;
        endpoints_[i].obs_seq = (endpoints_[i].obs_seq + 1) & coap::kObserveSeqMask;
      }
    }
  } else if (request.code() == Code::put || request.code() == Code::post) {
    code = Code::changed;
  } else if (request.code() == Code::delete_) {
    code = Code::deleted;
  }
  const size_t n = response(request, code, next_mid(channel), observe, body, buf);
  if (n == 0) return;
  ++requests_answered_;
  send_(channel, {buf, n});
}

}  // namespace tl::sim::loadgen
