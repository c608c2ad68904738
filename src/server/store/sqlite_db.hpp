// Thin RAII over the SQLite C API for the engine's own files: a connection, a prepared statement,
// and the translation of SQLite failures into StoreError messages that name the file and say
// what to do. Internal to tl_server_store.
#pragma once
#include <sqlite3.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace tl::server::store::sqlite {

// The message for a failed SQLite call: the file, what was being done, SQLite's own words, and
// the remedy for the failures an operator can fix (corrupt file, full disk, lock, permissions).
std::string explain(const std::string& file, std::string_view doing, int code,
                    std::string_view sqlite_message);

class Connection {
 public:
  // Throws StoreError (explained) when the file cannot be opened. A lock held by another
  // connection is waited for up to busy_timeout_ms before a call fails with SQLITE_BUSY.
  Connection(std::string file, int open_flags, int busy_timeout_ms = 5000);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* handle() const { return db_; }
  const std::string& file() const { return file_; }
  // Runs SQL without results (pragmas, DDL); throws StoreError saying it was `doing`.
  void exec(const char* sql, std::string_view doing);
  // The single integer a pragma or query returns.
  std::int64_t query_int(const char* sql, std::string_view doing);
  // Throws StoreError for SQLite's last failure on this connection.
  [[noreturn]] void fail(int code, std::string_view doing) const;

 private:
  std::string file_;
  sqlite3* db_ = nullptr;
};

// A statement prepared once and reused (SQLITE_PREPARE_PERSISTENT). Binding strings and blobs
// does not copy them: they must outlive the step.
class Statement {
 public:
  Statement(Connection& connection, const char* sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void bind(int index, std::int64_t value) { check(sqlite3_bind_int64(stmt_, index, value)); }
  void bind(int index, double value) { check(sqlite3_bind_double(stmt_, index, value)); }
  void bind(int index, std::string_view text);
  void bind_blob(int index, std::span<const std::uint8_t> bytes);
  // True while a row is available; false when done. Throws StoreError on failure.
  bool step();
  // Steps without throwing; returns SQLite's result code.
  int try_step() { return sqlite3_step(stmt_); }
  // Back to the start, bindings kept. Also ends the statement's read snapshot.
  void reset() { sqlite3_reset(stmt_); }

  std::int64_t int64(int column) const { return sqlite3_column_int64(stmt_, column); }
  double real(int column) const { return sqlite3_column_double(stmt_, column); }
  std::string_view text(int column) const;
  std::span<const std::uint8_t> blob(int column) const;
  int type(int column) const { return sqlite3_column_type(stmt_, column); }

 private:
  void check(int code);

  Connection& connection_;
  sqlite3_stmt* stmt_ = nullptr;
};

// Resets a statement when leaving the scope that used it (also on exceptions), so a reader never
// keeps an old snapshot open and the WAL can be checkpointed.
class Reset {
 public:
  explicit Reset(Statement& statement) : statement_(statement) {}
  ~Reset() { statement_.reset(); }
  Reset(const Reset&) = delete;
  Reset& operator=(const Reset&) = delete;

 private:
  Statement& statement_;
};

}  // namespace tl::server::store::sqlite
