// The built `tinyloop server` as an operator runs it: it starts, says where it listens, stops
// cleanly on SIGTERM (exit 0); a second server on the same data directory is refused (exit 2).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace tl::server::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

class ServerProcess {
 public:
  ServerProcess(const fs::path& data, const fs::path& out) : out_(out) {
    std::vector<std::string> args = {TL_TINYLOOP, "server", "--data-dir", data.string(), "--coap-port", "0",
                                     "--coaps-port", "0", "--http-port", "0"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    if (posix_spawn(&pid_, TL_TINYLOOP, &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~ServerProcess() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  std::string output() const {
    std::ifstream in(out_);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  bool wait_output(const std::string& text, Clock::duration timeout) const {
    for (const auto end = Clock::now() + timeout; Clock::now() < end; std::this_thread::sleep_for(20ms)) {
      if (output().find(text) != std::string::npos) return true;
    }
    return false;
  }
  void signal(int sig) const { kill(pid_, sig); }
  int wait_exit(Clock::duration timeout) {
    for (const auto end = Clock::now() + timeout; Clock::now() < end; std::this_thread::sleep_for(20ms)) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) != pid_) continue;
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    return -1;
  }

 private:
  fs::path out_;
  pid_t pid_ = -1;
};

TEST(ServerBinary, StartsStopsOnSigtermAndGuardsItsDataDirectory) {
  const fs::path dir = fs::temp_directory_path() / ("tl-server-bin-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  ServerProcess server(dir / "data", dir / "out1");
  ASSERT_TRUE(server.wait_output("CoAP over DTLS on", 10s)) << server.output();
  EXPECT_NE(server.output().find("0 registrations loaded"), std::string::npos);

  ServerProcess second(dir / "data", dir / "out2");
  EXPECT_EQ(second.wait_exit(10s), 2) << second.output();
  EXPECT_NE(second.output().find(dir.string()), std::string::npos) << second.output();  // names the directory

  server.signal(SIGTERM);
  EXPECT_EQ(server.wait_exit(10s), 0) << server.output();
  EXPECT_NE(server.output().find("stopped"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tl::server::test
