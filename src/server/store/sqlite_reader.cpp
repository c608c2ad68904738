#include "server/store/sqlite_reader.hpp"

#include <algorithm>
#include <limits>

#include "server/store/sqlite_schema.hpp"
#include "server/store/sqlite_value.hpp"

namespace tl::server::store::sqlite {

namespace {

#define TL_REGISTRATION_COLUMNS                                                               \
  "device, endpoint, registration_id, address, lifetime_s, binding, lwm2m_version, "          \
  "object_links, registered_ms, updated_ms, psk_identity, queue_mode"
#define TL_REQUEST_COLUMNS \
  "id, device, kind, path, body, created_ms, expires_ms, state, result"

std::int64_t sql_id(std::uint64_t id) { return static_cast<std::int64_t>(id); }

std::int64_t sql_limit(std::size_t limit) {
  return static_cast<std::int64_t>(
      std::min<std::size_t>(limit, std::numeric_limits<std::int64_t>::max()));
}

// Assigns into `r` so that a reused record keeps its strings' memory (the 1,000,000-row load).
void read_registration(const Statement& s, Registration& r) {
  r.device = static_cast<DeviceId>(s.int64(0));
  r.endpoint.assign(s.text(1));
  r.registration_id.assign(s.text(2));
  r.address.assign(s.text(3));
  r.lifetime_s = static_cast<std::uint32_t>(s.int64(4));
  r.binding.assign(s.text(5));
  r.lwm2m_version.assign(s.text(6));
  r.object_links.assign(s.text(7));
  r.registered_ms = s.int64(8);
  r.updated_ms = s.int64(9);
  r.psk_identity.assign(s.text(10));
  r.queue_mode = s.int64(11) != 0;
}

std::vector<Registration> read_registrations(Statement& s) {
  Reset reset(s);
  std::vector<Registration> rows;
  while (s.step()) read_registration(s, rows.emplace_back());
  return rows;
}

// Columns device, path, time_ms, type, value.
std::vector<Sample> read_samples(Statement& s) {
  Reset reset(s);
  std::vector<Sample> rows;
  while (s.step()) {
    rows.push_back(Sample{static_cast<DeviceId>(s.int64(0)), Path::from_packed(path_from_sql(s.int64(1))),
                          s.int64(2), read_value(s, 3)});
  }
  return rows;
}

PendingRequest read_request(const Statement& s) {
  return PendingRequest{static_cast<RequestId>(s.int64(0)),
                        static_cast<DeviceId>(s.int64(1)),
                        static_cast<RequestKind>(s.int64(2)),
                        Path::from_packed(path_from_sql(s.int64(3))),
                        std::string(s.text(4)),
                        s.int64(5),
                        s.int64(6),
                        static_cast<RequestState>(s.int64(7)),
                        std::string(s.text(8))};
}

// Every row of a statement over TL_REQUEST_COLUMNS (its parameters bound).
std::vector<PendingRequest> read_requests(Statement& s) {
  Reset reset(s);
  std::vector<PendingRequest> rows;
  while (s.step()) rows.push_back(read_request(s));
  return rows;
}

BootstrapConfig read_bootstrap(const Statement& s) {
  return BootstrapConfig{std::string(s.text(0)), std::string(s.text(1)), s.int64(2)};
}

// The least string greater than every string starting with `prefix`, or nullopt when there is
// none (the prefix is all 0xFF bytes): the exclusive upper bound of a prefix range.
std::optional<std::string> prefix_end(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xFF) prefix.pop_back();
  if (prefix.empty()) return std::nullopt;
  prefix.back() = static_cast<char>(static_cast<unsigned char>(prefix.back()) + 1);
  return prefix;
}

}  // namespace

Reader::Reader(const std::string& file, const ReaderTuning& tuning)
    : db_(file, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX),
      all_registrations_(db_, "SELECT " TL_REGISTRATION_COLUMNS " FROM registration"),
      registration_by_endpoint_(
          db_, "SELECT " TL_REGISTRATION_COLUMNS " FROM registration WHERE endpoint = ?1"),
      registrations_from_(db_, "SELECT " TL_REGISTRATION_COLUMNS
                               " FROM registration WHERE endpoint >= ?1 ORDER BY endpoint "
                               "LIMIT ?3"),
      registrations_between_(db_, "SELECT " TL_REGISTRATION_COLUMNS
                                  " FROM registration WHERE endpoint >= ?1 AND endpoint < ?2 "
                                  "ORDER BY endpoint LIMIT ?3"),
      latest_(db_,
              "SELECT device, path, time_ms, type, value FROM latest WHERE device = ?1 AND path "
              "BETWEEN ?2 AND ?3 ORDER BY path"),
      series_oldest_first_(db_,
                           "SELECT ?1, ?2, time_ms, type, value FROM sample WHERE device = ?1 AND "
                           "path_id = (SELECT id FROM path WHERE path = ?2) AND "
                           "time_ms BETWEEN ?3 AND ?4 ORDER BY time_ms LIMIT ?5"),
      series_newest_first_(db_,
                           "SELECT ?1, ?2, time_ms, type, value FROM sample WHERE device = ?1 AND "
                           "path_id = (SELECT id FROM path WHERE path = ?2) AND "
                           "time_ms BETWEEN ?3 AND ?4 ORDER BY time_ms DESC LIMIT ?5"),
      requests_of_device_(
          db_, "SELECT " TL_REQUEST_COLUMNS " FROM request WHERE device = ?1 ORDER BY id"),
      // The request table holds few rows (requests to sleeping devices and their outcomes): a
      // scan at startup needs no index.
      pending_requests_(db_, "SELECT " TL_REQUEST_COLUMNS " FROM request WHERE state = 0 ORDER BY id"),
      all_observations_(db_, "SELECT device, path, format FROM observation ORDER BY device, path"),
      request_by_id_(db_, "SELECT " TL_REQUEST_COLUMNS " FROM request WHERE id = ?1"),
      bootstrap_by_endpoint_(
          db_, "SELECT endpoint, config_json, updated_ms FROM bootstrap_config WHERE endpoint = ?1"),
      all_bootstraps_(db_,
                      "SELECT endpoint, config_json, updated_ms FROM bootstrap_config ORDER BY "
                      "endpoint"),
      audit_newest_(db_,
                    "SELECT time_ms, actor, action, detail FROM audit ORDER BY seq DESC LIMIT ?1") {
  // mmap: reads of a large store (the startup scan) copy pages straight from the page cache.
  const std::string pragmas = "PRAGMA cache_size = -" + std::to_string(tuning.cache_kib) +
                              "; PRAGMA mmap_size = " + std::to_string(tuning.mmap_bytes);
  db_.exec(pragmas.c_str(), "configuring a read connection");
}

void Reader::for_each_registration(const std::function<void(const Registration&)>& visit) {
  Statement& s = all_registrations_;
  Reset reset(s);
  Registration row;
  while (s.step()) {
    read_registration(s, row);
    visit(row);
  }
}

std::optional<Registration> Reader::registration(std::string_view endpoint) {
  registration_by_endpoint_.bind(1, endpoint);
  auto rows = read_registrations(registration_by_endpoint_);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::vector<Registration> Reader::list_registrations(const DeviceFilter& filter) {
  // One lower bound: the prefix itself, or just past the previous page's last endpoint (the
  // least string greater than s is s followed by a NUL byte), whichever is greater.
  std::string from = filter.after_endpoint;
  if (!filter.after_endpoint.empty()) from.push_back('\0');
  if (from < filter.endpoint_prefix) from = filter.endpoint_prefix;
  const std::optional<std::string> end =
      filter.endpoint_prefix.empty() ? std::nullopt : prefix_end(filter.endpoint_prefix);
  Statement& s = end ? registrations_between_ : registrations_from_;
  s.bind(1, from);
  if (end) s.bind(2, *end);
  s.bind(3, sql_limit(filter.limit));
  return read_registrations(s);
}

std::vector<Sample> Reader::latest_values(DeviceId device, Path under) {
  latest_.bind(1, sql_id(device));
  latest_.bind(2, sql_path(under.packed()));
  latest_.bind(3, sql_path(under.last_descendant()));
  return read_samples(latest_);
}

std::vector<Sample> Reader::series(const SeriesQuery& query) {
  Statement& s = query.newest_first ? series_newest_first_ : series_oldest_first_;
  s.bind(1, sql_id(query.device));
  s.bind(2, sql_path(query.path.packed()));
  s.bind(3, query.from_ms);
  s.bind(4, query.to_ms);
  s.bind(5, sql_limit(query.limit));
  return read_samples(s);
}

std::vector<PendingRequest> Reader::requests_of(DeviceId device) {
  requests_of_device_.bind(1, sql_id(device));
  return read_requests(requests_of_device_);
}

std::vector<PendingRequest> Reader::pending_requests() { return read_requests(pending_requests_); }

std::vector<Observation> Reader::observations() {
  Statement& s = all_observations_;
  Reset reset(s);
  std::vector<Observation> rows;
  while (s.step()) {
    rows.push_back(Observation{static_cast<DeviceId>(s.int64(0)), Path::from_packed(path_from_sql(s.int64(1))),
                               static_cast<std::uint16_t>(s.int64(2))});
  }
  return rows;
}

std::optional<PendingRequest> Reader::request(RequestId id) {
  Statement& s = request_by_id_;
  s.bind(1, sql_id(id));
  Reset reset(s);
  if (!s.step()) return std::nullopt;
  return read_request(s);
}

std::optional<BootstrapConfig> Reader::bootstrap_config(std::string_view endpoint) {
  Statement& s = bootstrap_by_endpoint_;
  s.bind(1, endpoint);
  Reset reset(s);
  if (!s.step()) return std::nullopt;
  return read_bootstrap(s);
}

std::vector<BootstrapConfig> Reader::bootstrap_configs() {
  Statement& s = all_bootstraps_;
  Reset reset(s);
  std::vector<BootstrapConfig> rows;
  while (s.step()) rows.push_back(read_bootstrap(s));
  return rows;
}

std::vector<AuditEntry> Reader::audit_log(std::size_t count) {
  Statement& s = audit_newest_;
  s.bind(1, sql_limit(count));
  Reset reset(s);
  std::vector<AuditEntry> rows;
  while (s.step()) {
    rows.push_back(AuditEntry{s.int64(0), std::string(s.text(1)), std::string(s.text(2)),
                              std::string(s.text(3))});
  }
  return rows;
}

}  // namespace tl::server::store::sqlite
