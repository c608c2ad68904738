// One request from a device while it is handled: what answering it later needs, copied out of
// the datagram (which is only valid during Core::on_datagram).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "server/core/core.hpp"
#include "wire/coap/message.hpp"

namespace tl::server::core {

struct Core::Incoming {
  Peer peer;
  bool secure = false;
  std::string_view identity;
  const wire::coap::MessageView* m = nullptr;  // valid during on_datagram only
  wire::coap::Type type = wire::coap::Type::con;
  uint16_t mid = 0;
  std::vector<uint8_t> token;
  std::vector<std::string_view> path;   // Uri-Path segments
  std::vector<std::string_view> query;  // Uri-Query items
};

}  // namespace tl::server::core
