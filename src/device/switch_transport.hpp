// The device's one Transport: NoSec or DTLS-PSK by the security mode of the account the engine
// connects to, so an account provisioned by a bootstrap server may use either.
#pragma once
#include "client/transport.hpp"
#include "dtls/dtls_transport.hpp"
#include "posix/plain_transport.hpp"

namespace tl::device {

class SwitchTransport final : public client::Transport {
 public:
  explicit SwitchTransport(client::Platform& platform, dtls::DtlsConfig dtls = {})
      : plain_(platform), dtls_(platform, dtls) {}

  client::Error open(std::string_view host, uint16_t port, const client::Credentials& credentials) override {
    active().close();
    psk_ = credentials.mode == client::SecurityMode::psk;
    return active().open(host, port, credentials);
  }
  uint64_t poll(uint64_t now_ms) override { return active().poll(now_ms); }
  State state() const override { return psk_ ? dtls_.state() : plain_.state(); }
  client::Error send(client::Bytes datagram) override { return active().send(datagram); }
  client::Result<size_t> receive(client::MutableBytes buffer) override { return active().receive(buffer); }
  void close() override { active().close(); }

  // The socket the main loop waits on (kNoSocket when closed).
  client::SocketId socket() const { return psk_ ? dtls_.socket() : plain_.socket(); }
  // The mbedTLS error of a failed handshake (0 when none), for the log.
  int dtls_error() const { return psk_ ? dtls_.last_error() : 0; }

 private:
  client::Transport& active() { return psk_ ? static_cast<client::Transport&>(dtls_) : plain_; }

  posix::PlainTransport plain_;
  dtls::DtlsTransport dtls_;
  bool psk_ = false;
};

}  // namespace tl::device
