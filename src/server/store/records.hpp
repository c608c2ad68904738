// The plain records the store keeps. No behaviour: the server core fills them, the store
// persists them as they are.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "server/store/path.hpp"

namespace tl::server::store {

// Assigned by the server core (it owns the registry); the store only persists it.
using DeviceId = std::uint64_t;
// Assigned by the server core like DeviceId.
using RequestId = std::uint64_t;
// Milliseconds since the Unix epoch.
using TimeMs = std::int64_t;

// One registered device: what the server needs to rebuild its registry after a restart.
struct Registration {
  DeviceId device = 0;
  std::string endpoint;          // unique among registrations
  std::string registration_id;   // the location the server handed out (/rd/<id>)
  std::string address;           // the peer, as text ("192.0.2.1:5683", "[2001:db8::1]:5684")
  std::uint32_t lifetime_s = 0;
  std::string binding;           // "U", "UQ", ...
  std::string lwm2m_version;     // "1.1"
  std::string object_links;      // the Register payload's link format, as sent
  TimeMs registered_ms = 0;
  TimeMs updated_ms = 0;
  std::string psk_identity;      // empty for NoSec
  bool queue_mode = false;

  friend bool operator==(const Registration&, const Registration&) = default;
};

// LwM2M data types (OMA LwM2M 1.1 core, appendix C). The numbers are stored: never renumber.
enum class ValueType : std::uint8_t {
  integer = 0,
  unsigned_integer = 1,
  floating = 2,
  boolean = 3,
  string = 4,
  opaque = 5,
  time = 6,
  objlnk = 7,
};

// Distinct types so that the variant keeps the LwM2M type (a Time is not an Integer).
struct Time {
  std::int64_t seconds = 0;  // since the Unix epoch
  friend bool operator==(Time, Time) = default;
};
struct ObjLink {
  std::uint16_t object = 0;
  std::uint16_t instance = 0;
  friend bool operator==(ObjLink, ObjLink) = default;
};
using Opaque = std::vector<std::uint8_t>;

// The alternatives are in ValueType order: value.index() is the ValueType.
using Value = std::variant<std::int64_t, std::uint64_t, double, bool, std::string, Opaque, Time,
                           ObjLink>;

inline ValueType type_of(const Value& value) { return static_cast<ValueType>(value.index()); }
std::string_view to_string(ValueType type);

// One stored value of a device's resource: a notification, a Send, a read's answer.
struct Sample {
  DeviceId device = 0;
  Path path;
  TimeMs time_ms = 0;
  Value value;

  friend bool operator==(const Sample&, const Sample&) = default;
};

// What a queued request asks of the device. The numbers are stored: never renumber.
enum class RequestKind : std::uint8_t {
  read = 0,
  write = 1,
  execute = 2,
  observe = 3,
  cancel_observe = 4,
  discover = 5,
  create = 6,
  delete_instance = 7,
  write_attributes = 8,
  read_composite = 9,
  write_composite = 10,
  observe_composite = 11,
};
std::string_view to_string(RequestKind kind);

// The numbers are stored: never renumber.
enum class RequestState : std::uint8_t { pending = 0, done = 1, expired = 2, failed = 3 };
std::string_view to_string(RequestState state);

// A request to a device that outlives the network round trip (queue mode, HTTP API).
struct PendingRequest {
  RequestId id = 0;
  DeviceId device = 0;
  RequestKind kind = RequestKind::read;
  Path path;
  std::string body;    // what to send (e.g. the value to write), as text
  TimeMs created_ms = 0;
  TimeMs expires_ms = 0;
  RequestState state = RequestState::pending;
  std::string result;  // the device's answer or the failure, as text

  friend bool operator==(const PendingRequest&, const PendingRequest&) = default;
};

// An observation an application asked for, kept so that it outlives a restart of the server
// (the server observes again after the device's next Update). `format`: the Content-Format asked.
struct Observation {
  DeviceId device = 0;
  Path path;
  std::uint16_t format = 0;

  friend bool operator==(const Observation&, const Observation&) = default;
};

// The bootstrap server's configuration for one endpoint, opaque to the store.
struct BootstrapConfig {
  std::string endpoint;
  std::string config_json;
  TimeMs updated_ms = 0;

  friend bool operator==(const BootstrapConfig&, const BootstrapConfig&) = default;
};

struct AuditEntry {
  TimeMs time_ms = 0;
  std::string actor;   // "http:<token name>", "server", ...
  std::string action;  // "write", "bootstrap-config", ...
  std::string detail;

  friend bool operator==(const AuditEntry&, const AuditEntry&) = default;
};

}  // namespace tl::server::store
