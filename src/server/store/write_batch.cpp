#include "server/store/write_batch.hpp"

#include <utility>

namespace tl::server::store {

void WriteBatch::add(Kind kind, std::size_t index) {
  ++writes_;
  // Consecutive writes of one kind (the common case: many values) make one run.
  if (!runs_.empty() && runs_.back().kind == kind) {
    ++runs_.back().count;
    return;
  }
  runs_.push_back(Run{kind, index, 1});
}

void WriteBatch::upsert_registration(Registration registration) {
  registrations_.push_back(std::move(registration));
  add(Kind::upsert_registration, registrations_.size() - 1);
}

void WriteBatch::remove_registration(DeviceId device) {
  removals_.push_back(device);
  add(Kind::remove_registration, removals_.size() - 1);
}

void WriteBatch::append_value(Sample sample) {
  samples_.push_back(std::move(sample));
  add(Kind::append_value, samples_.size() - 1);
}

void WriteBatch::put_request(PendingRequest request) {
  requests_.push_back(std::move(request));
  add(Kind::put_request, requests_.size() - 1);
}

void WriteBatch::update_request(RequestId id, RequestState state, std::string result) {
  request_updates_.push_back(RequestUpdate{id, state, std::move(result)});
  add(Kind::update_request, request_updates_.size() - 1);
}

void WriteBatch::delete_request(RequestId id) {
  request_deletions_.push_back(id);
  add(Kind::delete_request, request_deletions_.size() - 1);
}

void WriteBatch::put_observation(Observation observation) {
  observations_.push_back(observation);
  add(Kind::put_observation, observations_.size() - 1);
}

void WriteBatch::delete_observation(Observation observation) {
  observation_deletions_.push_back(observation);
  add(Kind::delete_observation, observation_deletions_.size() - 1);
}

void WriteBatch::put_bootstrap_config(BootstrapConfig config) {
  bootstrap_configs_.push_back(std::move(config));
  add(Kind::put_bootstrap, bootstrap_configs_.size() - 1);
}

void WriteBatch::delete_bootstrap_config(std::string endpoint) {
  bootstrap_deletions_.push_back(std::move(endpoint));
  add(Kind::delete_bootstrap, bootstrap_deletions_.size() - 1);
}

void WriteBatch::audit(AuditEntry entry) {
  audit_.push_back(std::move(entry));
  add(Kind::audit, audit_.size() - 1);
}

void WriteBatch::clear() {
  runs_.clear();
  writes_ = 0;
  registrations_.clear();
  removals_.clear();
  samples_.clear();
  requests_.clear();
  request_updates_.clear();
  request_deletions_.clear();
  observations_.clear();
  observation_deletions_.clear();
  bootstrap_configs_.clear();
  bootstrap_deletions_.clear();
  audit_.clear();
}

namespace {
template <class T>
std::span<const T> slice(const std::vector<T>& items, std::size_t first, std::size_t count) {
  return std::span<const T>(items).subspan(first, count);
}
}  // namespace

void WriteBatch::apply(BatchVisitor& visitor) const {
  for (const Run& run : runs_) {
    switch (run.kind) {
      case Kind::upsert_registration:
        visitor.upsert_registrations(slice(registrations_, run.first, run.count));
        break;
      case Kind::remove_registration:
        visitor.remove_registrations(slice(removals_, run.first, run.count));
        break;
      case Kind::append_value:
        visitor.append_values(slice(samples_, run.first, run.count));
        break;
      case Kind::put_request:
        visitor.put_requests(slice(requests_, run.first, run.count));
        break;
      case Kind::update_request:
        visitor.update_requests(slice(request_updates_, run.first, run.count));
        break;
      case Kind::delete_request:
        visitor.delete_requests(slice(request_deletions_, run.first, run.count));
        break;
      case Kind::put_observation:
        visitor.put_observations(slice(observations_, run.first, run.count));
        break;
      case Kind::delete_observation:
        visitor.delete_observations(slice(observation_deletions_, run.first, run.count));
        break;
      case Kind::put_bootstrap:
        visitor.put_bootstrap_configs(slice(bootstrap_configs_, run.first, run.count));
        break;
      case Kind::delete_bootstrap:
        visitor.delete_bootstrap_configs(slice(bootstrap_deletions_, run.first, run.count));
        break;
      case Kind::audit:
        visitor.append_audit(slice(audit_, run.first, run.count));
        break;
    }
  }
}

}  // namespace tl::server::store
