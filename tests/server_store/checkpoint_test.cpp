// The checkpoint thread keeps the WAL bounded while batches keep coming.
#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace tl::server::store::test {
namespace {

// Commits 300 batches of 20 values one by one (devices scattered, so each commit rewrites pages
// all over the series) with checkpoints every `wal_pages`; returns the WAL's size in bytes just
// before the store closes.
std::uintmax_t wal_bytes_after_ingest(const std::filesystem::path& dir, int wal_pages) {
  SqliteOptions options = options_for(dir);
  options.wal_autocheckpoint_pages = wal_pages;
  SqliteStore store(options);
  for (int b = 0; b < 300; ++b) {
    WriteBatch batch;
    for (int v = 0; v < 20; ++v) {
      const auto device = static_cast<DeviceId>((b * 20 + v) * 7919 % 3000);
      batch.append_value(device, Path::of(3, 3303, 0, 5700), b, Value{double(v)});
    }
    store.submit(std::move(batch));
    store.flush();
  }
  EXPECT_EQ(store.series({0, Path::of(3, 3303, 0, 5700)}).size(), 2u);
  return std::filesystem::file_size(dir / "tinyloop.db-wal");
}

TEST(Checkpoints, KeepTheWalBoundedUnderContinuousWrites) {
  TempDir checkpointed;
  TempDir never;  // effectively no checkpoint before the close
  const std::uintmax_t bounded = wal_bytes_after_ingest(checkpointed.path(), 16);
  const std::uintmax_t unbounded = wal_bytes_after_ingest(never.path(), 1'000'000);
  EXPECT_LT(bounded * 4, unbounded) << bounded << " vs " << unbounded;
}

}  // namespace
}  // namespace tl::server::store::test
