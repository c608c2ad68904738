// The registered devices, in memory, owned by the network thread. Compact on purpose: the server
// holds a million of them, so an idle device is one Device record (about 150 bytes), two index
// entries, and a shared pointer to its object-link list (fleets share a few lists: interned).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "server/dtls/peer.hpp"
#include "server/store/records.hpp"

namespace tl::server::core {

using dtls::Peer;
using store::DeviceId;
using store::TimeMs;

struct DeviceExtra;  // observations and queued requests: only devices that have some

struct Device {
  DeviceId id = 0;
  std::string endpoint;
  uint32_t nonce = 0;  // with id, the registration id: a stale one no longer matches
  Peer peer;
  uint32_t lifetime_s = 0;
  TimeMs registered_ms = 0;
  TimeMs updated_ms = 0;
  uint64_t expires_mono_ms = 0;
  uint64_t last_seen_mono_ms = 0;  // last datagram from it: queue-mode devices sleep after a while
  std::shared_ptr<const std::string> links;
  std::string psk_identity;  // empty for NoSec (and SSO-small for typical identities)
  bool queue_mode = false;
  bool secure = false;
  bool lwm2m_1_0 = false;  // 1.0 devices get TLV instead of SenML-CBOR
  std::unique_ptr<DeviceExtra> extra;

  // "<id hex>-<nonce hex>": the Location-Path segment after "rd".
  std::string registration_id() const;
};

// "192.0.2.1:5683" or "[2001:db8::1]:5683" (Peer::text()) back into a Peer.
std::optional<Peer> peer_from_text(std::string_view text);

// Parses a registration id back into (id, nonce); false when it is not one of ours.
bool parse_registration_id(std::string_view text, DeviceId& id, uint32_t& nonce);

class Registry {
 public:
  Device* find(std::string_view endpoint);
  Device* find(DeviceId id);
  // The device that last registered or updated from `peer` (a Send names no registration).
  Device* find_by_peer(const Peer& peer);
  void set_peer(Device& d, const Peer& peer);
  // Adds a device whose endpoint is not registered; it keeps its id.
  Device& add(std::unique_ptr<Device> device);
  void remove(DeviceId id);
  size_t size() const { return by_id_.size(); }
  template <class F>
  void for_each(F&& f) {
    for (auto& [id, d] : by_id_) f(*d);
  }

  // Interned object-link lists: identical texts share one string.
  std::shared_ptr<const std::string> intern_links(std::string_view text);

  // Lifetime expiry: schedule() after a device's expires_mono_ms changed; expired() pops those
  // whose time has come (checked against their current expiry, so stale entries are skipped).
  void schedule(const Device& d);
  std::vector<DeviceId> expired(uint64_t now_mono_ms);
  uint64_t next_expiry() const;

  DeviceId next_id() { return ++last_id_; }
  void saw_id(DeviceId id) { last_id_ = std::max(last_id_, id); }

 private:
  struct Expiry {
    uint64_t at = 0;
    DeviceId id = 0;
    bool operator>(const Expiry& o) const { return at > o.at; }
  };
  std::unordered_map<DeviceId, std::unique_ptr<Device>> by_id_;
  std::unordered_map<std::string_view, Device*> by_endpoint_;
  std::unordered_map<Peer, DeviceId> by_peer_;
  std::priority_queue<Expiry, std::vector<Expiry>, std::greater<>> expiry_;
  std::unordered_map<std::string, std::weak_ptr<const std::string>> links_;
  DeviceId last_id_ = 0;
};

}  // namespace tl::server::core
