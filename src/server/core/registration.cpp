// The registration interface (TS 1.1 6.2): Register, Update, De-register, lifetimes; and the
// registry's persistence.
#include <algorithm>
#include <charconv>
#include <random>

#include "server/core/batch.hpp"
#include "server/core/core.hpp"
#include "server/core/device_extra.hpp"
#include "server/core/exchange.hpp"
#include "server/core/incoming.hpp"
#include "wire/lwm2m/link_format.hpp"

namespace tl::server::core {

using wire::coap::Code;

namespace {

constexpr size_t kMaxEndpoint = 128;
constexpr size_t kMaxLinks = 4096;

// The value of "key=value" among the query items, or nothing.
std::optional<std::string_view> query_value(const std::vector<std::string_view>& query, std::string_view key) {
  for (std::string_view item : query) {
    if (item.size() > key.size() && item.substr(0, key.size()) == key && item[key.size()] == '=') {
      return item.substr(key.size() + 1);
    }
  }
  return std::nullopt;
}

bool parse_uint(std::string_view text, uint32_t& out) {
  auto r = std::from_chars(text.data(), text.data() + text.size(), out);
  return r.ec == std::errc{} && r.ptr == text.data() + text.size();
}

// Bindings of LwM2M 1.1 (U, T, S, N with Q for queue mode) and 1.0's UQ/SQ/UQS forms.
bool valid_binding(std::string_view b) {
  if (b.empty() || b.size() > 4) return false;
  return b.find_first_not_of("UTSNQ") == std::string_view::npos;
}

bool valid_links(std::string_view text) {
  wire::lwm2m::link::Reader reader(text);
  for (;;) {
    auto link = reader.next();
    if (!link) return link.error() == wire::Error::end;
    if (!link->path()) return false;
  }
}

// Whether the object links name `object` (the object itself or any instance of it).
bool lists_object(std::string_view links, uint16_t object) {
  wire::lwm2m::link::Reader reader(links);
  for (auto link = reader.next(); link; link = reader.next()) {
    const auto path = link->path();
    if (path && path->depth >= 1 && path->object_id() == object) return true;
  }
  return false;
}

uint32_t random_nonce() {
  static std::mt19937 gen{std::random_device{}()};
  return static_cast<uint32_t>(gen());
}

}  // namespace

store::Registration Core::record_of(const Device& d) const {
  store::Registration r;
  r.device = d.id;
  r.endpoint = d.endpoint;
  r.registration_id = d.registration_id();
  r.address = d.peer.text();
  r.lifetime_s = d.lifetime_s;
  r.binding = d.queue_mode ? "UQ" : "U";
  r.lwm2m_version = d.lwm2m_1_0 ? "1.0" : "1.1";
  r.object_links = d.links ? *d.links : std::string();
  r.registered_ms = d.registered_ms;
  r.updated_ms = d.updated_ms;
  r.psk_identity = d.psk_identity;
  r.queue_mode = d.queue_mode;
  return r;
}

DeviceInfo Core::info_of(const Device& d) const {
  DeviceInfo i;
  static_cast<store::Registration&>(i) = record_of(d);
  i.sleeping = sleeping(d);
  i.secure = d.secure;
  return i;
}

void Core::on_register(Incoming& in) {
  const auto ep = query_value(in.query, "ep");
  if (!ep || ep->empty() || ep->size() > kMaxEndpoint) return answer(in, Code::bad_request);
  uint32_t lifetime = config_.default_lifetime_s;
  if (const auto lt = query_value(in.query, "lt"); lt && (!parse_uint(*lt, lifetime) || lifetime < config_.min_lifetime_s)) {
    return answer(in, Code::bad_request);
  }
  const auto version = query_value(in.query, "lwm2m");
  if (version && *version != "1.0" && *version != "1.1" && *version != "1.2") return answer(in, Code::precondition_failed);
  const std::string_view binding = query_value(in.query, "b").value_or("U");
  if (!valid_binding(binding)) return answer(in, Code::bad_request);
  if (const auto cf = in.m->content_format(); cf && *cf != wire::coap::ContentFormat::link_format) {
    return answer(in, Code::unsupported_content_format);
  }
  const std::string_view links(reinterpret_cast<const char*>(in.m->payload().data()), in.m->payload().size());
  if (links.size() > kMaxLinks) return answer(in, Code::request_entity_too_large);
  if (!valid_links(links)) return answer(in, Code::bad_request);
  // Who may register as this endpoint: over DTLS only the identity bound to it; over plain
  // CoAP anyone (when NoSec is allowed at all), but never in place of a secure registration.
  if (in.secure && config_.endpoint_of_identity(in.identity) != *ep) return answer(in, Code::forbidden);
  if (!in.secure && !config_.allow_nosec) return answer(in, Code::forbidden);
  Device* existing = registry_.find(*ep);
  if (existing != nullptr && existing->secure && !in.secure) return answer(in, Code::forbidden);

  const TimeMs now = link_.wall_ms();
  const uint64_t mono = link_.mono_ms();
  Device* d = existing;
  if (d == nullptr) {
    auto fresh = std::make_unique<Device>();
    fresh->id = registry_.next_id();
    fresh->endpoint = std::string(*ep);
    fresh->peer = in.peer;
    d = &registry_.add(std::move(fresh));
  } else {
    // Registering anew: what was in flight to the old registration is void.
    std::vector<uint64_t> stale;
    for (auto& [token, x] : exchanges_) {
      if (x->device == d->id) stale.push_back(token);
    }
    for (uint64_t t : stale) finish(t, Outcome{OutcomeStatus::failed, 0, {}, {}, {}, "the device registered anew", 0});
  }
  registry_.set_peer(*d, in.peer);
  d->nonce = random_nonce();
  d->lifetime_s = lifetime;
  d->registered_ms = now;
  d->updated_ms = now;
  d->expires_mono_ms = mono + uint64_t{lifetime} * 1000;
  d->last_seen_mono_ms = mono;
  d->links = registry_.intern_links(links);
  d->psk_identity = in.secure ? std::string(in.identity) : std::string();
  d->secure = in.secure;
  d->queue_mode = binding.find('Q') != std::string_view::npos;
  d->lwm2m_1_0 = version && *version == "1.0";
  registry_.schedule(*d);
  ++stats_.registrations;
  batch().writes.upsert_registration(record_of(*d));
  answer_when_durable(in, Code::created, "rd/" + d->registration_id());
  after_durable([this, id = d->id, nonce = d->nonce](bool durable) {
    Device* dev = registry_.find(id);
    if (!durable || dev == nullptr || dev->nonce != nonce) return;
    after_registration(*dev);
    if (events_.has_subscribers()) {
      Event e;
      e.kind = EventKind::registered;
      e.time_ms = dev->registered_ms;
      e.endpoint = dev->endpoint;
      e.device = dev->id;
      events_.publish(e);
    }
  });
}

// After a Register or Update is acknowledged: the device is awake and listening.
void Core::after_registration(Device& d) {
  add_standing_observations(d);
  establish_observations(d, true);
  deliver_queue(d);
}

void Core::add_standing_observations(Device& d) {
  for (const Path path : config_.observe_on_register) {
    if (d.links == nullptr || !lists_object(*d.links, path.id(0))) continue;
    auto& intents = extra_of(d).observations;
    const bool known = std::any_of(intents.begin(), intents.end(),
                                   [&](const ObservationIntent& o) { return o.path == path; });
    if (!known) intents.push_back({path, Format::automatic, 0, false, true});
  }
}

void Core::on_update(Incoming& in, Device& d) {
  uint32_t lifetime = d.lifetime_s;
  if (const auto lt = query_value(in.query, "lt"); lt && (!parse_uint(*lt, lifetime) || lifetime < config_.min_lifetime_s)) {
    return answer(in, Code::bad_request);
  }
  const auto binding = query_value(in.query, "b");
  if (binding && !valid_binding(*binding)) return answer(in, Code::bad_request);
  const std::string_view links(reinterpret_cast<const char*>(in.m->payload().data()), in.m->payload().size());
  if (!links.empty()) {
    if (const auto cf = in.m->content_format(); cf && *cf != wire::coap::ContentFormat::link_format) {
      return answer(in, Code::unsupported_content_format);
    }
    if (links.size() > kMaxLinks) return answer(in, Code::request_entity_too_large);
    if (!valid_links(links)) return answer(in, Code::bad_request);
    d.links = registry_.intern_links(links);
  }
  const uint64_t mono = link_.mono_ms();
  const bool was_sleeping = sleeping(d);
  registry_.set_peer(d, in.peer);
  d.lifetime_s = lifetime;
  if (binding) d.queue_mode = binding->find('Q') != std::string_view::npos;
  d.updated_ms = link_.wall_ms();
  d.expires_mono_ms = mono + uint64_t{lifetime} * 1000;
  d.last_seen_mono_ms = mono;
  registry_.schedule(d);
  ++stats_.updates;
  batch().writes.upsert_registration(record_of(d));
  answer_when_durable(in, Code::changed);
  after_durable([this, id = d.id, nonce = d.nonce, was_sleeping](bool durable) {
    Device* dev = registry_.find(id);
    if (!durable || dev == nullptr || dev->nonce != nonce) return;
    add_standing_observations(*dev);
    establish_observations(*dev, false);
    deliver_queue(*dev);
    if (events_.has_subscribers()) {
      Event e;
      e.kind = was_sleeping ? EventKind::awake : EventKind::updated;
      e.time_ms = dev->updated_ms;
      e.endpoint = dev->endpoint;
      e.device = dev->id;
      events_.publish(e);
      if (was_sleeping) {
        e.kind = EventKind::updated;
        events_.publish(e);
      }
    }
  });
}

void Core::on_deregister(Incoming& in, Device& d) {
  const DeviceId id = d.id;
  std::string endpoint = d.endpoint;
  std::vector<uint64_t> stale;
  for (auto& [token, x] : exchanges_) {
    if (x->device == id) stale.push_back(token);
  }
  for (uint64_t t : stale) finish(t, Outcome{OutcomeStatus::failed, 0, {}, {}, {}, "the device de-registered", 0});
  if (d.extra) {
    for (const ObservationIntent& o : d.extra->observations) observations_.erase(o.token);
    queued_ -= d.extra->queue.size();
  }
  registry_.remove(id);
  ++stats_.deregistrations;
  batch().writes.remove_registration(id);
  answer_when_durable(in, Code::deleted);
  if (events_.has_subscribers()) {
    Event e;
    e.kind = EventKind::deregistered;
    e.time_ms = link_.wall_ms();
    e.endpoint = std::move(endpoint);
    e.device = id;
    events_.publish(e);
  }
}

void Core::expire(uint64_t now) {
  for (DeviceId id : registry_.expired(now)) {
    Device* d = registry_.find(id);
    if (d == nullptr) continue;
    Event e;
    e.kind = EventKind::expired;
    e.time_ms = link_.wall_ms();
    e.endpoint = d->endpoint;
    e.device = id;
    if (d->extra) {
      for (const ObservationIntent& o : d->extra->observations) observations_.erase(o.token);
      queued_ -= d->extra->queue.size();
    }
    registry_.remove(id);
    ++stats_.expirations;
    batch().writes.remove_registration(id);
    events_.publish(e);
  }
}

size_t Core::load() {
  const uint64_t mono = link_.mono_ms();
  const TimeMs wall = link_.wall_ms();
  store_.for_each_registration([&](const store::Registration& r) {
    auto d = std::make_unique<Device>();
    d->id = r.device;
    d->endpoint = r.endpoint;
    DeviceId id = 0;
    if (!parse_registration_id(r.registration_id, id, d->nonce) || id != r.device) d->nonce = random_nonce();
    d->lifetime_s = r.lifetime_s;
    d->registered_ms = r.registered_ms;
    d->updated_ms = r.updated_ms;
    // The lifetime runs from the last Register or Update, wall clock, whatever the downtime.
    const TimeMs ends = r.updated_ms + TimeMs{r.lifetime_s} * 1000;
    d->expires_mono_ms = ends > wall ? mono + static_cast<uint64_t>(ends - wall) : mono;
    d->last_seen_mono_ms = mono;
    d->links = registry_.intern_links(r.object_links);
    d->psk_identity = r.psk_identity;
    d->secure = !r.psk_identity.empty();
    d->queue_mode = r.queue_mode;
    d->lwm2m_1_0 = r.lwm2m_version == "1.0";
    if (auto peer = peer_from_text(r.address)) d->peer = *peer;
    registry_.add(std::move(d));
  });
  load_queues();
  load_observations();
  return registry_.size();
}

std::vector<DeviceInfo> Core::devices(const DeviceQuery& query) {
  std::vector<const Device*> matching;
  registry_.for_each([&](Device& d) {
    if (d.endpoint.compare(0, query.endpoint_prefix.size(), query.endpoint_prefix) != 0) return;
    if (!query.after_endpoint.empty() && d.endpoint <= query.after_endpoint) return;
    matching.push_back(&d);
  });
  const size_t n = std::min(query.limit, matching.size());
  std::partial_sort(matching.begin(), matching.begin() + static_cast<std::ptrdiff_t>(n), matching.end(),
                    [](const Device* a, const Device* b) { return a->endpoint < b->endpoint; });
  std::vector<DeviceInfo> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.push_back(info_of(*matching[i]));
  return out;
}

std::optional<DeviceInfo> Core::device(std::string_view endpoint) {
  const Device* d = registry_.find(endpoint);
  if (d == nullptr) return std::nullopt;
  return info_of(*d);
}

}  // namespace tl::server::core
