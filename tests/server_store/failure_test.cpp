// Failures: nothing half-stored, every failure reported, clear messages for what an operator
// must fix.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>

#include "server/store/sqlite_db.hpp"
#include "server/store/sqlite_schema.hpp"
#include "store_fixture.hpp"

namespace tl::server::store::test {
namespace {

// Runs SQL on the store's file through a connection of its own (what another process would do).
void run_sql(const std::filesystem::path& file, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

// The message of the StoreError that opening a store on `dir` throws ("" when it opens).
std::string open_error(const std::filesystem::path& dir) {
  try {
    SqliteStore store(options_for(dir));
  } catch (const StoreError& e) {
    return e.what();
  }
  return "";
}

using Failures = StoreTest;

TEST_F(Failures, AFailedTransactionStoresNothingOfItsBatchAndReportsIt) {
  // A trigger makes the batch's last write fail after its first ones ran.
  run_sql(store().file(),
          "CREATE TRIGGER fail_boom BEFORE INSERT ON audit WHEN NEW.action = 'boom' "
          "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
  auto batch_with = [](DeviceId id, const char* action) {
    WriteBatch batch;
    batch.upsert_registration(make_registration(id, "ep" + std::to_string(id)));
    batch.append_value(id, path("/3/0/9"), 1, Value{std::int64_t{80}});
    batch.put_request(PendingRequest{id, id, RequestKind::read, path("/3/0"), "", 0, 1,
                                     RequestState::pending, ""});
    batch.audit(AuditEntry{1, "test", action, ""});
    return batch;
  };
  // Submitted back to back, so they may share a group: the good ones still get stored.
  std::vector<int> results(3, -1);
  store().submit(batch_with(1, "ok"), [&](bool ok) { results[0] = ok; });
  store().submit(batch_with(2, "boom"), [&](bool ok) { results[1] = ok; });
  store().submit(batch_with(3, "ok"), [&](bool ok) { results[2] = ok; });
  store().flush();
  EXPECT_EQ(results, (std::vector<int>{1, 0, 1}));

  EXPECT_FALSE(store().registration("ep2"));
  EXPECT_TRUE(store().latest_values(2).empty());
  EXPECT_TRUE(store().series({2, path("/3/0/9")}).empty());
  EXPECT_FALSE(store().request(2));
  EXPECT_EQ(store().audit_log(10).size(), 2u);
  EXPECT_TRUE(store().registration("ep1"));
  EXPECT_TRUE(store().registration("ep3"));

  // The writer goes on after the failure.
  EXPECT_TRUE(write(batch_with(4, "ok")));
}

TEST_F(Failures, APathFirstSeenInAFailedTransactionIsStoredLaterAsNew) {
  run_sql(store().file(),
          "CREATE TRIGGER fail_boom BEFORE INSERT ON audit WHEN NEW.action = 'boom' "
          "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
  WriteBatch failing;
  failing.append_value(1, path("/5/0/1"), 10, Value{std::int64_t{1}});
  failing.audit(AuditEntry{1, "test", "boom", ""});
  EXPECT_FALSE(write(std::move(failing)));

  WriteBatch later;
  later.append_value(1, path("/5/0/1"), 20, Value{std::int64_t{2}});
  later.append_value(1, path("/5/0/2"), 20, Value{std::int64_t{3}});
  ASSERT_TRUE(write(std::move(later)));
  const auto series = store().series({1, path("/5/0/1")});
  ASSERT_EQ(series.size(), 1u);
  EXPECT_EQ(series[0].time_ms, 20);
  EXPECT_EQ(store().series({1, path("/5/0/2")}).size(), 1u);

  reopen();  // the path numbers read back from the file agree with the ones the writer used
  WriteBatch after_restart;
  after_restart.append_value(1, path("/5/0/2"), 30, Value{std::int64_t{4}});
  after_restart.append_value(1, path("/5/0/3"), 30, Value{std::int64_t{5}});
  ASSERT_TRUE(write(std::move(after_restart)));
  EXPECT_EQ(store().series({1, path("/5/0/2")}).size(), 2u);
  EXPECT_EQ(store().series({1, path("/5/0/3")}).size(), 1u);
  EXPECT_EQ(store().series({1, path("/5/0/1")}).size(), 1u);
}

TEST_F(Failures, AnEndpointTakenByAnotherDeviceIsRefused) {
  WriteBatch first;
  first.upsert_registration(make_registration(1, "same"));
  ASSERT_TRUE(write(std::move(first)));
  WriteBatch second;
  second.upsert_registration(make_registration(2, "same"));
  EXPECT_FALSE(write(std::move(second)));
  EXPECT_EQ(store().registration("same")->device, 1u);
}

TEST_F(Failures, ASecondStoreOnTheSameDirectoryIsRefused) {
  const std::string message = open_error(dir_.path() / "data");
  EXPECT_NE(message.find("in use by another process"), std::string::npos) << message;
  EXPECT_NE(message.find("tinyloop.db"), std::string::npos) << message;
}

TEST(OpenErrors, AGarbageFileIsNamedAndTheRemedyGiven) {
  TempDir dir;
  {
    std::ofstream garbage(dir.path() / "tinyloop.db", std::ios::binary);
    for (int i = 0; i < 1000; ++i) garbage << "this is not a database, just some bytes\n";
  }
  const std::string message = open_error(dir.path());
  EXPECT_NE(message.find((dir.path() / "tinyloop.db").string()), std::string::npos) << message;
  EXPECT_NE(message.find("not a database"), std::string::npos) << message;
  EXPECT_NE(message.find("move it"), std::string::npos) << message;
}

TEST(OpenErrors, ANewerSchemaVersionIsRefusedWithWhatToDo) {
  TempDir dir;
  { SqliteStore store(options_for(dir.path())); }
  run_sql(dir.path() / "tinyloop.db", "PRAGMA user_version = 99");
  const std::string message = open_error(dir.path());
  EXPECT_NE(message.find("schema version 99"), std::string::npos) << message;
  EXPECT_NE(message.find("newer tinyloop"), std::string::npos) << message;
  EXPECT_NE(message.find("tinyloop.db"), std::string::npos) << message;
}

TEST(OpenErrors, AnotherApplicationsDatabaseIsRefused) {
  TempDir dir;
  run_sql(dir.path() / "tinyloop.db", "CREATE TABLE theirs (x)");
  const std::string message = open_error(dir.path());
  EXPECT_NE(message.find("not a tinyloop store"), std::string::npos) << message;
}

TEST(OpenErrors, ADataDirectoryThatCannotBeCreated) {
  TempDir dir;
  { std::ofstream file(dir.path() / "plain-file"); }
  const std::string message = open_error(dir.path() / "plain-file" / "data");
  EXPECT_NE(message.find("cannot create the data directory"), std::string::npos) << message;
}

TEST(OpenErrors, TheSchemaIsCreatedOnceAndStamped) {
  TempDir dir;
  { SqliteStore store(options_for(dir.path())); }
  { SqliteStore store(options_for(dir.path())); }  // an existing current store opens as is
  sqlite::Connection db((dir.path() / "tinyloop.db").string(), SQLITE_OPEN_READONLY);
  EXPECT_EQ(db.query_int("PRAGMA user_version", "test"), sqlite::kSchemaVersion);
  EXPECT_EQ(db.query_int("PRAGMA application_id", "test"), sqlite::kApplicationId);
  EXPECT_EQ(db.query_int("SELECT count(*) FROM sqlite_schema WHERE type = 'table'", "test"), 8);
}

TEST(OpenErrors, AVersionOneStoreIsMigratedAndKeepsItsData) {
  TempDir dir;
  {
    SqliteStore store(options_for(dir.path()));
    WriteBatch batch;
    batch.upsert_registration(make_registration(1, "kept"));
    store.submit(std::move(batch));
    store.flush();
  }
  // What version 1 was: no observation table.
  run_sql(dir.path() / "tinyloop.db", "DROP TABLE observation; PRAGMA user_version = 1");
  SqliteStore store(options_for(dir.path()));
  EXPECT_TRUE(store.registration("kept"));
  EXPECT_TRUE(store.observations().empty());
  WriteBatch batch;
  batch.put_observation({1, Path::of(1, 33650), 112});
  store.submit(std::move(batch));
  store.flush();
  EXPECT_EQ(store.observations().size(), 1u);
}

TEST(Explain, EveryOperatorFixableFailureSaysWhatToDo) {
  const std::string full = sqlite::explain("/data/tinyloop.db", "committing", SQLITE_FULL,
                                           "database or disk is full");
  EXPECT_NE(full.find("/data/tinyloop.db"), std::string::npos);
  EXPECT_NE(full.find("free space"), std::string::npos);
  const std::string busy = sqlite::explain("/d/t.db", "committing", SQLITE_BUSY, "locked");
  EXPECT_NE(busy.find("another process"), std::string::npos);
  const std::string read_only =
      sqlite::explain("/d/t.db", "committing", SQLITE_READONLY_DBMOVED, "readonly");
  EXPECT_NE(read_only.find("permissions"), std::string::npos);
  const std::string io = sqlite::explain("/d/t.db", "committing", SQLITE_IOERR_FSYNC, "I/O");
  EXPECT_NE(io.find("check the disk"), std::string::npos);
}

}  // namespace
}  // namespace tl::server::store::test
