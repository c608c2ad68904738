// The writer connection's statements: stores batches, one transaction per group of batches.
// Used only by SqliteStore's writer thread.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <unordered_map>
#include <vector>

#include "server/store/sqlite_db.hpp"
#include "server/store/write_batch.hpp"

namespace tl::server::store::sqlite {

class Writer final : public BatchVisitor {
 public:
  explicit Writer(Connection& db);

  // Stores every batch in one transaction, or none of them. Throws StoreError (after rolling
  // back) when the transaction fails.
  void store(std::span<const WriteBatch* const> batches);

  void upsert_registrations(std::span<const Registration> registrations) override;
  void remove_registrations(std::span<const DeviceId> devices) override;
  void append_values(std::span<const Sample> samples) override;
  void put_requests(std::span<const PendingRequest> requests) override;
  void update_requests(std::span<const RequestUpdate> updates) override;
  void delete_requests(std::span<const RequestId> ids) override;
  void put_observations(std::span<const Observation> observations) override;
  void delete_observations(std::span<const Observation> observations) override;
  void put_bootstrap_configs(std::span<const BootstrapConfig> configs) override;
  void delete_bootstrap_configs(std::span<const std::string> endpoints) override;
  void append_audit(std::span<const AuditEntry> entries) override;

 private:
  void rollback_quietly();
  // The number of `path` in the `path` table, added (to the open transaction) when new.
  std::int64_t path_id(Path path);
  // Keeps the newest sample of each (device, path) of the transaction; written at its end.
  void note_latest(const Sample& sample);
  void write_latest();

  struct DevicePath {
    DeviceId device;
    std::uint64_t path;
    bool operator==(const DevicePath&) const = default;
  };
  struct DevicePathHash {
    std::size_t operator()(const DevicePath& k) const {
      return std::hash<std::uint64_t>()(k.device * 0x9E3779B97F4A7C15ull ^ k.path);
    }
  };

  Connection& db_;
  // Every row of the `path` table, loaded at open; paths_added_ are those of the open
  // transaction, forgotten again if it rolls back.
  std::unordered_map<std::uint64_t, std::int64_t> path_ids_;
  std::vector<std::uint64_t> paths_added_;
  // A device that reports faster than the group commits (or a Send of many readings) needs one
  // `latest` upsert per path and transaction, not one per sample.
  std::unordered_map<DevicePath, Sample, DevicePathHash> latest_;
  Statement begin_;
  Statement commit_;
  Statement rollback_;
  Statement upsert_registration_;
  Statement remove_registration_;
  Statement remove_observations_of_;
  Statement put_observation_;
  Statement delete_observation_;
  Statement insert_path_;
  Statement upsert_latest_;
  Statement insert_sample_;
  Statement put_request_;
  Statement update_request_;
  Statement delete_request_;
  Statement put_bootstrap_;
  Statement delete_bootstrap_;
  Statement insert_audit_;
};

}  // namespace tl::server::store::sqlite
