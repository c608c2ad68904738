// Child processes for the interop tests: run a libcoap binary with a time limit, or keep one
// running in the background until the test tears it down.
#pragma once
#include <sys/types.h>

#include <string>
#include <vector>

namespace tl::interop {

struct RunResult {
  int exit_code = -1;  // -1 when killed by the time limit or a signal
  bool timed_out = false;
  std::string out;  // stdout and stderr together
};

// Runs argv[0] (looked up in PATH) and waits at most `timeout_ms`; the child is killed after that.
RunResult run(const std::vector<std::string>& argv, int timeout_ms);

// True when `program` is found in PATH.
bool have_program(const std::string& program);

// A background child, killed (SIGTERM, then SIGKILL) and reaped by the destructor.
class Background {
 public:
  explicit Background(const std::vector<std::string>& argv);
  ~Background();
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;

 private:
  pid_t pid_ = -1;
};

// A UDP port on 127.0.0.1 that was free a moment ago.
unsigned short free_udp_port();

}  // namespace tl::interop
