// The built `tinyloop device` as a user runs it: a child process that registers with the
// scripted server, de-registers on SIGTERM and exits 0; a user error exits 2.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "device_run.hpp"
#include "gesture_model.hpp"

extern char** environ;

namespace tl::device::test {
namespace {

using namespace std::chrono_literals;
using wire::coap::Code;

// `tinyloop device ARGS...` with its output discarded; killed and reaped by the destructor if
// the test did not wait for it.
class Child {
 public:
  explicit Child(std::vector<std::string> args) {
    args.insert(args.begin(), {TL_TINYLOOP, "device"});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    if (posix_spawn(&pid_, TL_TINYLOOP, &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~Child() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  bool started() const { return pid_ > 0; }
  void signal(int sig) const { kill(pid_, sig); }
  // The exit code, or -1 when the process did not exit normally within `timeout`.
  int wait_exit(std::chrono::milliseconds timeout) {
    for (const auto end = Clock::now() + timeout; Clock::now() < end; std::this_thread::sleep_for(20ms)) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) != pid_) continue;
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    return -1;
  }

 private:
  pid_t pid_ = -1;
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
