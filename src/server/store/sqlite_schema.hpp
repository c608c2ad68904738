// The SQLite schema and its migrations (PRAGMA user_version holds the version).
#pragma once
#include "server/store/sqlite_db.hpp"

namespace tl::server::store::sqlite {

// The version this build writes. Bump it with each new migration step, never edit a step.
inline constexpr int kSchemaVersion = 2;
// PRAGMA application_id of a tinyloop store ("TLst"): tells our file from any other SQLite file.
inline constexpr int kApplicationId = 0x544C7374;

// Brings the database to kSchemaVersion (creates it when empty), in one transaction. Throws
// StoreError for a file of a newer version or of another application.
void migrate(Connection& db);

// SQL INTEGER for a path, order-preserving (paths are unsigned, SQLite integers signed).
inline std::int64_t sql_path(std::uint64_t packed) {
  return static_cast<std::int64_t>(packed ^ (std::uint64_t{1} << 63));
}
inline std::uint64_t path_from_sql(std::int64_t value) {
  return static_cast<std::uint64_t>(value) ^ (std::uint64_t{1} << 63);
}

}  // namespace tl::server::store::sqlite
