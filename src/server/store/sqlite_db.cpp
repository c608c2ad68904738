#include "server/store/sqlite_db.hpp"

#include <mutex>
#include <utility>

#include "server/store/store.hpp"

namespace tl::server::store::sqlite {

namespace {

std::string_view remedy(int code) {
  switch (code & 0xFF) {  // the primary result code
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return "the file is damaged or is not a SQLite database: stop the server, move it and its "
             "-wal and -shm files aside (to start with an empty store) or restore them from a "
             "backup";
    case SQLITE_FULL:
      return "the disk is full: free space on its volume; writes are refused until then";
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return "another process holds the database: stop it (another tinyloop server on the same "
             "data directory?) or choose another data directory";
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return "the file or its directory is not writable: check their owner and permissions";
    case SQLITE_CANTOPEN:
      return "the file cannot be opened: check that the data directory exists, is writable and "
             "that the path is right";
    case SQLITE_IOERR:
      return "the disk reported an I/O error: check the disk (dmesg) and its free space";
    case SQLITE_NOMEM:
      return "SQLite ran out of memory";
    default:
      return "";
  }
}

// Once per process, before SQLite initializes: no memory statistics, which SQLite would otherwise
// keep under a global mutex taken on every allocation (6% of the writer's time in bench/store).
// Fails harmlessly (SQLITE_MISUSE) if another part of the process already used SQLite.
void configure_library() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

}  // namespace

std::string explain(const std::string& file, std::string_view doing, int code,
                    std::string_view sqlite_message) {
  std::string message = "store " + file + ": " + std::string(doing) + " failed: " +
                        std::string(sqlite_message);
  const std::string_view what_to_do = remedy(code);
  if (!what_to_do.empty()) {
    message += "; ";
    message += what_to_do;
  }
  return message;
}

Connection::Connection(std::string file, int open_flags, int busy_timeout_ms)
    : file_(std::move(file)) {
  configure_library();
  const int code = sqlite3_open_v2(file_.c_str(), &db_, open_flags, nullptr);
  if (code != SQLITE_OK) {
    // The handle exists even on failure (unless out of memory) and holds the message.
    const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(code);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw StoreError(explain(file_, "opening", code, message));
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, busy_timeout_ms);
}

Connection::~Connection() { sqlite3_close_v2(db_); }

void Connection::fail(int code, std::string_view doing) const {
  throw StoreError(explain(file_, doing, code, sqlite3_errmsg(db_)));
}

void Connection::exec(const char* sql, std::string_view doing) {
  const int code = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (code != SQLITE_OK) fail(code, doing);
}

std::int64_t Connection::query_int(const char* sql, std::string_view doing) {
  sqlite3_stmt* stmt = nullptr;
  int code = sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr);
  if (code != SQLITE_OK) fail(code, doing);
  code = sqlite3_step(stmt);
  const std::int64_t value = code == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
  sqlite3_finalize(stmt);
  if (code != SQLITE_ROW && code != SQLITE_DONE) fail(code, doing);
  return value;
}

Statement::Statement(Connection& connection, const char* sql) : connection_(connection) {
  const int code = sqlite3_prepare_v3(connection.handle(), sql, -1, SQLITE_PREPARE_PERSISTENT,
                                      &stmt_, nullptr);
  if (code != SQLITE_OK) connection.fail(code, std::string("preparing ") + sql);
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::check(int code) {
  if (code != SQLITE_OK) connection_.fail(code, "binding a parameter");
}

void Statement::bind(int index, std::string_view text) {
  // A non-null pointer even for "" so that SQLite stores an empty text, not NULL.
  check(sqlite3_bind_text64(stmt_, index, text.empty() ? "" : text.data(), text.size(),
                            SQLITE_STATIC, SQLITE_UTF8));
}

void Statement::bind_blob(int index, std::span<const std::uint8_t> bytes) {
  static constexpr std::uint8_t kNothing = 0;
  check(sqlite3_bind_blob64(stmt_, index, bytes.empty() ? &kNothing : bytes.data(), bytes.size(),
                            SQLITE_STATIC));
}

bool Statement::step() {
  const int code = sqlite3_step(stmt_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  // Reset so the statement releases its locks; the message is taken before it can change.
  std::string message = explain(connection_.file(), sqlite3_sql(stmt_), code,
                                sqlite3_errmsg(connection_.handle()));
  sqlite3_reset(stmt_);
  throw StoreError(std::move(message));
}

std::string_view Statement::text(int column) const {
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column));
  return data ? std::string_view(data, size) : std::string_view{};
}

std::span<const std::uint8_t> Statement::blob(int column) const {
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, column));
  const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column));
  return data ? std::span<const std::uint8_t>(data, size) : std::span<const std::uint8_t>{};
}

}  // namespace tl::server::store::sqlite
