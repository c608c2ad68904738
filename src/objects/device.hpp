// 3 Device. Identity strings and bindings come from the application (DeviceInfo); battery, free
// memory and error codes are set by the port through the setters, which notify observers.
// Reboot and Factory Reset are answered first and carried out by run_pending(), which the
// application calls after each Client::step(): a device that restarted inside step() would never
// send the 2.04 the server waits for.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "client/object.hpp"
#include "client/platform.hpp"

namespace tl::objects {

inline constexpr const char* kUtcOffsetKey = "tl.dev.utc";  // 3/0/14

// Every record the SDK stores; Factory Reset erases them (the client then starts over from the
// factory accounts of its ClientConfig, the TinyML objects from the built-in model).
inline constexpr std::string_view kSdkKeys[] = {"tl.sec",     "tl.srv",    "tl.ml.blob", "tl.ml.prev",
                                                "tl.ml.thr",  "tl.ml.cnt", "tl.dev.utc"};

struct DeviceInfo {
  std::string_view manufacturer = {};      // 3/0/0
  std::string_view model = {};             // 3/0/1
  std::string_view serial = {};            // 3/0/2
  std::string_view firmware_version = {};  // 3/0/3
  std::string_view bindings = "UQ";   // 3/0/16: UDP, queue mode
  // Erased by Factory Reset besides kSdkKeys (the application's own records).
  std::span<const std::string_view> app_keys = {};
};

class Device final : public client::SingleInstanceObject {
 public:
  static constexpr size_t kMaxErrors = 8;
  static constexpr size_t kMaxUtcOffset = 16;

  // `info`'s strings must outlive the object. Loads the UTC offset from storage.
  Device(client::Platform& platform, const DeviceInfo& info);

  // -1 hides the resource (a mains-powered device, an unknown value).
  void set_battery_level(int8_t percent);
  void set_memory_free(int64_t kib);
  // Error codes 1..8 of the DDF; 0 (none) is reported when the list is empty.
  void add_error(uint8_t code);
  void clear_errors();

  // A Reboot was executed and run_pending() will carry it out: the application saves what must
  // survive it first (a Factory Reset erases the records instead, so this is false for it).
  bool reboot_pending() const { return pending_ == Pending::reboot; }
  // Carries out an executed Reboot or Factory Reset; call after Client::step().
  void run_pending();

  bool has_resource(uint16_t iid, uint16_t rid) const override;
  uint16_t resource_instance(uint16_t iid, uint16_t rid, size_t index) const override;
  client::Status read(const client::Path& path, client::Value& out, wire::MutableBytes scratch) override;
  client::Status write(const client::Path& path, const client::Value& value) override;
  client::Status execute(const client::Path& path, std::string_view args) override;

 private:
  enum class Pending : uint8_t { none, reboot, factory_reset };

  client::Platform& platform_;
  DeviceInfo info_;
  int8_t battery_ = -1;
  int64_t memory_free_ = -1;
  uint8_t errors_[kMaxErrors] = {};
  uint8_t error_count_ = 0;
  int64_t clock_offset_s_ = 0;  // written Current Time minus the platform's clock
  char utc_offset_[kMaxUtcOffset] = {};
  uint8_t utc_offset_len_ = 0;
  Pending pending_ = Pending::none;
};

}  // namespace tl::objects
