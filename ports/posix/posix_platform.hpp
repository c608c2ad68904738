// The device SDK's Platform on Linux: CLOCK_MONOTONIC, the wall clock, getrandom(), UDP sockets
// (udp_sockets.hpp) and records as files (file_store.hpp). reboot() only raises a flag: the host
// program's main loop sees it and restarts the client from storage.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "client/platform.hpp"
#include "posix/file_store.hpp"
#include "posix/udp_sockets.hpp"

namespace tl::posix {

class PosixPlatform final : public client::Platform {
 public:
  // Records live in `data_directory` (created when missing).
  explicit PosixPlatform(std::string data_directory) : store_(std::move(data_directory)) {}

  uint64_t monotonic_ms() override;
  int64_t utc_seconds() override;
  uint32_t random32() override;

  Result<SocketId> open_udp(std::string_view host, uint16_t port) override { return sockets_.open(host, port); }
  void close(SocketId socket) override { sockets_.close(socket); }
  Error send(SocketId socket, Bytes datagram) override { return sockets_.send(socket, datagram); }
  Result<size_t> receive(SocketId socket, MutableBytes buffer) override {
    return sockets_.receive(socket, buffer);
  }

  Result<size_t> load(std::string_view key, MutableBytes out) override { return store_.load(key, out); }
  Error store(std::string_view key, Bytes value) override { return store_.store(key, value); }
  Error erase(std::string_view key) override { return store_.erase(key); }

  void reboot() override { reboot_requested_ = true; }
  // True once after reboot() was called.
  bool take_reboot_request();

  // The main loop's sleep: returns true as soon as a datagram waits on `socket`, false at
  // `deadline_ms` (monotonic; UINT64_MAX waits for data only) or when a signal interrupts.
  // With kNoSocket (or a closed socket) it only sleeps until the deadline.
  bool wait(SocketId socket, uint64_t deadline_ms);

 private:
  UdpSockets sockets_;
  FileStore store_;
  bool reboot_requested_ = false;
};

}  // namespace tl::posix
