// ObjectSet across a Reboot and a Factory Reset executed by the server: the counters of the
// windows seen so far survive a Reboot exactly, and a Factory Reset erases them.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "device/object_set.hpp"
#include "device/replay.hpp"
#include "gesture_model.hpp"
#include "ml/blob.hpp"
#include "posix/posix_platform.hpp"
#include "train/loaders.hpp"

namespace tl::device::test {
namespace {

namespace fs = std::filesystem;
using client::Path;

class ObjectSetRestart : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tl-objset-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    const std::string text = train::read_file_bytes(gesture_model().blob_path);
    blob_.assign(text.begin(), text.end());
    ml::ModelView view;
    ASSERT_EQ(ml::open_blob(blob_.data(), blob_.size(), &view), ml::Error::ok);
    pipeline_ = view.pipeline;
    train::Warnings warnings;
    windows_ = load_replay(replay_recordings(), 100.f, pipeline_, warnings);
    ASSERT_GE(windows_.size(), 5u);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A device booting from the records in dir_.
  std::unique_ptr<ObjectSet> boot() {
    platform_ = std::make_unique<posix::PosixPlatform>(dir_.string());
    return std::make_unique<ObjectSet>(*platform_, wire::Bytes(blob_.data(), blob_.size()), pipeline_, "node-1", "U");
  }
  static uint32_t windows_counted(ObjectSet& set) {
    uint32_t n = 0;
    for (size_t c = 0; c < ml::kMaxClasses; ++c) n += set.tinyml().runner().class_counter(c);
    return n;
  }
  static client::Object& device_object(ObjectSet& set) { return *set.objects()[0]; }

  fs::path dir_;
  std::vector<uint8_t> blob_;
  ml::Pipeline pipeline_{};
  std::vector<ReplayWindow> windows_;
  std::unique_ptr<posix::PosixPlatform> platform_;
};

TEST_F(ObjectSetRestart, RebootKeepsTheCountersOfEveryWindowSeen) {
  auto set = boot();
  for (size_t i = 0; i < 5; ++i) ASSERT_EQ(set->on_window(windows_[i].samples.data()), ml::Error::ok);
  ASSERT_EQ(windows_counted(*set), 5u);
  ASSERT_EQ(device_object(*set).execute(Path::resource(3, 0, 4), ""), client::Status::ok);
  set->run_pending();
  EXPECT_TRUE(platform_->take_reboot_request());
  set.reset();
  auto after = boot();
  EXPECT_EQ(windows_counted(*after), 5u);
}

TEST_F(ObjectSetRestart, FactoryResetErasesTheCounters) {
  auto set = boot();
  for (size_t i = 0; i < 5; ++i) ASSERT_EQ(set->on_window(windows_[i].samples.data()), ml::Error::ok);
  set->tinyml().runner().persist_counters();
  ASSERT_EQ(device_object(*set).execute(Path::resource(3, 0, 5), ""), client::Status::ok);
  set->run_pending();
  EXPECT_TRUE(platform_->take_reboot_request());
  set.reset();
  auto after = boot();
  EXPECT_EQ(windows_counted(*after), 0u);
}

}  // namespace
}  // namespace tl::device::test
