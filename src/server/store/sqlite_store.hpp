// SqliteStore: the default Store, one SQLite file in WAL mode under the data directory.
//
// One writer thread owns the write connection and commits every batch queued since its last
// commit in one transaction (group commit); a checkpoint thread copies the WAL into the database
// file meanwhile; reads use a small pool of read-only connections, which WAL lets run while the
// writer commits. See README.md for the schema and durability.
#pragma once
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "server/store/store.hpp"

namespace tl::server::store {

namespace sqlite {
class Checkpointer;
class Connection;
class Reader;
class Writer;
}  // namespace sqlite

struct SqliteOptions {
  std::filesystem::path data_dir;           // created on first start
  std::string file_name = "tinyloop.db";
  std::size_t read_connections = 2;         // concurrent reads; more readers wait their turn
  // false: synchronous=NORMAL, a commit survives a crash of the process but the last commits
  // may be lost on power failure or an OS crash. true: synchronous=FULL, each group commit is
  // fsynced before its callbacks run.
  bool fsync_each_commit = false;
  int writer_cache_kib = 64 * 1024;  // the time series' B-tree interior pages stay in memory
  int reader_cache_kib = 16 * 1024;  // per read connection
  // WAL pages that wake the checkpoint thread, which copies them into the database file.
  int wal_autocheckpoint_pages = 4000;
  // A group commit takes queued batches until it holds this many writes (at least one batch):
  // bounds a transaction's memory and WAL growth, and the wait of its first callback, when the
  // writer has fallen behind.
  std::size_t max_group_writes = 100'000;
};

class SqliteStore final : public Store {
 public:
  // Opens (creating the directory and file when missing) and migrates the schema. Throws
  // StoreError naming the file and the remedy: unreadable or corrupt file, newer schema, another
  // process using the same data directory, no permission.
  explicit SqliteStore(SqliteOptions options);
  // Drains the queue (every submitted batch is committed or reported failed), then closes.
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  const std::filesystem::path& file() const { return file_; }

  void submit(WriteBatch batch, DurableCallback on_durable = {}) override;
  void flush() override;
  // Batches submitted but not yet committed (a gauge for /metrics and back-pressure).
  std::size_t queued() const;

  void for_each_registration(
      const std::function<void(const Registration&)>& visit) const override;
  std::optional<Registration> registration(std::string_view endpoint) const override;
  std::vector<Registration> list_registrations(const DeviceFilter& filter) const override;
  std::vector<Sample> latest_values(DeviceId device, Path under = {}) const override;
  std::vector<Sample> series(const SeriesQuery& query) const override;
  std::vector<PendingRequest> requests_of(DeviceId device) const override;
  std::vector<PendingRequest> pending_requests() const override;
  std::vector<Observation> observations() const override;
  std::optional<PendingRequest> request(RequestId id) const override;
  std::optional<BootstrapConfig> bootstrap_config(std::string_view endpoint) const override;
  std::vector<BootstrapConfig> bootstrap_configs() const override;
  std::vector<AuditEntry> audit_log(std::size_t count) const override;

 private:
  struct Queued {
    WriteBatch batch;
    DurableCallback on_durable;
  };
  class ReaderLease;

  void open_writer();
  void writer_loop();
  void commit_group(std::vector<Queued>& group);
  bool try_store(std::vector<Queued>& group, std::size_t first, std::size_t count);
  ReaderLease lease_reader() const;

  SqliteOptions options_;
  std::filesystem::path file_;
  int lock_fd_ = -1;  // flock on <file>.lock: one server per data directory

  std::unique_ptr<sqlite::Connection> write_db_;
  std::unique_ptr<sqlite::Writer> writer_;
  std::unique_ptr<sqlite::Checkpointer> checkpointer_;

  mutable std::mutex queue_mutex_;
  std::condition_variable queue_changed_;  // a batch was queued, or stop
  std::condition_variable group_done_;     // completed_ moved
  std::deque<Queued> queue_;
  std::uint64_t submitted_ = 0;
  std::uint64_t completed_ = 0;
  bool stopping_ = false;

  mutable std::mutex readers_mutex_;
  mutable std::condition_variable reader_returned_;
  mutable std::vector<std::unique_ptr<sqlite::Reader>> idle_readers_;

  std::thread writer_thread_;  // last: started once everything above exists
};

}  // namespace tl::server::store
