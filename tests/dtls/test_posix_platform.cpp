// PosixPlatform: records in files, clocks, randomness, the reboot flag.
#include <gtest/gtest.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "helpers.hpp"
#include "posix/posix_platform.hpp"

namespace tl::dtls::test {
namespace {

using wire::Error;

class Records : public ::testing::Test {
 protected:
  std::string load(std::string_view key) {
    std::array<uint8_t, 64> buf{};
    const auto r = platform_.load(key, buf);
    if (!r) return std::string("<") + wire::error_name(r.error()) + ">";
    return std::string(reinterpret_cast<const char*>(buf.data()), *r);
  }
  std::set<std::string> files(const std::string& sub = "") const {
    std::set<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(dir_.path() + sub)) names.insert(e.path().filename());
    return names;
  }

  TempDir dir_;
  posix::PosixPlatform platform_{dir_.path() + "/data"};
};

TEST_F(Records, StoreThenLoad) {
  ASSERT_EQ(platform_.store("counter", bytes("42")), Error::ok);
  EXPECT_EQ(load("counter"), "42");
}

TEST_F(Records, StoreReplacesWholeRecordAndLeavesNoTemporaryFile) {
  ASSERT_EQ(platform_.store("cfg", bytes("a long first value")), Error::ok);
  ASSERT_EQ(platform_.store("cfg", bytes("short")), Error::ok);
  EXPECT_EQ(load("cfg"), "short");
  EXPECT_EQ(files("/data"), std::set<std::string>{"cfg"});
}

TEST_F(Records, TemporaryFileLeftByAPowerCutDoesNotChangeTheRecord) {
  ASSERT_EQ(platform_.store("cfg", bytes("old")), Error::ok);
  std::ofstream(dir_.path() + "/data/.tmp.cfg") << "half-writ";  // a store cut short before rename
  EXPECT_EQ(load("cfg"), "old");
  ASSERT_EQ(platform_.store("cfg", bytes("new")), Error::ok);
  EXPECT_EQ(load("cfg"), "new");
}

TEST_F(Records, AbsentKeyIsEnd) {
  EXPECT_EQ(load("missing"), "<end>");
  EXPECT_EQ(platform_.erase("missing"), Error::ok);
}

TEST_F(Records, EraseRemoves) {
  ASSERT_EQ(platform_.store("k", bytes("v")), Error::ok);
  ASSERT_EQ(platform_.erase("k"), Error::ok);
  EXPECT_EQ(load("k"), "<end>");
}

TEST_F(Records, BufferTooSmallAndExactFit) {
  ASSERT_EQ(platform_.store("k", bytes("12345")), Error::ok);
  std::array<uint8_t, 4> small{};
  EXPECT_EQ(platform_.load("k", small).error(), Error::buffer_too_small);
  std::array<uint8_t, 5> exact{};
  const auto r = platform_.load("k", exact);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 5u);
}

TEST_F(Records, EmptyValue) {
  ASSERT_EQ(platform_.store("empty", {}), Error::ok);
  EXPECT_EQ(platform_.load("empty", {}).error(), Error::ok);
  EXPECT_EQ(load("empty"), "");
}

TEST_F(Records, BadKeysAreMalformed) {
  const std::string too_long(posix::FileStore::kMaxKeyLength + 1, 'k');
  for (const std::string& key : {std::string(), std::string("../x"), std::string("a/b"), std::string(".hidden"),
                                std::string("a b"), std::string("a\0b", 3), too_long}) {
    EXPECT_EQ(platform_.store(key, bytes("v")), Error::malformed) << key;
    EXPECT_EQ(load(key), "<malformed>") << key;
    EXPECT_EQ(platform_.erase(key), Error::malformed) << key;
  }
  EXPECT_EQ(platform_.store(std::string(posix::FileStore::kMaxKeyLength, 'k'), bytes("v")), Error::ok);
  EXPECT_EQ(platform_.store("sec.0_key-1", bytes("v")), Error::ok);
  EXPECT_EQ(files(), std::set<std::string>{"data"});  // nothing escaped the data directory
}

TEST_F(Records, SurviveARestart) {
  ASSERT_EQ(platform_.store("k", bytes("kept")), Error::ok);
  posix::PosixPlatform again(dir_.path() + "/data");
  std::array<uint8_t, 8> buf{};
  const auto r = again.load("k", buf);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(buf.data()), *r), "kept");
}

TEST(PosixPlatform, ClocksRandomAndReboot) {
  TempDir dir;
  posix::PosixPlatform p(dir.path());
  const uint64_t t0 = p.monotonic_ms();
  EXPECT_GE(p.monotonic_ms(), t0);
  EXPECT_GT(p.utc_seconds(), 1700000000);  // after November 2023
  std::set<uint32_t> seen;
  for (int i = 0; i < 16; ++i) seen.insert(p.random32());
  EXPECT_GT(seen.size(), 14u);
  EXPECT_FALSE(p.take_reboot_request());
  p.reboot();
  EXPECT_TRUE(p.take_reboot_request());
  EXPECT_FALSE(p.take_reboot_request());
}

TEST(PosixPlatform, WaitWithoutSocketSleepsUntilTheDeadline) {
  TempDir dir;
  posix::PosixPlatform p(dir.path());
  const uint64_t start = p.monotonic_ms();
  EXPECT_FALSE(p.wait(client::kNoSocket, start + 50));
  EXPECT_GE(p.monotonic_ms(), start + 50);
  EXPECT_LT(p.monotonic_ms(), start + 1000);
}

}  // namespace
}  // namespace tl::dtls::test
