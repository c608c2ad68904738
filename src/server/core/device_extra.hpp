// What only some devices have: observations the server asked for (kept so that they can be
// re-established after the device registers anew) and requests waiting for a sleeping device.
#pragma once
#include <cstdint>
#include <deque>
#include <vector>

#include "server/core/api.hpp"

namespace tl::server::core {

struct ObservationIntent {
  Path path;
  Format format = Format::automatic;
  uint64_t token = 0;  // of the live observation; 0 until the device accepted one
  bool establishing = false;  // an Observe is on its way (no second one from the next Update)
  bool standing = false;      // from CoreConfig::observe_on_register, not stored
};

struct QueuedRequest {
  RequestId id = 0;
  DeviceRequest request;
  OutcomeCallback done;
  uint64_t expires_mono_ms = 0;
};

struct DeviceExtra {
  std::vector<ObservationIntent> observations;
  std::deque<QueuedRequest> queue;
  bool empty() const { return observations.empty() && queue.empty(); }
};

}  // namespace tl::server::core
