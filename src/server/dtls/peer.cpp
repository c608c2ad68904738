#include "server/dtls/peer.hpp"

#include <cstring>

namespace tl::server::dtls {
namespace {

// A 64-bit finalizer (multiply and xor-shift rounds): spreads every input bit over the result,
// which a power-of-two open-addressing table needs. Not cryptographic; see PeerMap for why a
// secret seed is enough there.
uint64_t mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

constexpr char kHex[] = "0123456789abcdef";

void append_hex16(std::string& out, unsigned v) {
  bool started = false;
  for (int shift = 12; shift >= 0; shift -= 4) {
    const unsigned nibble = (v >> unsigned(shift)) & 0xfu;
    if (nibble != 0 || started || shift == 0) {
      out += kHex[nibble];
      started = true;
    }
  }
}

// RFC 5952: lower case, no leading zeros, the longest run (two or more) of zero groups as "::".
void append_v6(std::string& out, const std::array<uint8_t, 16>& a) {
  unsigned groups[8];
  for (size_t i = 0; i < 8; ++i) groups[i] = unsigned(a[2 * i] << 8 | a[2 * i + 1]);
  int best = -1, best_len = 1;
  for (int i = 0; i < 8;) {
    int j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_len) best = i, best_len = j - i;
    i = j == i ? i + 1 : j;
  }
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (i != 0 && i != best + best_len) out += ':';
    append_hex16(out, groups[i]);
  }
}

}  // namespace

Peer Peer::v4(std::array<uint8_t, 4> address, uint16_t port) {
  Peer p;
  std::memcpy(p.addr_.data(), address.data(), 4);
  p.port_ = port;
  p.family_ = 4;
  return p;
}

Peer Peer::v6(const std::array<uint8_t, 16>& address, uint16_t port) {
  static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(address.data(), kMapped, sizeof kMapped) == 0) {
    return v4({address[12], address[13], address[14], address[15]}, port);
  }
  Peer p;
  p.addr_ = address;
  p.port_ = port;
  p.family_ = 6;
  return p;
}

std::string Peer::text() const {
  if (empty()) return "-";
  std::string out;
  if (is_v6()) {
    out += '[';
    append_v6(out, addr_);
    out += ']';
  } else {
    for (size_t i = 0; i < 4; ++i) {
      if (i != 0) out += '.';
      out += std::to_string(addr_[i]);
    }
  }
  out += ':';
  out += std::to_string(port_);
  return out;
}

size_t Peer::hash(uint64_t seed) const {
  uint64_t lo, hi;
  std::memcpy(&lo, addr_.data(), 8);
  std::memcpy(&hi, addr_.data() + 8, 8);
  const uint64_t tail = uint64_t(port_) << 8 | family_;
  return size_t(mix(mix(mix(seed ^ lo) ^ hi) ^ tail));
}

}  // namespace tl::server::dtls
