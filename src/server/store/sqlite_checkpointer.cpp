#include "server/store/sqlite_checkpointer.hpp"

#include <spdlog/spdlog.h>

namespace tl::server::store::sqlite {

Checkpointer::Checkpointer(const std::string& file, const char* synchronous, int wal_pages)
    : db_(file, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX), wal_pages_(wal_pages) {
  // The checkpoint's fsyncs follow the store's durability setting.
  db_.exec((std::string("PRAGMA synchronous = ") + synchronous).c_str(),
           "configuring the checkpoint connection");
  thread_ = std::thread([this] { run(); });
}

Checkpointer::~Checkpointer() {
  if (writer_) sqlite3_wal_hook(writer_, nullptr, nullptr);
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  idle_.notify_all();
  thread_.join();
}

void Checkpointer::attach(sqlite3* writer) {
  writer_ = writer;
  sqlite3_wal_hook(writer, &Checkpointer::on_commit, this);
}

int Checkpointer::on_commit(void* self, sqlite3* db, const char* schema, int pages) {
  auto& checkpointer = *static_cast<Checkpointer*>(self);
  if (pages >= 4 * checkpointer.wal_pages_) {
    checkpointer.checkpoint_here(db, schema, pages);
  } else if (pages >= checkpointer.wal_pages_) {
    {
      std::lock_guard lock(checkpointer.mutex_);
      checkpointer.due_ = true;
    }
    checkpointer.wake_.notify_one();
  }
  return SQLITE_OK;
}

void Checkpointer::checkpoint_here(sqlite3* db, const char* schema, int pages) {
  // The thread is not woken now. While it is still copying it holds the checkpoint lock and
  // this gets SQLITE_BUSY: the next commit tries again, until the WAL reaches 8 x wal_pages
  // (the thread cannot keep up, e.g. starved of CPU): then the writer waits for it to finish.
  for (;;) {
    const int code = sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                               nullptr);
    if ((code & 0xFF) != SQLITE_BUSY) {
      if (code != SQLITE_OK) {
        spdlog::warn("{}", explain(db_.file(), "checkpointing the WAL", code, sqlite3_errmsg(db)));
      }
      return;
    }
    if (pages < 8 * wal_pages_) return;
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [&] { return !running_ || stop_; });
    if (stop_) return;
  }
}

void Checkpointer::run() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return due_ || stop_; });
      if (stop_) return;
      due_ = false;
      running_ = true;
    }
    const int code =
        sqlite3_wal_checkpoint_v2(db_.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    {
      std::lock_guard lock(mutex_);
      running_ = false;
    }
    idle_.notify_all();
    // BUSY: the writer is checkpointing (a large WAL); the next commit asks again.
    if (code != SQLITE_OK && (code & 0xFF) != SQLITE_BUSY) {
      spdlog::warn("{}", explain(db_.file(), "checkpointing the WAL", code,
                                 sqlite3_errmsg(db_.handle())));
    }
  }
}

}  // namespace tl::server::store::sqlite
