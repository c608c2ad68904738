#include "server/store/sqlite_schema.hpp"

#include <string>

#include "server/store/store.hpp"

namespace tl::server::store::sqlite {

namespace {

// Version 1. Ids and paths are INTEGER keys. The time series names its path by a small number
// from the `path` table (a fleet shares a few hundred paths; the writer keeps them in memory), so
// a sample's key is 7 bytes shorter than with the 8-byte packed path; it is clustered on its key
// (WITHOUT ROWID): a sample costs one B-tree entry and a range read is one seek. `value` has no
// declared type: it keeps what was bound (INTEGER, REAL, TEXT or BLOB) and `type` says which
// LwM2M type that was.
constexpr const char* kVersion1 = R"sql(
CREATE TABLE registration (
  device          INTEGER PRIMARY KEY,
  endpoint        TEXT NOT NULL UNIQUE,
  registration_id TEXT NOT NULL,
  address         TEXT NOT NULL,
  lifetime_s      INTEGER NOT NULL,
  binding         TEXT NOT NULL,
  lwm2m_version   TEXT NOT NULL,
  object_links    TEXT NOT NULL,
  registered_ms   INTEGER NOT NULL,
  updated_ms      INTEGER NOT NULL,
  psk_identity    TEXT NOT NULL,
  queue_mode      INTEGER NOT NULL
);
CREATE TABLE path (
  id   INTEGER PRIMARY KEY,
  path INTEGER NOT NULL UNIQUE
);
CREATE TABLE latest (
  device  INTEGER NOT NULL,
  path    INTEGER NOT NULL,
  time_ms INTEGER NOT NULL,
  type    INTEGER NOT NULL,
  value,
  PRIMARY KEY (device, path)
) WITHOUT ROWID;
CREATE TABLE sample (
  device  INTEGER NOT NULL,
  path_id INTEGER NOT NULL,
  time_ms INTEGER NOT NULL,
  type    INTEGER NOT NULL,
  value,
  PRIMARY KEY (device, path_id, time_ms)
) WITHOUT ROWID;
CREATE TABLE request (
  id         INTEGER PRIMARY KEY,
  device     INTEGER NOT NULL,
  kind       INTEGER NOT NULL,
  path       INTEGER NOT NULL,
  body       TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  expires_ms INTEGER NOT NULL,
  state      INTEGER NOT NULL,
  result     TEXT NOT NULL
);
CREATE INDEX request_by_device ON request (device);
CREATE TABLE bootstrap_config (
  endpoint    TEXT PRIMARY KEY,
  config_json TEXT NOT NULL,
  updated_ms  INTEGER NOT NULL
);
CREATE TABLE audit (
  seq     INTEGER PRIMARY KEY,
  time_ms INTEGER NOT NULL,
  actor   TEXT NOT NULL,
  action  TEXT NOT NULL,
  detail  TEXT NOT NULL
);
)sql";

// Version 2: observations asked through the API, so that they outlive a restart.
constexpr const char* kVersion2 = R"sql(
CREATE TABLE observation (
  device INTEGER NOT NULL,
  path   INTEGER NOT NULL,
  format INTEGER NOT NULL,
  PRIMARY KEY (device, path)
) WITHOUT ROWID;
)sql";

// Step i brings version i to i + 1.
constexpr const char* kSteps[kSchemaVersion] = {kVersion1, kVersion2};

void check_ours(Connection& db, std::int64_t version) {
  const std::int64_t application = db.query_int("PRAGMA application_id", "reading the schema");
  const std::int64_t tables =
      db.query_int("SELECT count(*) FROM sqlite_schema", "reading the schema");
  const bool ours =
      version >= 0 && (application == kApplicationId || (application == 0 && tables == 0));
  if (!ours) {
    throw StoreError("store " + db.file() +
                     ": not a tinyloop store (another application's SQLite database); choose "
                     "another data directory or move the file aside");
  }
  if (version > kSchemaVersion) {
    throw StoreError("store " + db.file() + ": schema version " + std::to_string(version) +
                     " was written by a newer tinyloop (this build knows up to version " +
                     std::to_string(kSchemaVersion) +
                     "); run the newer tinyloop, or restore a backup made before the upgrade");
  }
}

}  // namespace

void migrate(Connection& db) {
  // IMMEDIATE: take the write lock before reading the version, so two processes cannot both
  // migrate (the lock file prevents that already; this makes it safe without it too).
  db.exec("BEGIN IMMEDIATE", "starting the schema migration");
  try {
    const std::int64_t version = db.query_int("PRAGMA user_version", "reading the schema");
    check_ours(db, version);
    if (version == kSchemaVersion) {
      db.exec("COMMIT", "reading the schema");
      return;
    }
    for (std::int64_t step = version; step < kSchemaVersion; ++step) {
      db.exec(kSteps[step], "migrating the schema");
    }
    const std::string stamp = "PRAGMA application_id = " + std::to_string(kApplicationId) +
                              "; PRAGMA user_version = " + std::to_string(kSchemaVersion);
    db.exec(stamp.c_str(), "migrating the schema");
    db.exec("COMMIT", "migrating the schema");
  } catch (...) {
    sqlite3_exec(db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

}  // namespace tl::server::store::sqlite
