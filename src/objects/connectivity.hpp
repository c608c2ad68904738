// 4 Connectivity Monitoring: what a port knows about its link. The port fills a
// ConnectivityInfo and calls update() whenever it changes; the object notifies observers of the
// resources that differ. Cellular-only resources (APN, Cell ID, SMNC, SMCC, LAC, SNR, CE level)
// are absent. docs/objects.md.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "client/object.hpp"

namespace tl::objects {

struct ConnectivityInfo {
  static constexpr size_t kMaxBearers = 4;
  static constexpr size_t kMaxAddresses = 2;
  static constexpr size_t kAddressLength = 46;  // the longest IPv6 text, plus NUL

  // DDF 0..50, e.g. 21 WLAN, 41 Ethernet, 6 NB-IoT, 7 LTE-M.
  uint8_t bearer = 0;
  uint8_t available[kMaxBearers] = {};
  uint8_t available_count = 0;
  int32_t rssi_dbm = 0;              // 2 (mandatory)
  int32_t link_quality = -1;         // 3, -1: absent
  int8_t link_utilization = -1;      // 6, 0..100, -1: absent
  char ip[kMaxAddresses][kAddressLength] = {};      // 4, NUL-terminated
  uint8_t ip_count = 0;
  char router[kMaxAddresses][kAddressLength] = {};  // 5
  uint8_t router_count = 0;
};

class ConnectivityMonitoring final : public client::SingleInstanceObject {
 public:
  explicit ConnectivityMonitoring(const ConnectivityInfo& initial);

  // Replaces the state; observers of every resource that differs are notified.
  void update(const ConnectivityInfo& now);
  const ConnectivityInfo& info() const { return info_; }

  bool has_resource(uint16_t iid, uint16_t rid) const override;
  uint16_t resource_instance(uint16_t iid, uint16_t rid, size_t index) const override;
  client::Status read(const client::Path& path, client::Value& out, wire::MutableBytes scratch) override;

 private:
  ConnectivityInfo info_;
};

}  // namespace tl::objects
