// Security mode NoSec: CoAP datagrams straight over one of the platform's UDP sockets. It uses
// the Platform interface only, so any port can use it.
#pragma once
#include <cstdint>
#include <string_view>

#include "client/transport.hpp"

namespace tl::posix {

using client::Bytes;
using client::Error;
using client::MutableBytes;
using client::Result;

class PlainTransport final : public client::Transport {
 public:
  explicit PlainTransport(client::Platform& platform) : platform_(platform) {}
  ~PlainTransport() { close(); }
  PlainTransport(const PlainTransport&) = delete;
  PlainTransport& operator=(const PlainTransport&) = delete;

  // Only SecurityMode::nosec (else Error::unsupported); ready as soon as the socket is open.
  // Reopening closes the previous socket first.
  Error open(std::string_view host, uint16_t port, const client::Credentials& credentials) override;
  // Nothing to drive: always UINT64_MAX.
  uint64_t poll(uint64_t now_ms) override;
  State state() const override { return state_; }
  // Error::end when the transport is not open.
  Error send(Bytes datagram) override;
  Result<size_t> receive(MutableBytes buffer) override;
  void close() override;

  // The platform socket to wait on (kNoSocket when closed).
  client::SocketId socket() const { return socket_; }

 private:
  client::Platform& platform_;
  client::SocketId socket_ = client::kNoSocket;
  State state_ = State::closed;
};

}  // namespace tl::posix
