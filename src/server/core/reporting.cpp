// Information reporting: notifications of observations and the Send operation (/dp), stored
// and published.
#include "server/codec/codec.hpp"
#include "server/core/batch.hpp"
#include "server/core/core.hpp"
#include "server/core/device_extra.hpp"
#include "server/core/incoming.hpp"

namespace tl::server::core {

using wire::coap::Code;
using wire::coap::MessageView;
using wire::coap::Type;

void Core::store_values(std::vector<Sample>& values, Device& d, EventKind kind, Path path) {
  Batch& b = batch();
  for (Sample& s : values) {
    s.device = d.id;
    b.writes.append_value(s);
  }
  b.count += values.size();
  b.values += values.size();
  if (events_.has_subscribers()) {
    Event e;
    e.kind = kind;
    e.time_ms = link_.wall_ms();
    e.endpoint = d.endpoint;
    e.device = d.id;
    e.path = path;
    e.values = values;
    events_.publish(e);
  }
}

void Core::on_send(Incoming& in, Device& d) {
  if (store_backlog() >= config_.store_backlog_limit) {
    ++stats_.reports_shed;
    if (in.type == Type::con) answer(in, Code::service_unavailable);
    return;
  }
  const auto cf = in.m->content_format();
  const uint16_t format = cf ? static_cast<uint16_t>(*cf) : uint16_t{0};
  if (format != codec::cf::senml_cbor && format != codec::cf::senml_json) return answer(in, Code::unsupported_content_format);
  auto decoded = codec::decode(format, in.m->payload(), Path{}, d.id, link_.wall_ms());
  if (!decoded) return answer(in, Code::bad_request);
  d.last_seen_mono_ms = link_.mono_ms();
  ++stats_.sends;
  std::vector<Sample> values = std::move(decoded).value();
  store_values(values, d, EventKind::send, Path{});
  answer_when_durable(in, Code::changed);
}

void Core::on_notification(const Peer& peer, const MessageView& m, uint64_t token) {
  const ObservationRef ref = observations_.at(token);
  Device* d = registry_.find(ref.device);
  const bool con = m.type() == Type::con;
  if (d == nullptr || !(d->peer == peer)) {
    observations_.erase(token);
    return send_empty(peer, d != nullptr && d->secure, Type::rst, m.message_id());
  }
  d->last_seen_mono_ms = link_.mono_ms();
  if (store_backlog() >= config_.store_backlog_limit) {  // not acknowledged: a confirmable one comes again
    ++stats_.reports_shed;
    return;
  }
  ++stats_.notifications;
  const uint8_t cls = static_cast<uint8_t>(m.code()) >> 5;
  if (cls != 2) {  // an error ends the observation (RFC 7641 3.2)
    observations_.erase(token);
    if (con) send_empty(peer, d->secure, Type::ack, m.message_id());
    return;
  }
  const auto cf = m.content_format();
  auto decoded = codec::decode(cf ? static_cast<uint16_t>(*cf) : uint16_t{0}, m.payload(), ref.path, d->id, link_.wall_ms());
  if (!decoded) {
    // Unreadable: acknowledged (it did arrive) but not stored; counted as malformed.
    ++stats_.malformed;
    if (con) send_empty(peer, d->secure, Type::ack, m.message_id());
    return;
  }
  std::vector<Sample> values = std::move(decoded).value();
  store_values(values, *d, EventKind::notification, ref.path);
  ++batch().notifications;
  if (con) {
    after_durable([this, peer, secure = d->secure, mid = m.message_id()](bool durable) {
      if (durable) send_empty(peer, secure, Type::ack, mid);  // unacknowledged: the device retries
    });
  }
}

}  // namespace tl::server::core
