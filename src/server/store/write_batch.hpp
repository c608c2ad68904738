// WriteBatch: writes built on the network thread and handed to Store::submit whole. A batch is
// stored atomically (all or nothing) and in the order its writes were added.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "server/store/records.hpp"

namespace tl::server::store {

struct RequestUpdate {
  RequestId id = 0;
  RequestState state = RequestState::pending;
  std::string result;
};

// What an engine implements to store a batch; WriteBatch::apply calls it in the batch's order,
// with runs of the same kind of write passed together.
class BatchVisitor {
 public:
  virtual ~BatchVisitor() = default;
  // Insert or replace by device id.
  virtual void upsert_registrations(std::span<const Registration> registrations) = 0;
  // The registration and its observations: stored values and requests of the device stay.
  virtual void remove_registrations(std::span<const DeviceId> devices) = 0;
  // Into the time series, and into the latest values where not older than the stored one.
  virtual void append_values(std::span<const Sample> samples) = 0;
  // Insert or replace by request id.
  virtual void put_requests(std::span<const PendingRequest> requests) = 0;
  virtual void update_requests(std::span<const RequestUpdate> updates) = 0;
  virtual void delete_requests(std::span<const RequestId> ids) = 0;
  // Insert or replace by (device, path); removing a registration removes its observations.
  virtual void put_observations(std::span<const Observation> observations) = 0;
  virtual void delete_observations(std::span<const Observation> observations) = 0;
  // Insert or replace by endpoint.
  virtual void put_bootstrap_configs(std::span<const BootstrapConfig> configs) = 0;
  virtual void delete_bootstrap_configs(std::span<const std::string> endpoints) = 0;
  virtual void append_audit(std::span<const AuditEntry> entries) = 0;
};

class WriteBatch {
 public:
  void upsert_registration(Registration registration);
  void remove_registration(DeviceId device);
  void append_value(Sample sample);
  void append_value(DeviceId device, Path path, TimeMs time_ms, Value value) {
    append_value(Sample{device, path, time_ms, std::move(value)});
  }
  void put_request(PendingRequest request);
  void update_request(RequestId id, RequestState state, std::string result);
  void delete_request(RequestId id);
  void put_observation(Observation observation);
  void delete_observation(Observation observation);  // by (device, path)
  void put_bootstrap_config(BootstrapConfig config);
  void delete_bootstrap_config(std::string endpoint);
  void audit(AuditEntry entry);

  bool empty() const { return runs_.empty(); }
  // Number of writes (each value counts one).
  std::size_t size() const { return writes_; }
  // Empties the batch but keeps its memory, so a producer can refill the same batch.
  void clear();
  // Reserves room for `count` values (a producer that knows its batch size).
  void reserve_values(std::size_t count) { samples_.reserve(count); }

  void apply(BatchVisitor& visitor) const;

 private:
  enum class Kind : std::uint8_t {
    upsert_registration,
    remove_registration,
    append_value,
    put_request,
    update_request,
    delete_request,
    put_observation,
    delete_observation,
    put_bootstrap,
    delete_bootstrap,
    audit,
  };
  // `count` consecutive writes of one kind, from index `first` of that kind's vector.
  struct Run {
    Kind kind;
    std::size_t first;
    std::size_t count;
  };
  void add(Kind kind, std::size_t index);

  std::vector<Run> runs_;
  std::size_t writes_ = 0;
  std::vector<Registration> registrations_;
  std::vector<DeviceId> removals_;
  std::vector<Sample> samples_;
  std::vector<PendingRequest> requests_;
  std::vector<RequestUpdate> request_updates_;
  std::vector<RequestId> request_deletions_;
  std::vector<Observation> observations_;
  std::vector<Observation> observation_deletions_;
  std::vector<BootstrapConfig> bootstrap_configs_;
  std::vector<std::string> bootstrap_deletions_;
  std::vector<AuditEntry> audit_;
};

}  // namespace tl::server::store
