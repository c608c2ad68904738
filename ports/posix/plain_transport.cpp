#include "posix/plain_transport.hpp"

namespace tl::posix {

using client::SecurityMode;

Error PlainTransport::open(std::string_view host, uint16_t port, const client::Credentials& credentials) {
  if (credentials.mode != SecurityMode::nosec) return Error::unsupported;
  close();
  const Result<client::SocketId> socket = platform_.open_udp(host, port);
  if (!socket) return socket.error();
  socket_ = *socket;
  state_ = State::ready;
  return Error::ok;
}

uint64_t PlainTransport::poll(uint64_t) { return UINT64_MAX; }

Error PlainTransport::send(Bytes datagram) {
  if (state_ != State::ready) return Error::end;
  return platform_.send(socket_, datagram);
}

Result<size_t> PlainTransport::receive(MutableBytes buffer) {
  if (state_ != State::ready) return Error::end;
  return platform_.receive(socket_, buffer);
}

void PlainTransport::close() {
  if (socket_ != client::kNoSocket) platform_.close(socket_);
  socket_ = client::kNoSocket;
  state_ = State::closed;
}

}  // namespace tl::posix
