// Group commit, flush, restart: everything acknowledged is stored, once.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "store_fixture.hpp"

namespace tl::server::store::test {
namespace {

using Durability = StoreTest;

constexpr int kBatches = 400;
constexpr int kValuesPerBatch = 25;

// Batch i: one registration and kValuesPerBatch values of device i.
WriteBatch numbered_batch(int i) {
  WriteBatch batch;
  const auto device = static_cast<DeviceId>(i);
  batch.upsert_registration(make_registration(device, "ep-" + std::to_string(i)));
  for (int v = 0; v < kValuesPerBatch; ++v) {
    batch.append_value(device, path("/3303/0/5700"), v, Value{std::int64_t{i * 1000 + v}});
  }
  return batch;
}

TEST_F(Durability, BatchesFromAnotherThreadAreAllStoredAndAcknowledgedOnce) {
  std::vector<std::atomic<int>> calls(kBatches);
  std::atomic<int> failures{0};
  std::thread producer([&] {
    for (int i = 0; i < kBatches; ++i) {
      store().submit(numbered_batch(i), [&, i](bool durable) {
        calls[static_cast<std::size_t>(i)].fetch_add(1);
        if (!durable) failures.fetch_add(1);
      });
    }
  });
  producer.join();
  store().flush();

  EXPECT_EQ(failures.load(), 0);
  for (int i = 0; i < kBatches; ++i) EXPECT_EQ(calls[static_cast<std::size_t>(i)].load(), 1) << i;
  EXPECT_EQ(store().queued(), 0u);
  EXPECT_EQ(store().load_registrations().size(), std::size_t{kBatches});
  for (const int i : {0, 199, kBatches - 1}) {
    const auto series = store().series({static_cast<DeviceId>(i), path("/3303/0/5700")});
    ASSERT_EQ(series.size(), std::size_t{kValuesPerBatch});
    EXPECT_EQ(series.back().value, (Value{std::int64_t{i * 1000 + kValuesPerBatch - 1}}));
  }
}

TEST_F(Durability, ReadsRunWhileTheWriterCommits) {
  std::atomic<bool> done{false};
  std::thread reader([&] {
    std::size_t last = 0;
    while (!done.load()) {
      const std::size_t now = store().list_registrations({"ep-", "", 1000}).size();
      EXPECT_GE(now, last);  // committed batches never disappear
      last = now;
    }
  });
  for (int i = 0; i < kBatches; ++i) store().submit(numbered_batch(i));
  store().flush();
  done = true;
  reader.join();
  EXPECT_EQ(store().list_registrations({"ep-", "", 1000}).size(), std::size_t{kBatches});
}

TEST(GroupLimit, SmallGroupsStoreEverythingToo) {
  TempDir dir;
  SqliteOptions options = options_for(dir.path());
  options.max_group_writes = 30;  // about one batch a group
  SqliteStore store(options);
  std::atomic<int> durable{0};
  for (int i = 0; i < 100; ++i) {
    store.submit(numbered_batch(i), [&](bool ok) { durable += ok ? 1 : 0; });
  }
  store.flush();
  EXPECT_EQ(durable.load(), 100);
  EXPECT_EQ(store.load_registrations().size(), 100u);
}

TEST_F(Durability, FlushWithNothingQueuedReturns) {
  store().flush();
  EXPECT_EQ(store().queued(), 0u);
}

TEST_F(Durability, RestartKeepsEverythingAcknowledged) {
  WriteBatch batch;
  batch.upsert_registration(make_registration(1, "kept"));
  batch.append_value(1, path("/3/0/0"), 5, Value{std::string("tinyloop")});
  batch.put_request(PendingRequest{3, 1, RequestKind::execute, path("/3/0/4"), "", 1, 2,
                                   RequestState::pending, ""});
  batch.put_bootstrap_config(BootstrapConfig{"kept", "{}", 1});
  batch.audit(AuditEntry{1, "server", "register", "kept"});
  ASSERT_TRUE(write(std::move(batch)));
  // Submitted and not flushed: the close drains it.
  for (int i = 10; i < 20; ++i) store().submit(numbered_batch(i));

  reopen();
  EXPECT_EQ(store().registration("kept"), make_registration(1, "kept"));
  EXPECT_EQ(store().latest_values(1).at(0).value, Value{std::string("tinyloop")});
  EXPECT_EQ(store().request(3)->kind, RequestKind::execute);
  EXPECT_TRUE(store().bootstrap_config("kept"));
  EXPECT_EQ(store().audit_log(1).at(0).action, "register");
  EXPECT_EQ(store().load_registrations().size(), 11u);
  EXPECT_EQ(store().series({19, path("/3303/0/5700")}).size(), std::size_t{kValuesPerBatch});
}

TEST_F(Durability, ForEachRegistrationVisitsEveryRow) {
  WriteBatch batch;
  for (DeviceId id = 0; id < 1000; ++id) {
    batch.upsert_registration(make_registration(id, "d" + std::to_string(id)));
  }
  ASSERT_TRUE(write(std::move(batch)));
  std::vector<char> seen(1000, 0);
  store().for_each_registration([&](const Registration& r) {
    ASSERT_LT(r.device, 1000u);
    EXPECT_EQ(r, make_registration(r.device, "d" + std::to_string(r.device)));
    ++seen[r.device];
  });
  for (const char count : seen) EXPECT_EQ(count, 1);
}

TEST_F(Durability, ACallbackThatThrowsDoesNotStopTheWriter) {
  store().submit(numbered_batch(1), [](bool) { throw std::runtime_error("caller bug"); });
  EXPECT_TRUE(write(numbered_batch(2)));
}

}  // namespace
}  // namespace tl::server::store::test
