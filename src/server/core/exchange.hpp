// One request to a device in flight: the datagram (for retransmission), the schedule, and the
// block-wise state of a large write (Block1) or a large answer (Block2).
#pragma once
#include <cstdint>
#include <vector>

#include "server/core/core.hpp"
#include "wire/coap/reliability.hpp"

namespace tl::server::core {

struct Core::Exchange {
  uint64_t token = 0;
  DeviceId device = 0;
  Peer peer;
  bool secure = false;
  uint16_t mid = 0;
  std::vector<uint8_t> datagram;
  wire::coap::Retransmission retransmission;
  bool acked = false;       // empty ACK seen: no more retransmissions, the answer comes separately
  uint64_t give_up_ms = 0;  // the caller's timeout
  uint64_t due_ms = 0;      // its live entry in Core::exchange_due_ (0: none)
  DeviceRequest request;
  std::string uri;  // the Uri-Path: the request's path, or "bs" for Bootstrap-Finish
  OutcomeCallback done;
  RequestId queued_id = 0;  // a queued request: its stored state follows the outcome
  uint64_t started_ms = 0;
  // Block1 (a write larger than one block): the whole payload and the block in flight.
  std::vector<uint8_t> body;
  uint16_t body_format = 0;
  uint32_t block1_num = 0;
  uint8_t szx = 6;
  // Block2 (an answer larger than one block): what arrived so far.
  std::vector<uint8_t> received;
};

}  // namespace tl::server::core
