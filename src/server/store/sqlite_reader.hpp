// One read connection and its statements. A Reader is used by one thread at a time (SqliteStore
// lends them out from a pool); WAL lets it read while the writer commits.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/store/sqlite_db.hpp"
#include "server/store/store.hpp"

namespace tl::server::store::sqlite {

struct ReaderTuning {
  int cache_kib = 16 * 1024;
  std::int64_t mmap_bytes = 256 * 1024 * 1024;
};

class Reader {
 public:
  Reader(const std::string& file, const ReaderTuning& tuning);

  void for_each_registration(const std::function<void(const Registration&)>& visit);
  std::optional<Registration> registration(std::string_view endpoint);
  std::vector<Registration> list_registrations(const DeviceFilter& filter);
  std::vector<Sample> latest_values(DeviceId device, Path under);
  std::vector<Sample> series(const SeriesQuery& query);
  std::vector<PendingRequest> requests_of(DeviceId device);
  std::vector<PendingRequest> pending_requests();
  std::vector<Observation> observations();
  std::optional<PendingRequest> request(RequestId id);
  std::optional<BootstrapConfig> bootstrap_config(std::string_view endpoint);
  std::vector<BootstrapConfig> bootstrap_configs();
  std::vector<AuditEntry> audit_log(std::size_t count);

 private:
  Connection db_;
  Statement all_registrations_;
  Statement registration_by_endpoint_;
  Statement registrations_from_;
  Statement registrations_between_;
  Statement latest_;
  Statement series_oldest_first_;
  Statement series_newest_first_;
  Statement requests_of_device_;
  Statement pending_requests_;
  Statement all_observations_;
  Statement request_by_id_;
  Statement bootstrap_by_endpoint_;
  Statement all_bootstraps_;
  Statement audit_newest_;
};

}  // namespace tl::server::store::sqlite
