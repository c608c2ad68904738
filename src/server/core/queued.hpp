// A request queued for a sleeping device, as the store keeps it: its kind (for people and the
// REST API) and a JSON body with everything needed to send it after a restart of the server.
#pragma once
#include <optional>
#include <string>

#include "server/core/api.hpp"

namespace tl::server::core {

store::RequestKind kind_of(Operation op);
// {"op":3,"format":65535,"timeout_ms":5000,"arguments":"","attributes":[],"values":"<SenML-JSON>"}
std::string body_of(const DeviceRequest& request);
// nullopt when the stored body is not one of ours.
std::optional<DeviceRequest> request_from(const store::PendingRequest& stored);

}  // namespace tl::server::core
