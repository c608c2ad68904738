// A virtual device: a few dozen bytes, so that a million fit in one process.
#pragma once
#include <cstdint>
#include <string>

namespace tl::sim::loadgen {

struct Endpoint {
  std::string location;     // the Location-Path of the registration, "/rd/..."
  uint64_t obs_token = 0;   // the server's Observe GET token (valid when observed)
  uint32_t obs_seq = 0;     // the next Observe sequence number
  uint32_t windows = 0;     // the counter the notifications report
  uint8_t obs_token_len = 0;
  bool registered = false;
  bool observed = false;
};

}  // namespace tl::sim::loadgen
