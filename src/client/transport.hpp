// A secured or plain datagram channel to one LwM2M server (or bootstrap server), built on the
// platform's UDP sockets. The client engine speaks CoAP through this interface only, so DTLS (or a
// later transport) is one implementation and the engine does not change.
#pragma once
#include <cstdint>
#include <string_view>

#include "client/platform.hpp"

namespace tl::client {

// Security mode of object 0 resource 2 (LwM2M TS 1.1 E.1): only the modes we implement.
enum class SecurityMode : uint8_t { psk = 0, nosec = 3 };

struct Credentials {
  SecurityMode mode = SecurityMode::psk;
  Bytes identity;  // PSK identity (object 0 resource 3)
  Bytes key;       // PSK (object 0 resource 5)
};

class Transport {
 public:
  enum class State : uint8_t { closed, connecting, ready, failed };

  // Starts a session with host:port; for DTLS this begins the handshake, which advances inside
  // poll(). Errors: unsupported (a mode this transport does not do), as Platform::open_udp.
  virtual Error open(std::string_view host, uint16_t port, const Credentials& credentials) = 0;
  // Drives the handshake and retransmissions of the security layer; call it when the platform
  // signals data or at the deadline it returned. Returns the next deadline (ms, monotonic), or
  // UINT64_MAX when it waits for nothing but data.
  virtual uint64_t poll(uint64_t now_ms) = 0;
  virtual State state() const = 0;
  // One CoAP datagram out / in (after decryption). receive(): Error::end when none is waiting.
  virtual Error send(Bytes datagram) = 0;
  virtual Result<size_t> receive(MutableBytes buffer) = 0;
  virtual void close() = 0;

 protected:
  ~Transport() = default;
};

}  // namespace tl::client
