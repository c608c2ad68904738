// A Store for the server's fuzz targets: keeps nothing, reports every batch durable at once and
// answers every read with nothing; a target overrides the reads its code paths need.
#pragma once
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "server/store/store.hpp"

namespace tl::server::fuzz {

class NullStore : public store::Store {
 public:
  void submit(store::WriteBatch, store::DurableCallback on_durable) override {
    if (on_durable) on_durable(true);
  }
  void flush() override {}
  void for_each_registration(const std::function<void(const store::Registration&)>&) const override {}
  std::optional<store::Registration> registration(std::string_view) const override { return std::nullopt; }
  std::vector<store::Registration> list_registrations(const store::DeviceFilter&) const override { return {}; }
  std::vector<store::Sample> latest_values(store::DeviceId, store::Path) const override { return {}; }
  std::vector<store::Sample> series(const store::SeriesQuery&) const override { return {}; }
  std::vector<store::PendingRequest> requests_of(store::DeviceId) const override { return {}; }
  std::vector<store::PendingRequest> pending_requests() const override { return {}; }
  std::vector<store::Observation> observations() const override { return {}; }
  std::optional<store::PendingRequest> request(store::RequestId) const override { return std::nullopt; }
  std::optional<store::BootstrapConfig> bootstrap_config(std::string_view) const override { return std::nullopt; }
  std::vector<store::BootstrapConfig> bootstrap_configs() const override { return {}; }
  std::vector<store::AuditEntry> audit_log(std::size_t) const override { return {}; }
};

}  // namespace tl::server::fuzz
