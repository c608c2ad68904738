// Bootstrap configurations as the REST API takes them and the store keeps them (JSON text):
//   {"servers":[{"uri":"coaps://lwm2m.example:5684","security_mode":"psk","short_server_id":1,
//                "lifetime":300,"binding":"U","psk_identity":"dev-1","psk":"generate"}]}
// validated whole before anything is stored; "psk":"generate" is replaced by 16 random bytes
// (hex) from mbedTLS's CTR_DRBG.
#pragma once
#include <string_view>
#include <variant>

#include "server/http/nodes.hpp"

namespace tl::server::http {

// The normalized configuration (defaults filled in, generated keys in place), or what is wrong.
std::variant<Json, Problem> validate_bootstrap_config(const Json& body, std::string_view endpoint);

// 1 to 255 printable ASCII characters without '/', '?', '#', space.
bool valid_endpoint_name(std::string_view endpoint);

}  // namespace tl::server::http
