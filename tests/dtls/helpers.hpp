// Shared by the port and DTLS tests: a scratch directory, a plain UDP peer, and a loop that
// drives a transport as a device's main loop would.
#pragma once
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/types.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "posix/posix_platform.hpp"

namespace tl::dtls::test {

// A fresh directory under TMPDIR, removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A program from PATH running in the background, output discarded; SIGTERM, then SIGKILL after
// one second, and reaped by the destructor.
class Child {
 public:
  explicit Child(const std::vector<std::string>& argv);
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

 private:
  pid_t pid_ = -1;
};

// True when `program` is an executable in PATH.
bool have_program(const std::string& program);

// A bound, blocking UDP socket on a loopback address (IPv4 or IPv6), port picked by the kernel.
class UdpPeer {
 public:
  explicit UdpPeer(int family = AF_INET);
  ~UdpPeer();
  UdpPeer(const UdpPeer&) = delete;
  UdpPeer& operator=(const UdpPeer&) = delete;

  bool ok() const { return fd_ >= 0; }
  uint16_t port() const;
  // Waits at most `timeout_ms` for one datagram; remembers its sender for reply(). Empty on
  // timeout.
  std::string receive(int timeout_ms = 2000);
  void reply(const std::string& data);
  void send_to(uint16_t port, const std::string& data);

 private:
  int fd_ = -1;
  int family_;
  sockaddr_storage last_sender_{};
  socklen_t last_sender_len_ = 0;
};

inline wire::Bytes bytes(const std::string& s) { return wire::as_bytes(s); }

// Calls transport.poll() and waits on its socket until done() or `limit_ms` passed; false on
// the time limit.
template <class Transport, class Done>
bool drive(posix::PosixPlatform& platform, Transport& transport, Done done, uint64_t limit_ms) {
  const uint64_t end = platform.monotonic_ms() + limit_ms;
  for (;;) {
    const uint64_t next = std::min(transport.poll(platform.monotonic_ms()), end);
    if (done()) return true;
    if (platform.monotonic_ms() >= end) return false;
    platform.wait(transport.socket(), next);
  }
}

// Receives one datagram within `limit_ms`; "" on the time limit.
template <class Transport>
std::string receive_one(posix::PosixPlatform& platform, Transport& transport, uint64_t limit_ms = 3000) {
  std::vector<uint8_t> buf(2048);
  std::string got;
  drive(
      platform, transport,
      [&] {
        const auto r = transport.receive(buf);
        if (r.ok()) got.assign(reinterpret_cast<const char*>(buf.data()), *r);
        return r.ok();
      },
      limit_ms);
  return got;
}

}  // namespace tl::dtls::test
