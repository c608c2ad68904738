// Copies the WAL back into the database file on a thread of its own, so that the writer thread
// does not stop for checkpoints (page copies and fsyncs) between group commits.
#pragma once
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "server/store/sqlite_db.hpp"

namespace tl::server::store::sqlite {

class Checkpointer {
 public:
  // Opens a connection of its own to `file` (an existing WAL database) and starts the thread.
  Checkpointer(const std::string& file, const char* synchronous, int wal_pages);
  // Detaches from the writer and stops the thread (after its current checkpoint).
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Replaces the writer connection's automatic checkpoints: after each commit, wakes the thread
  // once the WAL holds wal_pages pages. The thread's checkpoints never block the writer, but
  // the WAL only starts over when a transaction begins with every frame copied, which commits
  // arriving all the time prevent; so past 4 x wal_pages the committing thread copies the rest
  // itself (little is left by then) and its next transaction restarts the WAL. Past 8 x, it
  // waits for a thread that cannot keep up: the WAL stays bounded.
  void attach(sqlite3* writer);

 private:
  static int on_commit(void* self, sqlite3* db, const char* schema, int pages);
  void checkpoint_here(sqlite3* db, const char* schema, int pages);
  void run();

  Connection db_;
  const int wal_pages_;
  sqlite3* writer_ = nullptr;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;  // the thread finished a checkpoint
  bool due_ = false;
  bool running_ = false;
  bool stop_ = false;
  std::thread thread_;  // last: started once everything above exists
};

}  // namespace tl::server::store::sqlite
