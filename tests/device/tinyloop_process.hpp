// The built `tinyloop` (TL_TINYLOOP) as a child process, as a user runs it: its stdout and stderr
// go to one file (default: discarded); the destructor kills and reaps it unless the test waited
// for it. Used by the device's and the server's binary tests.
#pragma once
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace tl::test {

class TinyloopProcess {
 public:
  using Clock = std::chrono::steady_clock;

  // `tinyloop ARGS...`.
  explicit TinyloopProcess(std::vector<std::string> args, std::filesystem::path output = "/dev/null")
      : output_(std::move(output)) {
    args.insert(args.begin(), TL_TINYLOOP);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, output_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    if (posix_spawn(&pid_, TL_TINYLOOP, &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~TinyloopProcess() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  TinyloopProcess(const TinyloopProcess&) = delete;
  TinyloopProcess& operator=(const TinyloopProcess&) = delete;

  bool started() const { return pid_ > 0; }
  void signal(int sig) const { kill(pid_, sig); }
  // The exit code, or -1 when the process did not exit normally within `timeout`.
  int wait_exit(Clock::duration timeout) {
    for (const auto end = Clock::now() + timeout; Clock::now() < end; std::this_thread::sleep_for(std::chrono::milliseconds(20))) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) != pid_) continue;
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    return -1;
  }
  // What it printed so far (stdout and stderr).
  std::string output() const {
    std::ifstream in(output_);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  bool wait_output(const std::string& text, Clock::duration timeout) const {
    for (const auto end = Clock::now() + timeout; Clock::now() < end; std::this_thread::sleep_for(std::chrono::milliseconds(20))) {
      if (output().find(text) != std::string::npos) return true;
    }
    return false;
  }

 private:
  std::filesystem::path output_;
  pid_t pid_ = -1;
};

}  // namespace tl::test
