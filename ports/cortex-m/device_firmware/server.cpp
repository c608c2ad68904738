#include "server.hpp"

#include "semihost.h"

namespace tl::firmware {

using wire::coap::MessageBuilder;
using wire::coap::Type;

bool ScriptedServer::take(Sent& out) {
  out.ok = false;
  if (!platform_.outbox.pop(out.packet)) return false;
  const auto m = wire::coap::decode(out.packet.bytes());
  if (!m) return false;
  out.m = *m;
  out.ok = true;
  return true;
}

bool ScriptedServer::push(const MessageBuilder& b, size_t* size) {
  uint8_t buf[kDatagram];
  wire::ByteWriter w(buf, sizeof buf);
  if (b.write(w) != Error::ok) return false;
  sh_puts("rx ");
  sh_put_hex(buf, static_cast<uint32_t>(w.written().size()));
  sh_puts("\n");
  if (size != nullptr) *size = w.written().size();
  return platform_.inbox.push(w.written());
}

size_t ScriptedServer::reply(const MessageView& request, Code code, std::string_view location) {
  MessageBuilder b = MessageBuilder::piggybacked_response(request, code);
  if (!location.empty()) b.location_path(location);
  size_t size = 0;
  return push(b, &size) ? size : 0;
}

bool ScriptedServer::get(std::string_view path, uint8_t token, uint16_t accept, bool observe, uint32_t block) {
  MessageBuilder b(Type::con, Code::get, ++mid_);
  const uint8_t t[1] = {token};
  b.token({t, 1}).uri_path(path);
  if (accept != kNoAccept) b.accept(static_cast<ContentFormat>(accept));
  if (observe) b.observe(0);
  if (block != 0) b.block2(block << 4 | 4u);  // SZX 4: 256-byte blocks
  return push(b, nullptr);
}

}  // namespace tl::firmware
