#include "objects/connectivity.hpp"

#include <cstring>

#include "model/object_def.hpp"

namespace tl::objects {

using client::Path;
using client::Status;
using client::Value;

namespace {

constexpr uint16_t kConnectivity = 4;

bool same_addresses(const char (*a)[ConnectivityInfo::kAddressLength], uint8_t na,
                    const char (*b)[ConnectivityInfo::kAddressLength], uint8_t nb) {
  if (na != nb) return false;
  for (size_t i = 0; i < na; ++i) {
    if (std::strncmp(a[i], b[i], ConnectivityInfo::kAddressLength) != 0) return false;
  }
  return true;
}

std::string_view address(const char* s) {
  size_t n = 0;
  while (n < ConnectivityInfo::kAddressLength && s[n] != '\0') ++n;
  return {s, n};
}

// Counts past the arrays would make reads run off them.
ConnectivityInfo clamped(ConnectivityInfo c) {
  if (c.available_count > ConnectivityInfo::kMaxBearers) c.available_count = ConnectivityInfo::kMaxBearers;
  if (c.ip_count > ConnectivityInfo::kMaxAddresses) c.ip_count = ConnectivityInfo::kMaxAddresses;
  if (c.router_count > ConnectivityInfo::kMaxAddresses) c.router_count = ConnectivityInfo::kMaxAddresses;
  return c;
}

}  // namespace

ConnectivityMonitoring::ConnectivityMonitoring(const ConnectivityInfo& initial)
    : SingleInstanceObject(*model::find_object(kConnectivity)), info_(clamped(initial)) {}

void ConnectivityMonitoring::update(const ConnectivityInfo& next) {
  const ConnectivityInfo old = info_;
  info_ = clamped(next);
  const ConnectivityInfo& now = info_;
  const auto notify = [this](uint16_t rid) { changed(Path::resource(kConnectivity, 0, rid)); };
  if (old.bearer != now.bearer) notify(0);
  if (old.available_count != now.available_count ||
      std::memcmp(old.available, now.available, now.available_count) != 0) {
    notify(1);
  }
  if (old.rssi_dbm != now.rssi_dbm) notify(2);
  if (old.link_quality != now.link_quality) notify(3);
  if (!same_addresses(old.ip, old.ip_count, now.ip, now.ip_count)) notify(4);
  if (!same_addresses(old.router, old.router_count, now.router, now.router_count)) notify(5);
  if (old.link_utilization != now.link_utilization) notify(6);
}

bool ConnectivityMonitoring::has_resource(uint16_t, uint16_t rid) const {
  switch (rid) {
    case 0: case 1: case 2: case 4: return true;
    case 3: return info_.link_quality >= 0;
    case 5: return info_.router_count > 0;
    case 6: return info_.link_utilization >= 0;
    default: return false;
  }
}

uint16_t ConnectivityMonitoring::resource_instance(uint16_t, uint16_t rid, size_t index) const {
  size_t count = 0;
  if (rid == 1) count = info_.available_count;
  if (rid == 4) count = info_.ip_count;
  if (rid == 5) count = info_.router_count;
  return index < count ? static_cast<uint16_t>(index) : client::kNoId;
}

Status ConnectivityMonitoring::read(const Path& path, Value& out, wire::MutableBytes) {
  const uint16_t i = path.resource_instance_id();
  switch (path.resource_id()) {
    case 0: out = Value::integer(info_.bearer); return Status::ok;
    case 1:
      if (i >= info_.available_count) return Status::not_found;
      out = Value::integer(info_.available[i]);
      return Status::ok;
    case 2: out = Value::integer(info_.rssi_dbm); return Status::ok;
    case 3: out = Value::integer(info_.link_quality); return Status::ok;
    case 4:
      if (i >= info_.ip_count) return Status::not_found;
      out = Value::string(address(info_.ip[i]));
      return Status::ok;
    case 5:
      if (i >= info_.router_count) return Status::not_found;
      out = Value::string(address(info_.router[i]));
      return Status::ok;
    case 6: out = Value::integer(info_.link_utilization); return Status::ok;
    default: return Status::not_found;
  }
}

}  // namespace tl::objects
