// Non-blocking UDP sockets on 127.0.0.1 (or any IPv4 address) and batched I/O with
// sendmmsg/recvmmsg: one system call moves up to kBatch datagrams, which is what lets one
// process stand in for a fleet.
#pragma once
#include <netinet/in.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tl::sim::loadgen {

inline constexpr size_t kBatch = 64;
inline constexpr size_t kMaxDatagram = 1500;

// "HOST:PORT" with a numeric IPv4 host or "localhost"; nullopt when it is neither.
std::optional<sockaddr_in> parse_address(std::string_view text);
std::string format_address(const sockaddr_in& address);

// One UDP socket; closes itself. Opened non-blocking, bound to `local` (port 0: any).
class UdpSocket {
 public:
  UdpSocket() = default;
  ~UdpSocket();
  UdpSocket(UdpSocket&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  UdpSocket& operator=(UdpSocket&& other) noexcept;
  UdpSocket(const UdpSocket&) = delete;
  UdpSocket& operator=(const UdpSocket&) = delete;

  // Errors are errno values (0: ok).
  int open(const sockaddr_in& local);
  // Fixes the peer: plain send() then works and datagrams from anyone else are filtered out.
  int connect(const sockaddr_in& peer);
  void close();
  // Asks the kernel for larger buffers so that bursts are not dropped (best effort).
  void grow_buffers(int bytes);
  int fd() const { return fd_; }
  bool is_open() const { return fd_ >= 0; }
  uint16_t local_port() const;

 private:
  int fd_ = -1;
};

// Datagrams waiting to be sent on one socket, packed in one buffer.
class TxQueue {
 public:
  // Copies the datagram; `to` is needed only on an unconnected socket.
  void push(std::span<const uint8_t> datagram, const sockaddr_in* to = nullptr);
  bool empty() const { return spans_.size() == head_; }
  size_t size() const { return spans_.size() - head_; }
  // Sends what the kernel takes (sendmmsg, kBatch at a time); keeps the rest for the next call.
  // Returns the datagrams sent.
  size_t flush(int fd);

 private:
  struct Span {
    size_t offset;
    size_t length;
    sockaddr_in to;
    bool has_to;
  };
  std::vector<uint8_t> bytes_;
  std::vector<Span> spans_;
  size_t head_ = 0;
};

// Receive buffers for one recvmmsg call.
class RxBatch {
 public:
  RxBatch();
  // Reads up to kBatch datagrams (non-blocking); returns how many (0 when none waits).
  size_t receive(int fd);
  std::span<const uint8_t> datagram(size_t i) const { return {buffers_[i].data(), lengths_[i]}; }
  const sockaddr_in& source(size_t i) const { return sources_[i]; }

 private:
  std::vector<std::array<uint8_t, kMaxDatagram>> buffers_;
  std::array<sockaddr_in, kBatch> sources_{};
  std::array<size_t, kBatch> lengths_{};
};

}  // namespace tl::sim::loadgen
