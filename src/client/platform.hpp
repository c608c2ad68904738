// What a port provides to the device SDK: time, randomness, datagrams, persistent storage and
// reboot. The SDK core calls nothing else of the outside world, so a new board or OS is one
// implementation of this interface (ports/posix, ports/cortex-m).
//
// Freestanding: virtual functions only (no RTTI is needed for them), no heap, no exceptions.
// The SDK is single-threaded and event-driven: the port's main loop waits until the next
// deadline the client returns or until a datagram arrives, then calls the client again.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "wire/bytes.hpp"
#include "wire/error.hpp"

namespace tl::client {

using wire::Bytes;
using wire::Error;
using wire::MutableBytes;
using wire::Result;

// A datagram endpoint opened by the port, identified by a small handle.
using SocketId = int8_t;
inline constexpr SocketId kNoSocket = -1;

class Platform {
 public:
  // Monotonic milliseconds since an arbitrary start; never goes back.
  virtual uint64_t monotonic_ms() = 0;
  // Seconds since the Unix epoch, 0 when the device does not know the time yet.
  virtual int64_t utc_seconds() = 0;
  // Uniform 32-bit random numbers from a cryptographic source: they seed DTLS (src/dtls), and also
  // serve retransmission jitter, message ids, tokens and reservoir sampling.
  virtual uint32_t random32() = 0;

  // Opens a UDP "connection" to host:port (the port resolves names). Errors: unsupported (no
  // such transport), malformed (bad host), too_many_items (no free socket).
  virtual Result<SocketId> open_udp(std::string_view host, uint16_t port) = 0;
  virtual void close(SocketId socket) = 0;
  // Sends one datagram; Error::buffer_too_small when it exceeds the link's MTU.
  virtual Error send(SocketId socket, Bytes datagram) = 0;
  // Non-blocking: the size of one received datagram copied into `buffer`, or Error::end when
  // none is waiting, Error::buffer_too_small when it did not fit (the datagram is dropped).
  virtual Result<size_t> receive(SocketId socket, MutableBytes buffer) = 0;

  // Persistent key-value records (counters, thresholds, credentials, the model blob). store()
  // replaces a record atomically: after a power cut the old or the new value is there, whole.
  // load(): Error::end when the key is absent, buffer_too_small when `out` is too small.
  virtual Result<size_t> load(std::string_view key, MutableBytes out) = 0;
  virtual Error store(std::string_view key, Bytes value) = 0;
  virtual Error erase(std::string_view key) = 0;

  // Restarts the device; on a host port, restarts the client state from storage.
  virtual void reboot() = 0;

 protected:
  ~Platform() = default;
};

}  // namespace tl::client
