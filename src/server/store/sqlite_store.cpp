#include "server/store/sqlite_store.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <system_error>
#include <utility>

#include "server/store/sqlite_checkpointer.hpp"
#include "server/store/sqlite_db.hpp"
#include "server/store/sqlite_reader.hpp"
#include "server/store/sqlite_schema.hpp"
#include "server/store/sqlite_writer.hpp"

namespace tl::server::store {

namespace {

void create_data_dir(const std::filesystem::path& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    throw StoreError("store: cannot create the data directory " + dir.string() + ": " +
                     error.message() + "; check the path and the permissions of its parent");
  }
}

// An exclusive lock beside the database: a second server on the same data directory fails at
// start with a clear message instead of waiting on SQLite's locks at its first write.
int lock_data_dir(const std::filesystem::path& file) {
  const std::string lock_file = file.string() + ".lock";
  const int fd = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw StoreError("store " + lock_file + ": cannot open the lock file: " +
                     std::strerror(errno) + "; check the permissions of the data directory");
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd);
    throw StoreError("store " + file.string() + ": in use by another process (" +
                     std::strerror(error) +
                     "); stop the other tinyloop server using this data directory or choose "
                     "another one");
  }
  return fd;
}

void configure_writer(sqlite::Connection& db, const SqliteOptions& options) {
  // The first read of the file: a garbage file fails here, with SQLite's "not a database".
  db.exec("PRAGMA journal_mode = WAL", "switching to WAL mode");
  const std::string pragmas =
      std::string("PRAGMA synchronous = ") + (options.fsync_each_commit ? "FULL" : "NORMAL") +
      "; PRAGMA cache_size = -" + std::to_string(options.writer_cache_kib) +
      "; PRAGMA temp_store = MEMORY";
  db.exec(pragmas.c_str(), "configuring the write connection");
  if (db.query_int("SELECT journal_mode = 'wal' FROM pragma_journal_mode", "checking WAL") != 1) {
    throw StoreError("store " + db.file() +
                     ": cannot use WAL mode (a file system without shared memory, e.g. some "
                     "network file systems?); put the data directory on a local disk");
  }
}

}  // namespace

class SqliteStore::ReaderLease {
 public:
  ReaderLease(const SqliteStore& store, std::unique_ptr<sqlite::Reader> reader)
      : store_(store), reader_(std::move(reader)) {}
  ~ReaderLease() {
    {
      std::lock_guard lock(store_.readers_mutex_);
      store_.idle_readers_.push_back(std::move(reader_));
    }
    store_.reader_returned_.notify_one();
  }
  ReaderLease(const ReaderLease&) = delete;
  ReaderLease& operator=(const ReaderLease&) = delete;

  sqlite::Reader* operator->() const { return reader_.get(); }

 private:
  const SqliteStore& store_;
  std::unique_ptr<sqlite::Reader> reader_;
};

SqliteStore::SqliteStore(SqliteOptions options)
    : options_(std::move(options)), file_(options_.data_dir / options_.file_name) {
  create_data_dir(options_.data_dir);
  lock_fd_ = lock_data_dir(file_);
  try {
    open_writer();
    const sqlite::ReaderTuning tuning{options_.reader_cache_kib, std::int64_t{2} << 30};
    const std::size_t readers = std::max<std::size_t>(1, options_.read_connections);
    for (std::size_t i = 0; i < readers; ++i) {
      idle_readers_.push_back(std::make_unique<sqlite::Reader>(file_.string(), tuning));
    }
  } catch (...) {
    idle_readers_.clear();
    checkpointer_.reset();
    writer_.reset();
    write_db_.reset();
    ::close(lock_fd_);
    throw;
  }
  writer_thread_ = std::thread([this] { writer_loop(); });
}

void SqliteStore::open_writer() {
  write_db_ = std::make_unique<sqlite::Connection>(
      file_.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX);
  configure_writer(*write_db_, options_);
  sqlite::migrate(*write_db_);
  writer_ = std::make_unique<sqlite::Writer>(*write_db_);
  checkpointer_ = std::make_unique<sqlite::Checkpointer>(
      file_.string(), options_.fsync_each_commit ? "FULL" : "NORMAL",
      options_.wal_autocheckpoint_pages);
  checkpointer_->attach(write_db_->handle());
}

SqliteStore::~SqliteStore() {
  {
    std::lock_guard lock(queue_mutex_);
    stopping_ = true;
  }
  queue_changed_.notify_all();
  writer_thread_.join();
  // Readers first: the last connection to close checkpoints the WAL into the database, and only
  // the writer may.
  idle_readers_.clear();
  checkpointer_.reset();
  writer_.reset();
  write_db_.reset();
  ::close(lock_fd_);
}

void SqliteStore::submit(WriteBatch batch, DurableCallback on_durable) {
  {
    std::lock_guard lock(queue_mutex_);
    if (!stopping_) {
      queue_.push_back(Queued{std::move(batch), std::move(on_durable)});
      ++submitted_;
      queue_changed_.notify_one();
      return;
    }
  }
  if (on_durable) on_durable(false);
}

void SqliteStore::flush() {
  std::unique_lock lock(queue_mutex_);
  const std::uint64_t target = submitted_;
  group_done_.wait(lock, [&] { return completed_ >= target; });
}

std::size_t SqliteStore::queued() const {
  std::lock_guard lock(queue_mutex_);
  return static_cast<std::size_t>(submitted_ - completed_);
}

void SqliteStore::writer_loop() {
  std::vector<Queued> group;
  for (;;) {
    {
      std::unique_lock lock(queue_mutex_);
      queue_changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything is committed
      // The next group builds up while this one commits.
      std::size_t writes = 0;
      while (!queue_.empty() && (group.empty() || writes < options_.max_group_writes)) {
        writes += queue_.front().batch.size();
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    commit_group(group);
    group.clear();  // the batches' memory is freed here, off the network thread
  }
}

void SqliteStore::commit_group(std::vector<Queued>& group) {
  std::vector<char> durable(group.size(), 0);
  if (try_store(group, 0, group.size())) {
    std::fill(durable.begin(), durable.end(), 1);
  } else if (group.size() > 1) {
    // One bad batch (a constraint a caller broke) must not fail the others of its group: each
    // is tried alone. A full disk fails them all again, quickly.
    for (std::size_t i = 0; i < group.size(); ++i) durable[i] = try_store(group, i, 1) ? 1 : 0;
  }
  for (std::size_t i = 0; i < group.size(); ++i) {
    if (!group[i].on_durable) continue;
    try {
      group[i].on_durable(durable[i] != 0);
    } catch (const std::exception& e) {
      spdlog::error("store: a durability callback threw: {}", e.what());
    } catch (...) {
      spdlog::error("store: a durability callback threw");
    }
  }
  {
    std::lock_guard lock(queue_mutex_);
    completed_ += group.size();
  }
  group_done_.notify_all();
}

bool SqliteStore::try_store(std::vector<Queued>& group, std::size_t first, std::size_t count) {
  std::vector<const WriteBatch*> batches;
  batches.reserve(count);
  for (std::size_t i = first; i < first + count; ++i) batches.push_back(&group[i].batch);
  try {
    writer_->store(batches);
    return true;
  } catch (const std::exception& e) {
    spdlog::error("store: {} batch(es) not stored: {}", count, e.what());
  } catch (...) {
    spdlog::error("store: {} batch(es) not stored: unknown error", count);
  }
  return false;
}

SqliteStore::ReaderLease SqliteStore::lease_reader() const {
  std::unique_lock lock(readers_mutex_);
  reader_returned_.wait(lock, [&] { return !idle_readers_.empty(); });
  std::unique_ptr<sqlite::Reader> reader = std::move(idle_readers_.back());
  idle_readers_.pop_back();
  return ReaderLease(*this, std::move(reader));
}

void SqliteStore::for_each_registration(
    const std::function<void(const Registration&)>& visit) const {
  lease_reader()->for_each_registration(visit);
}

std::optional<Registration> SqliteStore::registration(std::string_view endpoint) const {
  return lease_reader()->registration(endpoint);
}

std::vector<Registration> SqliteStore::list_registrations(const DeviceFilter& filter) const {
  return lease_reader()->list_registrations(filter);
}

std::vector<Sample> SqliteStore::latest_values(DeviceId device, Path under) const {
  return lease_reader()->latest_values(device, under);
}

std::vector<Sample> SqliteStore::series(const SeriesQuery& query) const {
  return lease_reader()->series(query);
}

std::vector<PendingRequest> SqliteStore::requests_of(DeviceId device) const {
  return lease_reader()->requests_of(device);
}

std::vector<PendingRequest> SqliteStore::pending_requests() const {
  return lease_reader()->pending_requests();
}

std::vector<Observation> SqliteStore::observations() const {
  return lease_reader()->observations();
}

std::optional<PendingRequest> SqliteStore::request(RequestId id) const {
  return lease_reader()->request(id);
}

std::optional<BootstrapConfig> SqliteStore::bootstrap_config(std::string_view endpoint) const {
  return lease_reader()->bootstrap_config(endpoint);
}

std::vector<BootstrapConfig> SqliteStore::bootstrap_configs() const {
  return lease_reader()->bootstrap_configs();
}

std::vector<AuditEntry> SqliteStore::audit_log(std::size_t count) const {
  return lease_reader()->audit_log(count);
}

}  // namespace tl::server::store
