// What an application tells the client: its endpoint name, the factory-bootstrap accounts used
// when storage holds none, queue mode and timing. Plain data; capacities are the template
// parameters of Client (client.hpp).
#pragma once
#include <cstdint>
#include <span>
#include <string_view>

#include "client/transport.hpp"
#include "wire/coap/reliability.hpp"

// Build configuration, set per target in CMake (every translation unit that includes the client
// must see the same values: they shape Client and its records).
//  TL_CLIENT_SENML_JSON     1: SenML-JSON (110) is read and written; 0: it is refused (4.15/4.06)
//                           and the JSON codec is not linked
//  TL_CLIENT_DEDUP_ENTRIES  confirmable requests remembered for duplicate detection
//  TL_CLIENT_MAX_SECRET     bytes of a Security instance's identity (/0/x/3) and key (/0/x/5)
#ifndef TL_CLIENT_SENML_JSON
#define TL_CLIENT_SENML_JSON 1
#endif
#ifndef TL_CLIENT_DEDUP_ENTRIES
#define TL_CLIENT_DEDUP_ENTRIES 16
#endif
#ifndef TL_CLIENT_MAX_SECRET
#define TL_CLIENT_MAX_SECRET 64
#endif

namespace tl::client {

// One server account (an object 0 instance plus, for an LwM2M server, an object 1 instance), as
// factory bootstrap provides it (TS 1.1 6.1.2).
struct ServerAccount {
  std::string_view uri;  // "coap://host:5683", "coaps://host:5684"
  bool bootstrap = false;
  SecurityMode mode = SecurityMode::nosec;
  Bytes identity{};
  Bytes key{};
  uint16_t short_server_id = 1;
  uint32_t lifetime_s = 86'400;  // object 1 resource 1
  uint32_t default_pmin_s = 0;   // object 1 resource 2
  uint32_t default_pmax_s = 0;   // object 1 resource 3, 0: none
  uint32_t hold_off_s = 0;       // object 0 resource 11: wait before a client-initiated bootstrap
};

struct ClientConfig {
  std::string_view endpoint;  // the "ep" of Register and Bootstrap-Request
  // Binding "UQ": sleep `awake_ms` after the last exchange, hold notifications while asleep.
  bool queue_mode = false;
  uint32_t awake_ms = 93'000;  // TS 1.1 6.5: MAX_TRANSMIT_WAIT by default
  // Notifications as CON (acknowledged, one at a time) instead of NON.
  bool confirmable_notifications = false;
  // Used when storage has no accounts yet (factory bootstrap); at most one bootstrap and one
  // LwM2M server account are kept.
  std::span<const ServerAccount> factory;
  // Failed (client-initiated) bootstrap or registration: retry after `retry_first_s`, doubling
  // up to `retry_max_s`.
  uint32_t retry_first_s = 15;
  uint32_t retry_max_s = 3'600;
  // A bootstrap server that never sends Bootstrap-Finish: the attempt fails after this long.
  uint32_t bootstrap_timeout_s = 247;  // EXCHANGE_LIFETIME
  wire::coap::TransmissionParams transmission{};
};

}  // namespace tl::client
