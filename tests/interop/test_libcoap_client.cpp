// libcoap's coap-client-notls against our responder (tl::coaptool::Responder) on 127.0.0.1.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <thread>

#include "coaptool/responder.hpp"
#include "process.hpp"

namespace tl::interop {
namespace {

constexpr const char* kClient = "coap-client-notls";
constexpr int kRunLimitMs = 20'000;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

class LibcoapClient : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_program(kClient)) GTEST_SKIP() << kClient << " not installed (Debian package libcoap3-bin)";
    coaptool::ResponderConfig cfg;
    cfg.port = 0;
    cfg.large_size = 5000;
    cfg.observe_interval_ms = 200;
    responder_ = std::make_unique<coaptool::Responder>(cfg);
    thread_ = std::thread([this] { responder_->run(stop_); });
    dir_ = ::testing::TempDir();
  }
  void TearDown() override {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

  std::string uri(const std::string& path) const {
    return "coap://127.0.0.1:" + std::to_string(responder_->port()) + path;
  }
  std::string temp(const std::string& name) const { return dir_ + "tl_interop_" + name; }
  // Runs coap-client with `args` and the URI of `path`; B bounds libcoap's own waiting.
  RunResult client(std::vector<std::string> args, const std::string& path) const {
    args.insert(args.begin(), {kClient, "-B", "10"});
    args.push_back(uri(path));
    return run(args, kRunLimitMs);
  }

  std::unique_ptr<coaptool::Responder> responder_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::string dir_;
};

TEST_F(LibcoapClient, GetTextIsByteExact) {
  const std::string out = temp("hello.txt");
  const RunResult r = client({"-o", out}, "/hello");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(read_file(out), "Hello from tinyloop");
}

TEST_F(LibcoapClient, GetNonConfirmable) {
  const std::string out = temp("hello_non.txt");
  const RunResult r = client({"-N", "-o", out}, "/hello");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(read_file(out), "Hello from tinyloop");
}

TEST_F(LibcoapClient, GetLargeWithBlock2) {
  for (const char* size : {"64", "1024"}) {
    const std::string out = temp(std::string("large_") + size);
    const RunResult r = client({"-b", size, "-o", out}, "/large");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_EQ(read_file(out), coaptool::large_body(5000)) << "block size " << size;
  }
}

TEST_F(LibcoapClient, PutWithBlock1ThenGetReturnsIt) {
  std::mt19937 rng(7959);
  std::string body(3000, '\0');
  for (char& c : body) c = static_cast<char>(rng());
  const std::string in = temp("put.bin");
  std::ofstream(in, std::ios::binary) << body;
  const RunResult put = client({"-m", "put", "-f", in, "-b", "64"}, "/store");
  ASSERT_EQ(put.exit_code, 0) << put.out;
  const std::string out = temp("put_back.bin");
  const RunResult get = client({"-b", "256", "-o", out}, "/store");
  ASSERT_EQ(get.exit_code, 0) << get.out;
  EXPECT_EQ(read_file(out), body);
}

TEST_F(LibcoapClient, ObserveReceivesNotifications) {
  // 3 s of observation at one notification per 200 ms: expect well over 3 distinct counts.
  const RunResult r = client({"-s", "3", "-w"}, "/obs");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  size_t notifications = 0;
  for (size_t at = r.out.find("count "); at != std::string::npos; at = r.out.find("count ", at + 1))
    ++notifications;
  EXPECT_GE(notifications, 4u) << r.out;
}

TEST_F(LibcoapClient, UnknownResourceIs404) {
  const RunResult r = client({"-v", "4"}, "/nothing-here");
  EXPECT_NE(r.out.find("4.04"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace tl::interop
