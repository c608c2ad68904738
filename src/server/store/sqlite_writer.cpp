#include "server/store/sqlite_writer.hpp"

#include "server/store/sqlite_schema.hpp"
#include "server/store/sqlite_value.hpp"

namespace tl::server::store::sqlite {

namespace {

std::int64_t sql_id(std::uint64_t id) { return static_cast<std::int64_t>(id); }

void run(Statement& statement) {
  Reset reset(statement);
  statement.step();
}

}  // namespace

Writer::Writer(Connection& db)
    : db_(db),
      // IMMEDIATE: this connection is the only writer; take the lock up front rather than
      // upgrading from a read lock mid-transaction.
      begin_(db, "BEGIN IMMEDIATE"),
      commit_(db, "COMMIT"),
      rollback_(db, "ROLLBACK"),
      upsert_registration_(db,
                           "INSERT INTO registration (device, endpoint, registration_id, address, "
                           "lifetime_s, binding, lwm2m_version, object_links, registered_ms, "
                           "updated_ms, psk_identity, queue_mode) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
                           "ON CONFLICT (device) DO UPDATE SET endpoint = ?2, "
                           "registration_id = ?3, address = ?4, lifetime_s = ?5, binding = ?6, "
                           "lwm2m_version = ?7, object_links = ?8, registered_ms = ?9, "
                           "updated_ms = ?10, psk_identity = ?11, queue_mode = ?12"),
      remove_registration_(db, "DELETE FROM registration WHERE device = ?1"),
      remove_observations_of_(db, "DELETE FROM observation WHERE device = ?1"),
      put_observation_(db, "INSERT OR REPLACE INTO observation (device, path, format) VALUES (?1, ?2, ?3)"),
      delete_observation_(db, "DELETE FROM observation WHERE device = ?1 AND path = ?2"),
      insert_path_(db, "INSERT INTO path (id, path) VALUES (?1, ?2)"),
      // A late sample (a Send of old readings) goes into the series but does not replace a newer
      // latest value.
      upsert_latest_(db,
                     "INSERT INTO latest (device, path, time_ms, type, value) "
                     "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (device, path) DO UPDATE SET "
                     "time_ms = ?3, type = ?4, value = ?5 WHERE ?3 >= latest.time_ms"),
      // Two samples of one path in the same millisecond: the later write wins.
      insert_sample_(db,
                     "INSERT OR REPLACE INTO sample (device, path_id, time_ms, type, value) "
                     "VALUES (?1, ?2, ?3, ?4, ?5)"),
      put_request_(db,
                   "INSERT OR REPLACE INTO request (id, device, kind, path, body, created_ms, "
                   "expires_ms, state, result) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
      update_request_(db, "UPDATE request SET state = ?2, result = ?3 WHERE id = ?1"),
      delete_request_(db, "DELETE FROM request WHERE id = ?1"),
      put_bootstrap_(db,
                     "INSERT OR REPLACE INTO bootstrap_config (endpoint, config_json, updated_ms) "
                     "VALUES (?1, ?2, ?3)"),
      delete_bootstrap_(db, "DELETE FROM bootstrap_config WHERE endpoint = ?1"),
      insert_audit_(db,
                    "INSERT INTO audit (time_ms, actor, action, detail) VALUES (?1, ?2, ?3, ?4)") {
  Statement paths(db, "SELECT id, path FROM path");
  Reset reset(paths);
  while (paths.step()) path_ids_.emplace(path_from_sql(paths.int64(1)), paths.int64(0));
}

void Writer::store(std::span<const WriteBatch* const> batches) {
  latest_.clear();
  run(begin_);
  try {
    for (const WriteBatch* batch : batches) batch->apply(*this);
    write_latest();
    run(commit_);
  } catch (...) {
    rollback_quietly();
    for (const std::uint64_t path : paths_added_) path_ids_.erase(path);
    paths_added_.clear();
    throw;
  }
  paths_added_.clear();
}

void Writer::rollback_quietly() {
  // A failed COMMIT may have ended the transaction already (SQLite rolls back by itself on some
  // errors, e.g. a full disk).
  if (sqlite3_get_autocommit(db_.handle())) return;
  // Quietly: the transaction's own failure is the one to report.
  rollback_.try_step();
  rollback_.reset();
}

void Writer::upsert_registrations(std::span<const Registration> registrations) {
  Statement& s = upsert_registration_;
  for (const Registration& r : registrations) {
    s.bind(1, sql_id(r.device));
    s.bind(2, r.endpoint);
    s.bind(3, r.registration_id);
    s.bind(4, r.address);
    s.bind(5, std::int64_t{r.lifetime_s});
    s.bind(6, r.binding);
    s.bind(7, r.lwm2m_version);
    s.bind(8, r.object_links);
    s.bind(9, r.registered_ms);
    s.bind(10, r.updated_ms);
    s.bind(11, r.psk_identity);
    s.bind(12, std::int64_t{r.queue_mode ? 1 : 0});
    run(s);
  }
}

void Writer::remove_registrations(std::span<const DeviceId> devices) {
  for (const DeviceId device : devices) {
    remove_registration_.bind(1, sql_id(device));
    run(remove_registration_);
    remove_observations_of_.bind(1, sql_id(device));
    run(remove_observations_of_);
  }
}

std::int64_t Writer::path_id(Path path) {
  const auto known = path_ids_.find(path.packed());
  if (known != path_ids_.end()) return known->second;
  const auto id = static_cast<std::int64_t>(path_ids_.size()) + 1;  // ids are 1..size
  insert_path_.bind(1, id);
  insert_path_.bind(2, sql_path(path.packed()));
  run(insert_path_);
  path_ids_.emplace(path.packed(), id);
  paths_added_.push_back(path.packed());
  return id;
}

// The same outcome as an upsert per sample in order: the newest time wins, and of equal times
// the later sample.
void Writer::note_latest(const Sample& sample) {
  const auto [it, added] = latest_.try_emplace(DevicePath{sample.device, sample.path.packed()}, sample);
  if (!added && sample.time_ms >= it->second.time_ms) it->second = sample;
}

void Writer::write_latest() {
  Statement& s = upsert_latest_;
  for (const auto& [key, sample] : latest_) {
    s.bind(1, sql_id(sample.device));
    s.bind(2, sql_path(sample.path.packed()));
    s.bind(3, sample.time_ms);
    bind_value(s, 4, sample.value);
    run(s);
  }
  latest_.clear();
}

void Writer::append_values(std::span<const Sample> samples) {
  Statement& s = insert_sample_;
  for (const Sample& sample : samples) {
    note_latest(sample);
    s.bind(1, sql_id(sample.device));
    s.bind(2, path_id(sample.path));
    s.bind(3, sample.time_ms);
    bind_value(s, 4, sample.value);
    run(s);
  }
}

void Writer::put_requests(std::span<const PendingRequest> requests) {
  Statement& s = put_request_;
  for (const PendingRequest& r : requests) {
    s.bind(1, sql_id(r.id));
    s.bind(2, sql_id(r.device));
    s.bind(3, std::int64_t{static_cast<std::uint8_t>(r.kind)});
    s.bind(4, sql_path(r.path.packed()));
    s.bind(5, r.body);
    s.bind(6, r.created_ms);
    s.bind(7, r.expires_ms);
    s.bind(8, std::int64_t{static_cast<std::uint8_t>(r.state)});
    s.bind(9, r.result);
    run(s);
  }
}

void Writer::update_requests(std::span<const RequestUpdate> updates) {
  Statement& s = update_request_;
  for (const RequestUpdate& u : updates) {
    s.bind(1, sql_id(u.id));
    s.bind(2, std::int64_t{static_cast<std::uint8_t>(u.state)});
    s.bind(3, u.result);
    run(s);
  }
}

void Writer::delete_requests(std::span<const RequestId> ids) {
  for (const RequestId id : ids) {
    delete_request_.bind(1, sql_id(id));
    run(delete_request_);
  }
}

void Writer::put_observations(std::span<const Observation> observations) {
  for (const Observation& o : observations) {
    put_observation_.bind(1, sql_id(o.device));
    put_observation_.bind(2, sql_path(o.path.packed()));
    put_observation_.bind(3, std::int64_t{o.format});
    run(put_observation_);
  }
}

void Writer::delete_observations(std::span<const Observation> observations) {
  for (const Observation& o : observations) {
    delete_observation_.bind(1, sql_id(o.device));
    delete_observation_.bind(2, sql_path(o.path.packed()));
    run(delete_observation_);
  }
}

void Writer::put_bootstrap_configs(std::span<const BootstrapConfig> configs) {
  Statement& s = put_bootstrap_;
  for (const BootstrapConfig& c : configs) {
    s.bind(1, c.endpoint);
    s.bind(2, c.config_json);
    s.bind(3, c.updated_ms);
    run(s);
  }
}

void Writer::delete_bootstrap_configs(std::span<const std::string> endpoints) {
  for (const std::string& endpoint : endpoints) {
    delete_bootstrap_.bind(1, endpoint);
    run(delete_bootstrap_);
  }
}

void Writer::append_audit(std::span<const AuditEntry> entries) {
  Statement& s = insert_audit_;
  for (const AuditEntry& e : entries) {
    s.bind(1, e.time_ms);
    s.bind(2, e.actor);
    s.bind(3, e.action);
    s.bind(4, e.detail);
    run(s);
  }
}

}  // namespace tl::server::store::sqlite
