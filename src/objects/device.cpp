#include "objects/device.hpp"

#include <cstring>

#include "model/object_def.hpp"

namespace tl::objects {

using client::Path;
using client::Status;
using client::Value;

namespace {
constexpr uint16_t kDevice = 3;
Path res(uint16_t rid) { return Path::resource(kDevice, 0, rid); }
}  // namespace

Device::Device(client::Platform& platform, const DeviceInfo& info)
    : SingleInstanceObject(*model::find_object(kDevice)), platform_(platform), info_(info) {
  uint8_t buf[kMaxUtcOffset];
  const client::Result<size_t> n = platform_.load(kUtcOffsetKey, buf);
  if (n && *n <= kMaxUtcOffset) {
    std::memcpy(utc_offset_, buf, *n);
    utc_offset_len_ = static_cast<uint8_t>(*n);
  }
}

void Device::set_battery_level(int8_t percent) {
  if (percent == battery_) return;
  battery_ = percent;
  changed(res(9));
}

void Device::set_memory_free(int64_t kib) {
  if (kib == memory_free_) return;
  memory_free_ = kib;
  changed(res(10));
}

void Device::add_error(uint8_t code) {
  for (size_t i = 0; i < error_count_; ++i) {
    if (errors_[i] == code) return;
  }
  if (code == 0 || error_count_ == kMaxErrors) return;
  errors_[error_count_++] = code;
  changed(res(11));
}

void Device::clear_errors() {
  error_count_ = 0;
  changed(res(11));
}

void Device::run_pending() {
  const Pending p = pending_;
  pending_ = Pending::none;
  if (p == Pending::none) return;
  if (p == Pending::factory_reset) {
    for (const std::string_view key : kSdkKeys) (void)platform_.erase(key);
    for (const std::string_view key : info_.app_keys) (void)platform_.erase(key);
  }
  platform_.reboot();
}

bool Device::has_resource(uint16_t, uint16_t rid) const {
  switch (rid) {
    case 0: case 1: case 2: case 3: case 4: case 5: case 11: case 12: case 13: case 14: case 16:
      return true;
    case 9: return battery_ >= 0;
    case 10: return memory_free_ >= 0;
    default: return false;
  }
}

uint16_t Device::resource_instance(uint16_t, uint16_t rid, size_t index) const {
  if (rid != 11) return client::kNoId;
  const size_t count = error_count_ == 0 ? 1 : error_count_;
  return index < count ? static_cast<uint16_t>(index) : client::kNoId;
}

Status Device::read(const Path& path, Value& out, wire::MutableBytes) {
  switch (path.resource_id()) {
    case 0: out = Value::string(info_.manufacturer); return Status::ok;
    case 1: out = Value::string(info_.model); return Status::ok;
    case 2: out = Value::string(info_.serial); return Status::ok;
    case 3: out = Value::string(info_.firmware_version); return Status::ok;
    case 9: out = Value::integer(battery_); return Status::ok;
    case 10: out = Value::integer(memory_free_); return Status::ok;
    case 11: {
      const uint16_t i = path.resource_instance_id();
      if (i >= (error_count_ == 0 ? 1 : error_count_)) return Status::not_found;
      out = Value::integer(error_count_ == 0 ? 0 : errors_[i]);
      return Status::ok;
    }
    case 13: out = Value::time(platform_.utc_seconds() + clock_offset_s_); return Status::ok;
    case 14: out = Value::string({utc_offset_, utc_offset_len_}); return Status::ok;
    case 16: out = Value::string(info_.bindings); return Status::ok;
    default: return Status::not_found;
  }
}

Status Device::write(const Path& path, const Value& value) {
  if (path.resource_id() == 13) {
    // The platform's clock is not set from here: the written time is kept as a correction.
    clock_offset_s_ = value.i - platform_.utc_seconds();
    return Status::ok;
  }
  if (path.resource_id() != 14) return Status::not_found;
  if (value.bytes.size() > kMaxUtcOffset) return Status::too_large;
  if (platform_.store(kUtcOffsetKey, value.bytes) != wire::Error::ok) return Status::internal;
  if (!value.bytes.empty()) std::memcpy(utc_offset_, value.bytes.data(), value.bytes.size());
  utc_offset_len_ = static_cast<uint8_t>(value.bytes.size());
  return Status::ok;
}

Status Device::execute(const Path& path, std::string_view) {
  switch (path.resource_id()) {
    case 4: pending_ = Pending::reboot; return Status::ok;
    case 5: pending_ = Pending::factory_reset; return Status::ok;
    case 12: clear_errors(); return Status::ok;
    default: return Status::not_found;
  }
}

}  // namespace tl::objects
