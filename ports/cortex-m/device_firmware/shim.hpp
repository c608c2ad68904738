// The device SDK's Platform and a NoSec Transport on QEMU with semihosting: there is no network, so
// every datagram the client sends is printed as hex ("tx <hex>", replayable by a reader) and kept
// for the scripted server (server.hpp), and what the client receives comes from an inbox the
// scripted server fills. Time is simulated (the firmware advances it), randomness is a xorshift
// from a fixed seed and storage a small RAM key-value area: a run is the same every time.
#pragma once
#include <cstddef>
#include <cstdint>

#include "client/platform.hpp"
#include "client/transport.hpp"

namespace tl::firmware {

using client::Bytes;
using client::Error;
using client::MutableBytes;
using client::Result;
using client::SocketId;

// The largest datagram in either direction (the Client's Datagram capacity): a 256-byte block
// plus the 96 bytes the engine keeps for the header (block.cpp: smaller gives 128-byte blocks).
inline constexpr size_t kDatagram = 352;

// One datagram with its bytes (a fixed buffer: no heap).
struct Packet {
  uint8_t data[kDatagram] = {};
  size_t size = 0;
  Bytes bytes() const { return {data, size}; }
};

// A first-in first-out queue of a few packets.
class PacketQueue {
 public:
  static constexpr size_t kCapacity = 4;
  bool push(Bytes datagram);
  bool pop(Packet& out);
  bool empty() const { return count_ == 0; }

 private:
  Packet packets_[kCapacity];
  size_t head_ = 0;
  size_t count_ = 0;
};

// Persistent records as length-prefixed entries packed in one RAM area: store() removes the old
// entry (the tail moves down) and appends the new one, so the area never fragments.
class KeyValueArea {
 public:
  static constexpr size_t kSize = 1024;
  Result<size_t> load(std::string_view key, MutableBytes out) const;
  Error store(std::string_view key, Bytes value);
  Error erase(std::string_view key);
  size_t used() const { return used_; }

 private:
  size_t find(std::string_view key) const;  // offset of the entry, kSize when absent
  uint8_t area_[kSize] = {};
  size_t used_ = 0;
};

class SemihostPlatform final : public client::Platform {
 public:
  uint64_t now_ms = 0;  // the simulated clock: the firmware moves it forward
  PacketQueue inbox;    // datagrams to the client (the scripted server's)
  PacketQueue outbox;   // datagrams from the client, in order
  KeyValueArea storage;

  uint64_t monotonic_ms() override { return now_ms; }
  int64_t utc_seconds() override { return 0; }  // no RTC: the time is unknown
  uint32_t random32() override;
  Result<SocketId> open_udp(std::string_view host, uint16_t port) override;
  void close(SocketId) override {}
  Error send(SocketId socket, Bytes datagram) override;
  Result<size_t> receive(SocketId socket, MutableBytes buffer) override;
  Result<size_t> load(std::string_view key, MutableBytes out) override { return storage.load(key, out); }
  Error store(std::string_view key, Bytes value) override { return storage.store(key, value); }
  Error erase(std::string_view key) override { return storage.erase(key); }
  void reboot() override {}

 private:
  uint32_t state_ = 0x2545F491u;
};

// NoSec: datagrams pass through the platform's socket unchanged (TLS is not in the device build).
class PlainTransport final : public client::Transport {
 public:
  explicit PlainTransport(client::Platform& platform) : platform_(platform) {}
  Error open(std::string_view host, uint16_t port, const client::Credentials& credentials) override;
  uint64_t poll(uint64_t) override { return UINT64_MAX; }
  State state() const override { return socket_ == client::kNoSocket ? State::closed : State::ready; }
  Error send(Bytes datagram) override { return platform_.send(socket_, datagram); }
  Result<size_t> receive(MutableBytes buffer) override;
  void close() override { socket_ = client::kNoSocket; }

 private:
  client::Platform& platform_;
  SocketId socket_ = client::kNoSocket;
};

}  // namespace tl::firmware
