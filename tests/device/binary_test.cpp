// The built `tinyloop device` as a user runs it: a child process that registers with the
// scripted server, de-registers on SIGTERM and exits 0; a user error exits 2.
#include <gtest/gtest.h>

#include <thread>

#include "device_run.hpp"
#include "gesture_model.hpp"
#include "tinyloop_process.hpp"

namespace tl::device::test {
namespace {

using namespace std::chrono_literals;
using wire::coap::Code;

// `tinyloop device ARGS...`, its output discarded.
struct Child : tl::test::TinyloopProcess {
  explicit Child(std::vector<std::string> args) : TinyloopProcess(with_command(std::move(args))) {}
  static std::vector<std::string> with_command(std::vector<std::string> args) {
    args.insert(args.begin(), "device");
    return args;
  }
};

std::vector<std::string> device_args(uint16_t port) {
  std::vector<std::string> a = {"--server", "coap://127.0.0.1:" + std::to_string(port), "--nosec",
                                "--endpoint", "e2e-node", "--model", gesture_model().blob_path,
                                "--rate", "100", "--speed", "20", "--duration", "20", "--replay"};
  for (const auto& r : replay_recordings()) a.push_back(r);
  return a;
}

TEST(DeviceBinary, SigtermDeregistersAndExitsZero) {
  UdpLink link;
  Child device(device_args(link.port()));
  ASSERT_TRUE(device.started());
  ScriptedServer server(link);
  const auto deadline = Clock::now() + 15s;
  const Message reg = server.next(deadline);
  ASSERT_FALSE(reg.bytes.empty()) << "no Register from " << TL_TINYLOOP;
  EXPECT_EQ(reg.uri_path(), "/rd");
  server.reply(reg, Code::created, "/rd/t1");
  std::this_thread::sleep_for(300ms);  // a few windows run
  device.signal(SIGTERM);
  Message m;
  while (!(m = server.next(deadline)).bytes.empty() && m.view().code() != Code::delete_) {
  }
  ASSERT_FALSE(m.bytes.empty()) << "no De-register after SIGTERM";
  EXPECT_EQ(m.uri_path(), "/rd/t1");
  server.reply(m, Code::deleted);
  EXPECT_EQ(device.wait_exit(5s), 0);
}

TEST(DeviceBinary, PlainCoapWithoutNosecExitsTwo) {
  std::vector<std::string> args = device_args(5683);
  args.erase(args.begin() + 2);  // --nosec
  Child device(args);
  ASSERT_TRUE(device.started());
  EXPECT_EQ(device.wait_exit(10s), 2);
}

}  // namespace
}  // namespace tl::device::test
