#include "shim.hpp"

#include <cstring>

#include "semihost.h"

namespace tl::firmware {
namespace {

// Entry layout: key length (1 byte), value length (2 bytes, little-endian), key, value.
constexpr size_t kEntryHeader = 3;

size_t entry_size(const uint8_t* e) { return kEntryHeader + e[0] + (e[1] | (size_t{e[2]} << 8)); }

}  // namespace

bool PacketQueue::push(Bytes datagram) {
  if (count_ == kCapacity || datagram.size() > kDatagram) return false;
  Packet& p = packets_[(head_ + count_) % kCapacity];
  std::memcpy(p.data, datagram.data(), datagram.size());
  p.size = datagram.size();
  ++count_;
  return true;
}

bool PacketQueue::pop(Packet& out) {
  if (count_ == 0) return false;
  out = packets_[head_];
  head_ = (head_ + 1) % kCapacity;
  --count_;
  return true;
}

size_t KeyValueArea::find(std::string_view key) const {
  for (size_t at = 0; at < used_; at += entry_size(area_ + at)) {
    if (area_[at] == key.size() && std::memcmp(area_ + at + kEntryHeader, key.data(), key.size()) == 0) return at;
  }
  return kSize;
}

Result<size_t> KeyValueArea::load(std::string_view key, MutableBytes out) const {
  const size_t at = find(key);
  if (at == kSize) return Error::end;
  const size_t n = entry_size(area_ + at) - kEntryHeader - key.size();
  if (n > out.size()) return Error::buffer_too_small;
  std::memcpy(out.data(), area_ + at + kEntryHeader + key.size(), n);
  return n;
}

Error KeyValueArea::erase(std::string_view key) {
  const size_t at = find(key);
  if (at == kSize) return Error::ok;
  const size_t n = entry_size(area_ + at);
  std::memmove(area_ + at, area_ + at + n, used_ - at - n);
  used_ -= n;
  return Error::ok;
}

Error KeyValueArea::store(std::string_view key, Bytes value) {
  const size_t at = find(key);
  const size_t old = at == kSize ? 0 : entry_size(area_ + at);
  const size_t n = kEntryHeader + key.size() + value.size();
  // Checked before erasing: a record that does not fit leaves the old value in place.
  if (key.size() > 255 || value.size() > 0xFFFF || used_ - old + n > kSize) return Error::buffer_too_small;
  (void)erase(key);
  uint8_t* e = area_ + used_;
  e[0] = static_cast<uint8_t>(key.size());
  e[1] = static_cast<uint8_t>(value.size());
  e[2] = static_cast<uint8_t>(value.size() >> 8);
  std::memcpy(e + kEntryHeader, key.data(), key.size());
  if (!value.empty()) std::memcpy(e + kEntryHeader + key.size(), value.data(), value.size());
  used_ += n;
  return Error::ok;
}

uint32_t SemihostPlatform::random32() {
  state_ ^= state_ << 13;
  state_ ^= state_ >> 17;
  state_ ^= state_ << 5;
  return state_;
}

Result<SocketId> SemihostPlatform::open_udp(std::string_view, uint16_t) { return SocketId{0}; }

Error SemihostPlatform::send(SocketId, Bytes datagram) {
  sh_puts("tx ");
  sh_put_hex(datagram.data(), static_cast<uint32_t>(datagram.size()));
  sh_puts("\n");
  return outbox.push(datagram) ? Error::ok : Error::buffer_too_small;
}

Result<size_t> SemihostPlatform::receive(SocketId, MutableBytes buffer) {
  Packet p;
  if (!inbox.pop(p)) return Error::end;
  if (p.size > buffer.size()) return Error::buffer_too_small;
  std::memcpy(buffer.data(), p.data, p.size);
  return p.size;
}

Error PlainTransport::open(std::string_view host, uint16_t port, const client::Credentials& credentials) {
  if (credentials.mode != client::SecurityMode::nosec) return Error::unsupported;
  const Result<SocketId> s = platform_.open_udp(host, port);
  if (!s) return s.error();
  socket_ = *s;
  return Error::ok;
}

Result<size_t> PlainTransport::receive(MutableBytes buffer) {
  if (socket_ == client::kNoSocket) return Error::end;
  return platform_.receive(socket_, buffer);
}

}  // namespace tl::firmware
