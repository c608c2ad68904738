// A datagram peer (IPv4 or IPv6 address and UDP port) as a small fixed-size value: the key of
// every per-peer table, so it must stay compact (20 bytes) and cheap to hash and compare.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>

namespace tl::server::dtls {

class Peer {
 public:
  Peer() = default;  // "no peer": family() == 0, never a key in a table
  static Peer v4(std::array<uint8_t, 4> address, uint16_t port);
  // An IPv4-mapped address (::ffff:a.b.c.d, what a dual-stack socket reports for IPv4 senders)
  // becomes the IPv4 peer, so one device has one key whichever socket it came through.
  static Peer v6(const std::array<uint8_t, 16>& address, uint16_t port);

  bool empty() const { return family_ == 0; }
  bool is_v6() const { return family_ == 6; }
  uint8_t family() const { return family_; }  // 0, 4 or 6
  uint16_t port() const { return port_; }
  // 4 or 16 bytes, network order.
  std::span<const uint8_t> address() const { return {addr_.data(), is_v6() ? 16u : 4u}; }
  // "192.0.2.1:5684" or "[2001:db8::1]:5684" (RFC 5952 form), "-" for no peer.
  std::string text() const;
  // Unkeyed; tables that face the network mix in a secret seed (see hash(seed)).
  size_t hash() const { return hash(0); }
  size_t hash(uint64_t seed) const;

  friend bool operator==(const Peer&, const Peer&) = default;

 private:
  std::array<uint8_t, 16> addr_{};
  uint16_t port_ = 0;
  uint8_t family_ = 0;
};

static_assert(sizeof(Peer) == 20, "Peer is a table key: keep it compact");

}  // namespace tl::server::dtls

template <>
struct std::hash<tl::server::dtls::Peer> {
  size_t operator()(const tl::server::dtls::Peer& p) const noexcept { return p.hash(); }
};
