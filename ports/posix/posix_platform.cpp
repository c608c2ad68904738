#include "posix/posix_platform.hpp"

#include <poll.h>
#include <sys/random.h>

#include <cerrno>
#include <climits>
#include <ctime>
#include <utility>

namespace tl::posix {

uint64_t PosixPlatform::monotonic_ms() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000u + static_cast<uint64_t>(ts.tv_nsec) / 1000000u;
}

int64_t PosixPlatform::utc_seconds() {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return ts.tv_sec;
}

uint32_t PosixPlatform::random32() {
  uint32_t value = 0;
  // getrandom() blocks only until the kernel's pool is first initialised at boot; 4 bytes are
  // never returned short once it is, except when a signal interrupts.
  while (::getrandom(&value, sizeof value, 0) != static_cast<ssize_t>(sizeof value)) {
  }
  return value;
}

bool PosixPlatform::take_reboot_request() { return std::exchange(reboot_requested_, false); }

bool PosixPlatform::wait(SocketId socket, uint64_t deadline_ms) {
  int timeout = -1;
  if (deadline_ms != UINT64_MAX) {
    const uint64_t now = monotonic_ms();
    const uint64_t left = deadline_ms > now ? deadline_ms - now : 0;
    timeout = left > INT_MAX ? INT_MAX : static_cast<int>(left);
  }
  pollfd p{sockets_.fd(socket), POLLIN, 0};
  // A negative fd is ignored by poll(), which then just sleeps.
  return ::poll(&p, 1, timeout) > 0 && (p.revents & (POLLIN | POLLERR)) != 0;
}

}  // namespace tl::posix
