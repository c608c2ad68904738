#include "server/core/registry.hpp"

#include <arpa/inet.h>

#include <charconv>

#include "server/core/device_extra.hpp"

namespace tl::server::core {

std::string Device::registration_id() const {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof(buf), id, 16);
  *r.ptr++ = '-';
  r = std::to_chars(r.ptr, buf + sizeof(buf), nonce, 16);
  return std::string(buf, r.ptr);
}

bool parse_registration_id(std::string_view text, DeviceId& id, uint32_t& nonce) {
  const size_t dash = text.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 == text.size()) return false;
  const char* end = text.data() + text.size();
  auto a = std::from_chars(text.data(), text.data() + dash, id, 16);
  if (a.ec != std::errc{} || a.ptr != text.data() + dash) return false;
  auto b = std::from_chars(text.data() + dash + 1, end, nonce, 16);
  return b.ec == std::errc{} && b.ptr == end;
}

std::optional<Peer> peer_from_text(std::string_view text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  uint16_t port = 0;
  auto r = std::from_chars(text.data() + colon + 1, text.data() + text.size(), port);
  if (r.ec != std::errc{} || r.ptr != text.data() + text.size()) return std::nullopt;
  std::string host(text.substr(0, colon));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    std::array<uint8_t, 16> a{};
    if (inet_pton(AF_INET6, host.substr(1, host.size() - 2).c_str(), a.data()) != 1) return std::nullopt;
    return Peer::v6(a, port);
  }
  std::array<uint8_t, 4> a{};
  if (inet_pton(AF_INET, host.c_str(), a.data()) != 1) return std::nullopt;
  return Peer::v4(a, port);
}

Device* Registry::find(std::string_view endpoint) {
  auto it = by_endpoint_.find(endpoint);
  return it == by_endpoint_.end() ? nullptr : it->second;
}

Device* Registry::find(DeviceId id) {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second.get();
}

Device* Registry::find_by_peer(const Peer& peer) {
  auto it = by_peer_.find(peer);
  return it == by_peer_.end() ? nullptr : find(it->second);
}

void Registry::set_peer(Device& d, const Peer& peer) {
  if (!(d.peer == peer)) {
    auto it = by_peer_.find(d.peer);
    if (it != by_peer_.end() && it->second == d.id) by_peer_.erase(it);
  }
  d.peer = peer;
  by_peer_[peer] = d.id;
}

Device& Registry::add(std::unique_ptr<Device> device) {
  Device& d = *device;
  saw_id(d.id);
  by_id_[d.id] = std::move(device);
  by_endpoint_[d.endpoint] = &d;  // the key views the record's own string, which never moves
  by_peer_[d.peer] = d.id;
  schedule(d);
  return d;
}

void Registry::remove(DeviceId id) {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return;
  by_endpoint_.erase(it->second->endpoint);
  auto p = by_peer_.find(it->second->peer);
  if (p != by_peer_.end() && p->second == id) by_peer_.erase(p);
  by_id_.erase(it);
}

std::shared_ptr<const std::string> Registry::intern_links(std::string_view text) {
  auto it = links_.find(std::string(text));
  if (it != links_.end()) {
    if (auto shared = it->second.lock()) return shared;
    links_.erase(it);
  }
  auto shared = std::make_shared<const std::string>(text);
  links_.emplace(*shared, shared);
  // Forget lists nobody uses any more, now and then, so the table cannot grow without bound.
  if (links_.size() > 1024 && links_.size() % 1024 == 0) {
    std::erase_if(links_, [](const auto& entry) { return entry.second.expired(); });
  }
  return shared;
}

void Registry::schedule(const Device& d) { expiry_.push({d.expires_mono_ms, d.id}); }

std::vector<DeviceId> Registry::expired(uint64_t now_mono_ms) {
  std::vector<DeviceId> out;
  while (!expiry_.empty() && expiry_.top().at <= now_mono_ms) {
    const Expiry e = expiry_.top();
    expiry_.pop();
    const Device* d = find(e.id);
    if (d != nullptr && d->expires_mono_ms <= now_mono_ms) out.push_back(e.id);
  }
  // Updates leave stale entries behind: rebuild when they outnumber the devices.
  if (expiry_.size() > 2 * by_id_.size() + 1024) {
    std::vector<Expiry> fresh;
    fresh.reserve(by_id_.size());
    for (auto& [id, d] : by_id_) fresh.push_back({d->expires_mono_ms, id});
    expiry_ = decltype(expiry_)(std::greater<>{}, std::move(fresh));
  }
  return out;
}

uint64_t Registry::next_expiry() const { return expiry_.empty() ? UINT64_MAX : expiry_.top().at; }

}  // namespace tl::server::core
